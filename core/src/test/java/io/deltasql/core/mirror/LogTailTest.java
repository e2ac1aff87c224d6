package io.deltasql.core.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.table.SnapshotBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The recipe of a checkpoint's snapshot that a worker takes from the {@link LogTail}: nothing
 * is read or built until the lane asks, the snapshot equals a replay of the log from the
 * start, and a large table's checkpoints are spaced by their cost.
 */
class LogTailTest {
  private static final Metadata METADATA = new Metadata("id", Optional.of("t"), Optional.empty(), Format.PARQUET,
      "{\"type\":\"struct\",\"fields\":[]}", List.of(), Map.of(), Optional.of(1L));
  private static final Duration SECOND = Duration.ofSeconds(1);

  /** Version 0 creates the table with one file; version v adds file v and every 4th removes file v - 2. */
  private static CommittedVersion version(long v) {
    List<Action> actions = new ArrayList<>();
    if (v == 0) {
      actions.add(new Protocol(1, 2));
      actions.add(METADATA);
    } else if (v % 4 == 0) {
      actions.add(add(v - 2).toRemove(1_700_000_000_000L + v, true));
    }
    actions.add(add(v));
    return new CommittedVersion(1, v, 1_700_000_000_000L + v, "txn" + v, Optional.of(actions),
        Optional.of(METADATA));
  }

