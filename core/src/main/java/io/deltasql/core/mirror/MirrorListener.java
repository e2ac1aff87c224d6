package io.deltasql.core.mirror;

/**
 * Told of each commit file the {@link MirrorEngine} writes (not of files it finds already
 * present): for mirror lag measurements and tests. Called on the mirroring thread; must be
 * quick and must not throw.
 */
@FunctionalInterface
public interface MirrorListener {
  /** Version {@code version} of the table, committed at {@code commitTimestamp} (ms), is now in its log. */
  void published(long tableId, long version, long commitTimestamp);
}
