package io.deltasql.core.mirror;

/**
 * Publishes a table's committed catalog versions to its {@code _delta_log}, in version
 * order. The commit path calls it after each catalog commit; the catalog commit stands
 * whatever the mirror's outcome (a failed mirror is retried later by the reconciler).
 */
@FunctionalInterface
public interface TableMirror {
  /** Mirrors every committed, not yet mirrored version of the table, oldest first. */
  MirrorOutcome mirror(long tableId);

  /** A mirror that does nothing: for catalogs whose tables are mirrored elsewhere, and tests. */
  TableMirror NONE = tableId -> MirrorOutcome.skipped(tableId);
}
