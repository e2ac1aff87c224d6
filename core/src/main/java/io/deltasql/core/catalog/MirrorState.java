package io.deltasql.core.catalog;

/** Whether a committed version has been written to the table's {@code _delta_log}. */
public enum MirrorState {
  /** Committed in the catalog, not yet written to the log. */
  PENDING,
  /** Written to the log (or already there: an imported version). */
  DONE,
  /** The last attempt failed; the reconciler tries again. */
  FAILED
}