  private static AddFile add(long v) {
    return new AddFile("part-" + v + ".parquet", Map.of(), 100 + v, 1_700_000_000_000L + v, true, Optional.empty(),
        Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The snapshot at {@code version} replayed from version 0: what the catalog holds. */
  private static Snapshot replay(long version) {
    SnapshotBuilder builder = new SnapshotBuilder();
    for (long v = 0; v <= version; v++) {
      builder.applyAll(version(v).actions().orElseThrow());
    }
    return builder.build(version, 1_700_000_000_000L + version);
  }

  private static Supplier<Snapshot> counting(AtomicInteger loads, long version) {
    return () -> {
      loads.incrementAndGet();
      return replay(version);
    };
  }

  private static void publish(LogTail tail, long from, long to) {
    for (long v = from; v <= to; v++) {
      tail.published(version(v));
    }
  }

  private static Map<String, Long> files(Snapshot s) {
    Map<String, Long> files = new HashMap<>();
    s.files().values().forEach(f -> files.put(f.path(), f.size()));
    return files;
  }

  @Test
  void aCheckpointsSnapshotIsReadOrBuiltOnlyWhenTheLaneAsks() {
    LogTail tail = new LogTail();
    AtomicInteger loads = new AtomicInteger();
    publish(tail, 0, 10);
    Supplier<Snapshot> ten = tail.checkpointSnapshot(10, 1_700_000_000_010L, counting(loads, 10));
    assertEquals(0, loads.get(), "the worker reads nothing");
    assertEquals(Optional.of(10L), tail.baseVersion());

    publish(tail, 11, 23);
    Supplier<Snapshot> twenty = tail.checkpointSnapshot(20, 1_700_000_000_020L, counting(loads, 20));
    assertEquals(0, loads.get());

    // The lane may skip the older checkpoint (superseded): the newer one computes its base.
    Snapshot at20 = twenty.get();
    assertEquals(1, loads.get(), "only the first base is read from the catalog");
    assertEquals(20, at20.version());
    assertEquals(files(replay(20)), files(at20));
    assertEquals(replay(20).metadata(), at20.metadata());
    assertSame(ten.get(), ten.get());
    assertEquals(1, loads.get());

    Supplier<Snapshot> at23 = tail.checkpointSnapshot(23, 1_700_000_000_023L, counting(loads, 23));
    assertEquals(files(replay(23)), files(at23.get()));
    assertEquals(1, loads.get(), "versions 21 to 23 came from the tail");
  }

  @Test
  void aGapInThePublishedVersionsFallsBackToTheCatalog() {
    LogTail tail = new LogTail();
    AtomicInteger loads = new AtomicInteger();
    publish(tail, 0, 10);
    tail.checkpointSnapshot(10, 0, counting(loads, 10));
    publish(tail, 12, 20); // 11 published by someone else
    Supplier<Snapshot> twenty = tail.checkpointSnapshot(20, 0, counting(loads, 20));
    assertEquals(files(replay(20)), files(twenty.get()));
    assertEquals(1, loads.get());
  }

  @Test
  void moreVersionsThanTheTailKeepsAreFoldedIntoTheBase() {
    LogTail tail = new LogTail();
    AtomicInteger loads = new AtomicInteger();
    tail.published(version(0));
    tail.checkpointSnapshot(0, 0, counting(loads, 0));
    long last = 3 * LogTail.MAX_SINCE + 7;
    publish(tail, 1, last);
    Supplier<Snapshot> snapshot = tail.checkpointSnapshot(last, 0, counting(loads, last));
    assertEquals(files(replay(last)), files(snapshot.get()));
    assertEquals(1, loads.get());
  }

  /**
   * While no checkpoint asks for the base (all left out by the spacing), the folded versions
   * are held only up to {@link LogTail#MAX_FOLDS} folds: then the base is dropped, and the next
   * checkpoint reads the catalog.
   */
  @Test
  void foldsIntoABaseNobodyAsksForAreBounded() {
    LogTail tail = new LogTail();
    AtomicInteger loads = new AtomicInteger();
    tail.published(version(0));
    tail.checkpointSnapshot(0, 0, counting(loads, 0));
    long last = (long) (LogTail.MAX_FOLDS + 1) * LogTail.MAX_SINCE;
    publish(tail, 1, last);
    assertEquals(Optional.of(0L + (long) LogTail.MAX_FOLDS * LogTail.MAX_SINCE), tail.baseVersion(),
        "folded " + LogTail.MAX_FOLDS + " times");
    publish(tail, last + 1, last + LogTail.MAX_SINCE + 1);
    assertEquals(Optional.empty(), tail.baseVersion(), "one fold more drops the base");
    long end = last + LogTail.MAX_SINCE + 1;
    Supplier<Snapshot> snapshot = tail.checkpointSnapshot(end, 0, counting(loads, end));
    assertEquals(files(replay(end)), files(snapshot.get()));
    assertEquals(1, loads.get(), "the catalog, not the folds");
  }

  /**
   * A checkpoint of a large table that took 2 s keeps the next one 8 s away, not the spacing's
   * 1 s (before, the next one came 1 s after it, whatever its cost); one that is being written
   * keeps every other out; a small table's are never spaced.
   */
  @Test
  void aLargeTablesCheckpointsAreSpacedByTheirCost() {
    LogTail tail = new LogTail();
    assertFalse(tail.tooSoon(0, SECOND, 1_000), "no checkpoint yet");
    tail.checkpointStarted();
    tail.checkpointed(10_000, 100_000, 2_000);
    assertTrue(tail.tooSoon(11_500, SECOND, 1_000));
    assertTrue(tail.tooSoon(17_999, SECOND, 1_000));
    assertFalse(tail.tooSoon(18_000, SECOND, 1_000));
    assertFalse(tail.tooSoon(11_500, Duration.ZERO, 1_000), "a zero spacing writes every checkpoint");
    assertFalse(tail.tooSoon(10_001, SECOND, 100_000), "a table of at most the spacing's files");

    tail.checkpointStarted();
    assertTrue(tail.tooSoon(60_000, SECOND, 1_000), "while one is being written");
    tail.checkpointFailed();
    assertFalse(tail.tooSoon(60_000, SECOND, 1_000));

    tail.checkpointed(70_000, 100_000, 100);
    assertTrue(tail.tooSoon(70_999, SECOND, 1_000), "the spacing when the cost is lower");
    assertFalse(tail.tooSoon(71_000, SECOND, 1_000));
  }
}
