package io.deltasql.bench;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mirror lag per table version, by the wall clock: from just before the writer's commit to the
 * moment the mirror has written the version's commit file. Not from the version's in-commit
 * timestamp: Delta makes each one at least the previous one plus a millisecond, so a table
 * committing more than once a millisecond (one H2 writer does) has timestamps that run ahead of
 * the clock, seconds within a run, and a lag taken from them reads negative. Whichever of the
 * writer and the mirror's listener comes second records the sample, so none is lost to the
 * order in which they run. Thread-safe.
 */
final class MirrorLag {
  /** A writer's stamp of a version outside the measurement. */
  private static final long NOT_MEASURED = Long.MIN_VALUE;

  /** Who stamped a version first, and when. */
  private record Stamp(boolean byWriter, long millis) {}

  private final ConcurrentHashMap<Long, Stamp> stamps = new ConcurrentHashMap<>();
  private final long[] samples;
  private int count;

  /** @param capacity the samples kept at most (later ones are dropped) */
  MirrorLag(int capacity) {
    this.samples = new long[capacity];
  }

  /**
   * The writer committed {@code version} of the table, having started the commit at
   * {@code startedMillis}; {@code measured} whether the commit belongs to the measurement.
   */
  void committed(long tableId, long version, long startedMillis, boolean measured) {
    stamps.compute(key(tableId, version), (k, s) -> {
      if (s == null) {
        return new Stamp(true, measured ? startedMillis : NOT_MEASURED);
      }
      if (measured) {
        add(s.millis() - startedMillis);
      }
      return null;
    });
  }

  /** The mirror wrote the commit file of {@code version} of the table at {@code nowMillis}. */
  void published(long tableId, long version, long nowMillis) {
    stamps.compute(key(tableId, version), (k, s) -> {
      if (s == null) {
        return new Stamp(false, nowMillis);
      }
      if (s.byWriter() && s.millis() != NOT_MEASURED) {
        add(nowMillis - s.millis());
      }
      return null;
    });
  }

  /** The samples recorded so far, sorted (ms). */
  synchronized long[] sorted() {
    long[] all = Arrays.copyOf(samples, count);
    Arrays.sort(all);
    return all;
  }

  private synchronized void add(long lagMillis) {
    if (count < samples.length) {
      samples[count++] = lagMillis;
    }
  }

  private static long key(long tableId, long version) {
    return tableId << 40 | version;
  }
}
