package io.deltasql.core.mirror;

import java.time.Duration;

/**
 * Publishes a table's committed catalog versions to its {@code _delta_log}, in version
 * order. The commit path hands each committed version over after the catalog commit
 * ({@link #publish}); the catalog commit stands whatever the mirror's outcome (a failed
 * mirror is retried later by the reconciler).
 *
 * <p>A mirror that only implements {@link #mirror(long)} (a lambda) is called
 * synchronously, once per committed table, after the commit's table locks are released.
 */
@FunctionalInterface
public interface TableMirror {
  /** Mirrors every committed, not yet mirrored version of the table, oldest first. */
  MirrorOutcome mirror(long tableId);

  /**
   * Whether {@link #publish} with {@code awaitLog == false} only queues the version and
   * returns at once (so the committer may call it while it still holds the table's lock,
   * which keeps the queue in version order). Default: false, publish mirrors synchronously.
   */
  default boolean queues() {
    return false;
  }

  /**
   * Hands over a version just committed. With {@code awaitLog} the call returns once the
   * version is in the table's log (or mirroring it failed: the outcome says so); without,
   * a mirror that {@link #queues()} returns at once with a pending outcome. Default:
   * {@link #mirror(long)}.
   */
  default MirrorOutcome publish(CommittedVersion committed, boolean awaitLog) {
    return mirror(committed.tableId());
  }

  /**
   * Waits until {@code version} of the table is in its log, at most {@code timeout}; then
   * mirrors what is still missing in this thread. Default: {@link #mirror(long)}.
   */
  default MirrorOutcome awaitMirrored(long tableId, long version, Duration timeout) {
    return mirror(tableId);
  }

  /** A mirror that does nothing: for catalogs whose tables are mirrored elsewhere, and tests. */
  TableMirror NONE = tableId -> MirrorOutcome.skipped(tableId);
}
