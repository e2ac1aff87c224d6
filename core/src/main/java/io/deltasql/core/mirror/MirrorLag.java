package io.deltasql.core.mirror;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * What {@code deltasql.mirror.lag} records for each commit file the engine writes, and from when.
 *
 * <ul>
 *   <li>A version handed over by this process's writer ({@link MirrorEngine#publish}) is measured from
 *       its hand-over, right after its catalog commit, on a monotonic ticker ({@link System#nanoTime}).
 *       Its in-commit timestamp is no measure: a table committing more than once a millisecond raises
 *       each timestamp above the previous one, ahead of the wall clock, which made the lag read 0.
 *   <li>A version a pass finds in the catalog without a hand-over (another process committed it, or it
 *       was committed before this engine opened) is measured from its in-commit timestamp to the
 *       engine's clock, a negative difference (clocks apart) counting as 0.
 * </ul>
 *
 * <p>A hand-over is forgotten once its version is written, or known to be in the log
 * ({@link #forgetThrough}); a version that fails keeps it, so that its lag, when it is written at
 * last, includes the retries.
 */
final class MirrorLag {
  private final Clock clock;
  private final LongSupplier ticker;
  /** Per table, the ticker's reading at each version's hand-over. */
  private final Map<Long, ConcurrentSkipListMap<Long, Long>> handedOver = new ConcurrentHashMap<>();

  /**
   * @param clock the clock in-commit timestamps are compared with
   * @param ticker nanoseconds of a monotonic clock ({@code System::nanoTime})
   */
  MirrorLag(Clock clock, LongSupplier ticker) {
    this.clock = clock;
    this.ticker = ticker;
  }

  /** Version {@code version} of the table has just been handed over by its committer. */
  void handedOver(long tableId, long version) {
    handedOver.computeIfAbsent(tableId, id -> new ConcurrentSkipListMap<>()).putIfAbsent(version, ticker.getAsLong());
  }

  /** The lag of a commit file this engine has just written, as the class says; forgets its hand-over. */
  Duration written(long tableId, long version, long commitTimestamp) {
    Map<Long, Long> table = handedOver.get(tableId);
    Long at = table == null ? null : table.remove(version);
    if (at != null) {
      return Duration.ofNanos(Math.max(0, ticker.getAsLong() - at));
    }
    return Duration.ofMillis(Math.max(0, clock.millis() - commitTimestamp));
  }

  /** Forgets the hand-overs of the table's versions up to {@code version}: they are in its log. */
  void forgetThrough(long tableId, long version) {
    ConcurrentSkipListMap<Long, Long> table = handedOver.get(tableId);
    if (table != null) {
      table.headMap(version, true).clear();
    }
  }
}
