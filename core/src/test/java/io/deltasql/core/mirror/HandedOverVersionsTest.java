package io.deltasql.core.mirror;

import static io.deltasql.core.mirror.KernelReadsMirrorTest.KERNEL;
import static io.deltasql.core.mirror.KernelReadsMirrorTest.catalogFiles;
import static io.deltasql.core.mirror.KernelReadsMirrorTest.scanFiles;
import static io.deltasql.core.mirror.MirroredLog.assertSnapshotEquals;
import static io.deltasql.core.mirror.MirroredLog.checkpointVersions;
import static io.deltasql.core.mirror.MirroredLog.lastCheckpoint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.Table;
import io.delta.kernel.internal.SnapshotImpl;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.json.LastCheckpointJson;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.deltasql.core.testing.ManualClock;
import io.deltasql.core.txn.MultiTableCommitResult;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter.MirrorMode;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.NewTable;
import io.deltasql.core.txn.TableActionsBuilder;
import io.deltasql.core.txn.TableCommitResult;
import io.deltasql.core.txn.TableRef;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Versions handed from the writer to the mirror: the commit returns before the log is
 * written (pending, honestly) unless the writer mirrors synchronously; the log then holds,
 * byte for byte, what the catalog holds, although the mirror wrote it from the writer's
 * actions; checkpoints built incrementally equal the catalog's snapshots; the snapshots the
 * writer caches for its new versions equal the catalog's; a foreign commit file is still
 * found and the table marked diverged. On every catalog database.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandedOverVersionsTest {
  private static final Storage STORAGE = LocalStorage.INSTANCE;
  private static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"day\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";
  private static final Duration AWAIT = Duration.ofSeconds(60);
  private static final Instant T_CLOCK = Instant.parse("2026-12-03T00:00:00Z");

  @Parameter
  CatalogBackend backend;

  @TempDir
  Path lake;

  private CatalogFixture catalog;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("handover");
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  @BeforeEach
  void clear() {
    open.clear();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private CatalogStore store() {
    return catalog.store();
  }

  private MirrorEngine engine() {
    return engine(STORAGE, MirrorEngineTest.CONFIG, Clock.systemUTC(), new SimpleMeterRegistry());
  }

  private MirrorEngine engine(Storage storage, MirrorConfig config, Clock clock, SimpleMeterRegistry meters) {
    return engine(config, clock, System::nanoTime, CheckpointWarmUp.PARQUET, storage, meters);
  }

  private MirrorEngine engine(MirrorConfig config, Clock clock, LongSupplier ticker, CheckpointWarmUp warmUp,
      Storage storage, SimpleMeterRegistry meters) {
    MirrorEngine engine = MirrorEngine.open(store(), storage, config, meters, clock, ticker, warmUp);
    open.add(engine);
    return engine;
  }

  /** A ticker that moves 1 ms each time it is read: a handed-over version's lag is at least 1 ms. */
  private static LongSupplier ticker() {
    AtomicLong nanos = new AtomicLong();
    return () -> nanos.addAndGet(1_000_000);
  }

  /** An engine whose checkpoint writes wait until {@code gate} opens; commit files are written at once. */
  private MirrorEngine engineHoldingCheckpoints(CountDownLatch gate) {
    return engine(holdingCheckpoints(gate), MirrorEngineTest.CONFIG, Clock.systemUTC(), new SimpleMeterRegistry());
  }

  /** Storage whose checkpoint writes wait until {@code gate} opens. */
  private static FaultyStorage holdingCheckpoints(CountDownLatch gate) {
    return new FaultyStorage().scope(path -> path.endsWith(".checkpoint.parquet")).holdWritesUntil(gate);
  }

  /** A writer whose commits no mirror sees (another process, without one). */
  private MultiTableWriter writerWithoutMirror() {
    return writerWithoutMirror(Clock.systemUTC());
  }

  /** {@link #writerWithoutMirror()} whose in-commit timestamps come from {@code clock}. */
  private MultiTableWriter writerWithoutMirror(Clock clock) {
    return writer(new TableMirror() {
      @Override
      public MirrorOutcome mirror(long tableId) {
        return MirrorOutcome.skipped(tableId);
      }

      @Override
      public MirrorOutcome publish(CommittedVersion committed, boolean awaitLog) {
        return MirrorOutcome.skipped(committed.tableId());
      }
    }, MirrorMode.ASYNCHRONOUS, clock);
  }

  private MultiTableWriter writer(TableMirror mirror, MirrorMode mode) {
    return writer(mirror, mode, Clock.systemUTC());
  }

  private MultiTableWriter writer(TableMirror mirror, MirrorMode mode, Clock clock) {
    MultiTableWriter writer = MultiTableWriter.builder(store()).mirror(mirror).mirrorMode(mode).clock(clock).build();
    open.add(writer);
    return writer;
  }

  @Test
  void commitReturnsPendingAndTheLogCatchesUpWithTheCatalogsVersions() throws IOException {
    MirrorEngine engine = engine();
    MultiTableWriter writer = writer(engine, MirrorMode.ASYNCHRONOUS);
    TableRef t = create(writer, "async");
    MultiTableCommitResult last = null;
    for (int i = 1; i <= 24; i++) {
      last = writer.commit(change(writer, t, i));
      TableCommitResult r = last.table(t.key()).orElseThrow();
      assertFalse(r.mirror().complete(), "a queued version is pending: " + r.mirror());
      assertTrue(r.mirror().failure().isEmpty(), r.mirror().toString());
    }
    MultiTableCommitResult awaited = writer.awaitMirrored(last, AWAIT);
    TableCommitResult r = awaited.table(t.key()).orElseThrow();
    assertTrue(r.mirror().mirroredThrough() >= 24, r.mirror().toString());

    assertLogEqualsCatalog(t);
    assertEquals(20, LastCheckpointJson.parse(STORAGE.readAll(logFile(t, "_last_checkpoint")), "hint").version());
    assertTrue(STORAGE.status(logFile(t, LogFile.commitFileName(20).replace(".json", ".checkpoint.parquet")))
        .isPresent(), "checkpoint of version 20");
  }

  @Test
  void synchronousModeHasTheCommitFileInPlaceWhenCommitReturns() {
    MirrorEngine engine = engine();
    MultiTableWriter writer = writer(engine, MirrorMode.SYNCHRONOUS);
    TableRef t = create(writer, "sync");
    for (int i = 1; i <= 12; i++) {
      MultiTableCommitResult result = writer.commit(change(writer, t, i));
      TableCommitResult r = result.table(t.key()).orElseThrow();
      assertTrue(r.mirror().complete(), r.mirror().toString());
      assertEquals(i, r.mirror().mirroredThrough());
      assertArrayEquals(CommitJson.write(store().versionActions(t.tableId(), i)),
          STORAGE.readAll(logFile(t, LogFile.commitFileName(i))), "version " + i);
      assertEquals(MirrorState.DONE, store().inTransaction(tx -> tx.mirrorStatus(t.tableId(), r.version()))
          .orElseThrow().state());
    }
    assertLogEqualsCatalog(t);
  }

  @Test
  void heldActionsAndCachedSnapshotsEqualTheCatalogsCopies() {
    List<CommittedVersion> handed = new CopyOnWriteArrayList<>();
    TableMirror capture = new TableMirror() {
      @Override
      public MirrorOutcome mirror(long tableId) {
        return MirrorOutcome.skipped(tableId);
      }

      @Override
      public MirrorOutcome publish(CommittedVersion committed, boolean awaitLog) {
        handed.add(committed);
        return MirrorOutcome.skipped(committed.tableId());
      }
    };
    MultiTableWriter writer = writer(capture, MirrorMode.ASYNCHRONOUS);
    TableRef t = create(writer, "held");
    for (int i = 1; i <= 8; i++) {
      writer.commit(change(writer, t, i));
    }
    assertEquals(9, handed.size());
    for (CommittedVersion v : handed) {
      assertTrue(v.held(), "version " + v.version() + " is handed over with its actions and metadata");
      assertArrayEquals(CommitJson.write(store().versionActions(t.tableId(), v.version())),
          CommitJson.write(v.actions().orElseThrow()), "version " + v.version());
      Snapshot catalogs = store().snapshotAt(t.tableId(), v.version());
      assertEquals(catalogs.metadata(), v.metadata().orElseThrow(), "metadata in force at " + v.version());
      assertEquals(catalogs.timestamp(), v.commitTimestamp());
      Snapshot cached = writer.cache().cached(t.tableId(), v.version()).orElseThrow();
      assertSnapshotEquals(catalogs, cached);
    }
  }

  @Test
  void aForeignCommitFileIsStillJudgedAgainstTheCatalogAndDivergesTheTable() throws IOException {
    MirrorEngine engine = engine();
    MultiTableWriter writer = writer(engine, MirrorMode.ASYNCHRONOUS);
    TableRef t = create(writer, "foreign");
    MultiTableCommitResult first = writer.commit(change(writer, t, 1));
    writer.awaitMirrored(first, AWAIT);
    Path foreign = Path.of(logFile(t, LogFile.commitFileName(2)));
    Files.writeString(foreign, "{\"commitInfo\":{\"operation\":\"OTHER ENGINE\"}}\n", StandardCharsets.UTF_8);

    MultiTableCommitResult second = writer.commit(change(writer, t, 2));
    TableCommitResult r = writer.awaitMirrored(second, AWAIT).table(t.key()).orElseThrow();
    assertTrue(r.mirror().diverged(), r.mirror().toString());
    assertTrue(store().findTable(t.tableId()).orElseThrow().diverged());
    assertEquals("{\"commitInfo\":{\"operation\":\"OTHER ENGINE\"}}\n", Files.readString(foreign));
  }

  /**
   * More busy tables than workers: each busy table gets its next version committed while the
   * mirror writes the previous one, so its queue is never empty when a turn ends. A table
   * committed once after them must still be mirrored while they keep committing, not after
   * one of them stops: a turn ends with the versions it took, and the table waits behind the
   * others for its next one.
   */
  @Test
  void busyTablesDoNotKeepTheWorkersFromAQuietTable() {
    int chain = 40;
    MirrorEngine engine = engine();
    MultiTableWriter writer = writer(engine, MirrorMode.ASYNCHRONOUS);
    List<TableRef> busy = new ArrayList<>();
    for (int i = 0; i < MirrorEngine.WORKERS; i++) {
      busy.add(create(writer, "busy"));
    }
    TableRef quiet = create(writer, "quiet");
    for (TableRef t : busy) {
      engine.awaitMirrored(t.tableId(), 0, AWAIT);
    }
    engine.awaitMirrored(quiet.tableId(), 0, AWAIT);
    Map<Long, TableRef> busyById = new java.util.HashMap<>();
    busy.forEach(t -> busyById.put(t.tableId(), t));
    List<long[]> published = new CopyOnWriteArrayList<>();
    engine.addListener((tableId, version, commitTimestamp) -> {
      published.add(new long[] {tableId, version});
      TableRef t = busyById.get(tableId);
      if (t != null && version < chain) {
        writer.commit(change(writer, t, (int) version + 1)); // the writer is faster than the mirror
      }
    });
    for (TableRef t : busy) {
      writer.commit(change(writer, t, 1));
    }
    writer.commit(change(writer, quiet, 1));

    assertTrue(engine.awaitMirrored(quiet.tableId(), 1, AWAIT).mirroredThrough() >= 1);
    for (TableRef t : busy) {
      assertTrue(engine.awaitMirrored(t.tableId(), chain, AWAIT).mirroredThrough() >= chain, t.tableName());
    }
    int quietAt = 0;
    while (published.get(quietAt)[0] != quiet.tableId()) {
      quietAt++;
    }
    for (TableRef t : busy) {
      long reached = published.subList(0, quietAt).stream().filter(p -> p[0] == t.tableId())
          .mapToLong(p -> p[1]).max().orElse(0);
      assertTrue(reached < chain, "the quiet table waited until " + t.tableName() + " reached version " + reached);
    }
    assertLogEqualsCatalog(quiet);
    busy.forEach(this::assertLogEqualsCatalog);
  }

  /**
   * A burst of commits to one table, more than one a millisecond (here: a writer whose clock
   * stands still), raises each in-commit timestamp above the previous one, ahead of the engine's
   * clock. The lag of each version handed over is measured from its hand-over, so it is not 0:
   * before, every one of them recorded 0 (the timestamp ahead of the clock, clamped).
   */
  @Test
  void handedOverVersionsAreMeasuredFromTheirHandOverThoughTheirTimestampsRunAhead() {
    ManualClock clock = new ManualClock(T_CLOCK);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MirrorEngine engine = engine(MirrorEngineTest.CONFIG, clock, ticker(), CheckpointWarmUp.PARQUET, STORAGE, meters);
    Timer lag = meters.timer(MirrorMetrics.LAG);
    long before = lag.count();
    MultiTableWriter writer = writer(engine, MirrorMode.ASYNCHRONOUS, clock);
    TableRef t = create(writer, "burst");
    commitThrough(engine, writer, t, 1, 30);

    assertEquals(clock.millis() + 30, store().snapshotAt(t.tableId(), 30).timestamp(),
        "each in-commit timestamp raised above the previous one");
    assertEquals(31, lag.count() - before, "a lag per version written");
    assertTrue(lag.max(TimeUnit.MILLISECONDS) >= 1, "lag max " + lag.max(TimeUnit.MILLISECONDS));
    assertTrue(lag.totalTime(TimeUnit.MILLISECONDS) >= 31, "each lag at least one tick: total "
        + lag.totalTime(TimeUnit.MILLISECONDS) + " ms");
    assertLogEqualsCatalog(t);
  }

  /**
   * Versions another process committed (no hand-over) are measured from their in-commit
   * timestamps to the engine's clock; a version handed over without its actions, which a pass
   * then reads from the catalog, from its hand-over.
   */
  @Test
  void versionsNotHandedOverAreMeasuredFromTheirTimestamps() {
    ManualClock engineClock = new ManualClock(T_CLOCK.plusSeconds(10));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MirrorEngine engine = engine(MirrorEngineTest.CONFIG, engineClock, ticker(), CheckpointWarmUp.PARQUET, STORAGE,
        meters);
    Timer lag = meters.timer(MirrorMetrics.LAG);
    MultiTableWriter elsewhere = writerWithoutMirror(new ManualClock(T_CLOCK));
    TableRef t = create(elsewhere, "elsewhere");
    for (int i = 1; i <= 5; i++) {
      elsewhere.commit(change(elsewhere, t, i));
    }
    double expected = 0;
    for (long v = 0; v <= 5; v++) {
      expected += engineClock.millis() - store().snapshotAt(t.tableId(), v).timestamp();
    }
    long count = lag.count();
    double total = lag.totalTime(TimeUnit.MILLISECONDS);

    assertTrue(engine.reconcile(t.tableId()).complete());
    assertEquals(6, lag.count() - count);
    assertEquals(expected, lag.totalTime(TimeUnit.MILLISECONDS) - total, 0.001, "10 s less each timestamp's lead");

    MultiTableCommitResult sixth = elsewhere.commit(change(elsewhere, t, 6));
    long timestamp = store().snapshotAt(t.tableId(), 6).timestamp();
    total = lag.totalTime(TimeUnit.MILLISECONDS);
    MirrorOutcome outcome = engine.publish(CommittedVersion.withoutActions(t.tableId(), 6, timestamp,
        sixth.transactionId().toString()), true);

    assertEquals(6, outcome.mirroredThrough(), outcome.toString());
    assertEquals(7, lag.count() - count);
    double handedOver = lag.totalTime(TimeUnit.MILLISECONDS) - total;
    assertTrue(handedOver >= 1 && handedOver < 1_000, "a few ticks, not the 10 s its timestamp says: " + handedOver);
  }

  /**
   * A worker's pass over a run of versions with two due checkpoints (10 and 20, committed
   * elsewhere, then version 24 handed over without its actions, which only a pass can publish)
   * hands only the newest to the lane: version 10's is superseded, counted with the checkpoints
   * left out, and not written.
   */
  @Test
  void aWorkersPassHandsOnlyTheNewestOfTwoDueCheckpointsToTheLane() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MirrorEngine engine = engine(STORAGE, MirrorEngineTest.CONFIG, Clock.systemUTC(), meters);
    double spaced = meters.counter(MirrorMetrics.CHECKPOINTS_SPACED).count();
    double written = meters.counter(MirrorMetrics.CHECKPOINTS).count();
    MultiTableWriter elsewhere = writerWithoutMirror();
    TableRef t = create(elsewhere, "twodue");
    MultiTableCommitResult last = null;
    for (int i = 1; i <= 24; i++) {
      last = elsewhere.commit(change(elsewhere, t, i));
    }
    engine.publish(CommittedVersion.withoutActions(t.tableId(), 24, store().snapshotAt(t.tableId(), 24).timestamp(),
        last.transactionId().toString()), false);

    assertTrue(engine.awaitMirrored(t.tableId(), 24, AWAIT).mirroredThrough() >= 24);
    assertCheckpoints(t, 20);
    assertEquals(1, meters.counter(MirrorMetrics.CHECKPOINTS_SPACED).count() - spaced, "version 10's, superseded");
    assertEquals(1, meters.counter(MirrorMetrics.CHECKPOINTS).count() - written);
    assertLogEqualsCatalog(t);
  }

  /**
   * The checkpoint writer's warm-up fails (Parquet's classes missing, say): the failure is kept
   * (and logged at WARN with the table and version that started it), and neither the commit
   * files nor the next checkpoint wait for it or fail with it.
   */
  @Test
  void aFailingWarmUpStopsNeitherCommitFilesNorTheNextCheckpoint() throws InterruptedException {
    CheckpointWarmUp warmUp = new CheckpointWarmUp(() -> {
      throw new NoClassDefFoundError("org/apache/parquet/hadoop/ParquetWriter (injected)");
    });
    MirrorEngine engine = engine(MirrorEngineTest.CONFIG, Clock.systemUTC(), System::nanoTime, warmUp, STORAGE,
        new SimpleMeterRegistry());
    MultiTableWriter writer = writer(engine, MirrorMode.ASYNCHRONOUS);
    TableRef t = create(writer, "warmup");
    commitThrough(engine, writer, t, 1, 12);

    Throwable failure = warmUp.awaitFailure(AWAIT).orElseThrow();
    assertTrue(failure instanceof NoClassDefFoundError, failure.toString());
    assertCheckpoints(t, 10);
    assertLogEqualsCatalog(t);
  }

  /**
   * A table above the spacing's file count, committing faster than the spacing: the due
   * checkpoint within it is left out, yet the log is complete (every commit file, every
   * version DONE), {@code _last_checkpoint} names the newest checkpoint written, and Kernel
   * and our log reader replay the longer tail to the catalog's state. Once the spacing has
   * passed, the next due checkpoint is written.
   */
  @Test
  void aDueCheckpointWithinTheSpacingIsLeftOutAndReadersReplayTheLongerTail() {
    ManualClock clock = new ManualClock(T_CLOCK);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MirrorEngine engine = engine(STORAGE, MirrorEngineTest.CONFIG.withCheckpointSpacing(Duration.ofMinutes(1), 5),
        clock, meters);
    MultiTableWriter writer = writer(engine, MirrorMode.SYNCHRONOUS);
    TableRef t = create(writer, "spaced");
    commitThrough(engine, writer, t, 1, 10);
    commitThrough(engine, writer, t, 11, 25);

    assertEquals(List.of(10L), checkpointVersions(t.location()));
    assertEquals(10, lastCheckpoint(t.location()).orElseThrow().version());
    assertEquals(1, meters.counter(MirrorMetrics.CHECKPOINTS_SPACED).count());
    assertLogEqualsCatalog(t);
    assertKernelReads(t, 25, 10);

    clock.advance(Duration.ofMinutes(1));
    commitThrough(engine, writer, t, 26, 35);

    assertEquals(List.of(10L, 30L), checkpointVersions(t.location()));
    assertEquals(30, lastCheckpoint(t.location()).orElseThrow().version());
    assertEquals(1, meters.counter(MirrorMetrics.CHECKPOINTS_SPACED).count());
    assertLogEqualsCatalog(t);
    assertKernelReads(t, 25, 10);
    assertKernelReads(t, 35, 30);
  }

  /**
   * A large table's checkpoints are spaced by their cost: the checkpoint of version 10 takes
   * 10 s (its write held while the clock moves on), so the one due 5 s after it is left out,
   * though the configured spacing (1 s) has passed, and the one due 40 s after it is written.
   * Before, every checkpoint 1 s after the previous one was written, whatever it cost.
   */
  @Test
  void aLargeTablesCheckpointsAreSpacedByTheirCost() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FaultyStorage storage = holdingCheckpoints(gate);
    ManualClock clock = new ManualClock(T_CLOCK);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MirrorEngine engine = engine(storage, MirrorEngineTest.CONFIG.withCheckpointSpacing(Duration.ofSeconds(1), 5),
        clock, meters);
    MultiTableWriter writer = writer(engine, MirrorMode.ASYNCHRONOUS);
    TableRef t = create(writer, "costly");
    for (int i = 1; i <= 10; i++) {
      writer.commit(change(writer, t, i));
    }
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (storage.writeCalls() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    clock.advance(Duration.ofSeconds(10));
    gate.countDown();
    assertTrue(engine.awaitMirrored(t.tableId(), 10, AWAIT).mirroredThrough() >= 10);
    assertEquals(List.of(10L), checkpointVersions(t.location()));

    clock.advance(Duration.ofSeconds(5));
    commitThrough(engine, writer, t, 11, 20);
    assertEquals(List.of(10L), checkpointVersions(t.location()));
    assertEquals(1, meters.counter(MirrorMetrics.CHECKPOINTS_SPACED).count());

    clock.advance(Duration.ofSeconds(40));
    commitThrough(engine, writer, t, 21, 30);
    assertCheckpoints(t, 10, 30);
    assertLogEqualsCatalog(t);
    assertKernelReads(t, 20, 10);
    assertKernelReads(t, 30, 30);
  }

  /**
   * The first checkpoint after an engine starts over a table being written (a catalog-driven
   * pass's, read from the catalog by the lane) is the base of the next ones, built from the
   * handed-over versions: each equals the catalog's snapshot, and Kernel reads from them.
   */
  @Test
  void checkpointsAfterAnEnginesFirstPassAreKernelReadable() {
    MultiTableWriter unmirrored = writerWithoutMirror();
    TableRef t = create(unmirrored, "restarted");
    for (int i = 1; i <= 9; i++) {
      unmirrored.commit(change(unmirrored, t, i));
    }
    MirrorEngine engine = engine(STORAGE, MirrorEngineTest.CONFIG.withCheckpointSpacing(Duration.ZERO, 0),
        Clock.systemUTC(), new SimpleMeterRegistry());
    MultiTableWriter writer = writer(engine, MirrorMode.ASYNCHRONOUS);
    commitThrough(engine, writer, t, 10, 10);
    for (int from = 11; from <= 41; from += 10) {
      commitThrough(engine, writer, t, from, from + 9);
    }

    assertCheckpoints(t, 10, 20, 30, 40, 50);
    assertLogEqualsCatalog(t);
    for (long v = 10; v <= 50; v += 10) {
      assertKernelReads(t, v, v);
    }
  }

  /** A table with no more active files than the spacing's count gets every due checkpoint, however soon. */
  @Test
  void aSmallTableKeepsEveryDueCheckpoint() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MirrorEngine engine = engine(STORAGE, MirrorEngineTest.CONFIG.withCheckpointSpacing(Duration.ofMinutes(1), 1_000),
        new ManualClock(T_CLOCK), meters);
    MultiTableWriter writer = writer(engine, MirrorMode.SYNCHRONOUS);
    TableRef t = create(writer, "small");
    for (int from = 1; from <= 35; from += 10) {
      commitThrough(engine, writer, t, from, Math.min(from + 9, 35)); // each checkpoint written before the next is due
    }

    assertEquals(List.of(10L, 20L, 30L), checkpointVersions(t.location()));
    assertEquals(30, lastCheckpoint(t.location()).orElseThrow().version());
    assertEquals(0, meters.counter(MirrorMetrics.CHECKPOINTS_SPACED).count());
    assertKernelReads(t, 35, 30);
  }

  /**
   * The process stops between a commit file and its checkpoint (here: the checkpoint cannot
   * be written): the version is left FAILED with its commit file in place, later versions go
   * on, the reconciler writes the checkpoint, and a checkpoint that was not written starts no
   * spacing: the next due one is written.
   */
  @Test
  void aCheckpointMissingAfterItsCommitFileIsWrittenByTheReconcilerAndStartsNoSpacing() {
    FaultyStorage storage = new FaultyStorage().scope(path -> path.endsWith(".checkpoint.parquet")).down();
    MirrorEngine engine = engine(storage, MirrorEngineTest.CONFIG.withCheckpointSpacing(Duration.ofMinutes(1), 5),
        new ManualClock(T_CLOCK), new SimpleMeterRegistry());
    MultiTableWriter writer = writer(engine, MirrorMode.SYNCHRONOUS);
    TableRef t = create(writer, "crashed");
    commitThrough(engine, writer, t, 1, 12);

    assertEquals(MirrorState.FAILED, store().inTransaction(tx -> tx.mirrorStatus(t.tableId(), 10)).orElseThrow()
        .state());
    assertTrue(STORAGE.status(logFile(t, LogFile.commitFileName(12))).isPresent(), "commit file of version 12");
    assertEquals(List.of(), checkpointVersions(t.location()));
    assertTrue(lastCheckpoint(t.location()).isEmpty());
    assertKernelReads(t, 12, -1);

    storage.heal();
    assertTrue(engine.reconcile(t.tableId()).complete());
    commitThrough(engine, writer, t, 13, 20);

    assertEquals(List.of(10L, 20L), checkpointVersions(t.location()));
    assertEquals(20, lastCheckpoint(t.location()).orElseThrow().version());
    assertLogEqualsCatalog(t);
    assertKernelReads(t, 12, 10);
    assertKernelReads(t, 20, 20);
  }

  /**
   * A checkpoint that takes long (here: its write is held) keeps neither its table's later
   * commit files nor other tables' waiting: every commit file through version 15 is in the
   * log while the checkpoint of version 10 is still held, and the checkpoint lands once the
   * store lets it.
   */
  @Test
  void commitFilesDoNotWaitForACheckpoint() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    MirrorEngine engine = engineHoldingCheckpoints(gate);
    MultiTableWriter writer = writer(engine, MirrorMode.ASYNCHRONOUS);
    TableRef held = create(writer, "held");
    TableRef other = create(writer, "other");
    Set<Long> published = ConcurrentHashMap.newKeySet();
    engine.addListener((tableId, version, commitTimestamp) -> {
      if (version == 15) {
        published.add(tableId);
      }
    });
    for (int i = 1; i <= 15; i++) {
      writer.commit(change(writer, held, i));
      writer.commit(change(writer, other, i));
    }
    try {
      long deadline = System.nanoTime() + AWAIT.toNanos();
      while (published.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      for (TableRef t : List.of(held, other)) {
        assertTrue(STORAGE.status(logFile(t, LogFile.commitFileName(15))).isPresent(), t.tableName());
        assertEquals(List.of(), checkpointVersions(t.location()), t.tableName());
      }
    } finally {
      gate.countDown();
    }
    for (TableRef t : List.of(held, other)) {
      assertTrue(engine.awaitMirrored(t.tableId(), 15, AWAIT).mirroredThrough() >= 15);
      assertEquals(List.of(10L), checkpointVersions(t.location()), t.tableName());
      assertEquals(10, lastCheckpoint(t.location()).orElseThrow().version());
      assertLogEqualsCatalog(t);
      assertKernelReads(t, 15, 10);
    }
  }

  /**
   * A worker's catalog-driven pass (here: the engine's first sight of a table whose versions
   * 0 to 12 another writer committed without a mirror) finds checkpoint 10 due: the lane
   * writes it, and the commit files after it do not wait for it (the CI run of 4fff222 saw
   * the pass write it inline and hold version 15 back).
   */
  @Test
  void aPassesCheckpointDoesNotHoldBackCommitFiles() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    MirrorEngine engine = engineHoldingCheckpoints(gate);
    MultiTableWriter unmirrored = writerWithoutMirror();
    TableRef t = create(unmirrored, "late");
    for (int i = 1; i <= 12; i++) {
      unmirrored.commit(change(unmirrored, t, i));
    }
    MultiTableWriter writer = writer(engine, MirrorMode.ASYNCHRONOUS);
    CountDownLatch published = new CountDownLatch(1);
    engine.addListener((tableId, version, commitTimestamp) -> {
      if (tableId == t.tableId() && version == 15) {
        published.countDown();
      }
    });
    for (int i = 13; i <= 15; i++) {
      writer.commit(change(writer, t, i));
    }
    try {
      assertTrue(published.await(AWAIT.toSeconds(), TimeUnit.SECONDS), "version 15 is published");
      for (int v = 0; v <= 15; v++) {
        assertTrue(STORAGE.status(logFile(t, LogFile.commitFileName(v))).isPresent(), "version " + v);
      }
      assertEquals(List.of(), checkpointVersions(t.location()));
    } finally {
      gate.countDown();
    }
    assertTrue(engine.awaitMirrored(t.tableId(), 15, AWAIT).mirroredThrough() >= 15);
    assertEquals(List.of(10L), checkpointVersions(t.location()));
    assertEquals(10, lastCheckpoint(t.location()).orElseThrow().version());
    assertLogEqualsCatalog(t);
    assertKernelReads(t, 15, 10);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private TableRef create(MultiTableWriter writer, String prefix) {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    MultiTableTransaction tx = writer.begin();
    Metadata metadata = new Metadata(UUID.randomUUID().toString(), Optional.of(name), Optional.empty(),
        Format.PARQUET, SCHEMA, List.of("day"), Map.of("delta.appendOnly", "false"), Optional.of(1L));
    writer.createTable(tx, NewTable.of("main", name, lake.resolve(name).toString()), metadata, Optional.empty());
    MultiTableCommitResult result = writer.commit(tx);
    TableRef t = writer.table("main", name);
    assertEquals(0, result.version(t.key()).orElseThrow());
    return t;
  }

  /** Version {@code i}: adds with statistics, partition values and tags; every 3rd removes one; 5th changes metadata. */
  private MultiTableTransaction change(MultiTableWriter writer, TableRef t, int i) {
    MultiTableTransaction tx = writer.begin();
    Snapshot current = writer.snapshotFor(tx, t.tableId()).snapshot();
    TableActionsBuilder b = new TableActionsBuilder(t.key(), current.version()).withOperation("WRITE");
    b.addFile(new AddFile("day=d" + (i % 3) + "/part-" + i + ".parquet", Map.of("day", "d" + (i % 3)), 100 + i,
        1_700_000_000_000L + i, true, Optional.of("{\"numRecords\":" + i + "}"), Map.of("tag", "v" + i),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    if (i % 3 == 0 && !current.files().isEmpty()) {
      AddFile gone = current.files().values().iterator().next();
      b.removeFile(gone.toRemove(1_700_000_000_000L + i, true)).readsTable(true);
    }
    if (i % 5 == 0) {
      Metadata m = current.metadata();
      b.withMetadata(new Metadata(m.id(), m.name(), Optional.of("changed at " + i), m.format(), m.schemaString(),
          m.partitionColumns(), with(m.configuration(), "custom", "v" + i), m.createdTime()));
    }
    if (i % 4 == 0) {
      b.withAppTransaction(new SetTransaction("app", i, Optional.of(1_700_000_000_000L)));
    }
    tx.stageActions(b.build());
    return tx;
  }

  /** Commits versions {@code from} to {@code to}, then waits for their log and checkpoint. */
  private void commitThrough(MirrorEngine engine, MultiTableWriter writer, TableRef t, int from, int to) {
    for (int i = from; i <= to; i++) {
      writer.commit(change(writer, t, i));
    }
    assertTrue(engine.awaitMirrored(t.tableId(), to, AWAIT).mirroredThrough() >= to);
  }

  /** The table's checkpoints are of {@code versions}, and {@code _last_checkpoint} names the newest. */
  private static void assertCheckpoints(TableRef t, long... versions) {
    assertEquals(Arrays.stream(versions).boxed().toList(), checkpointVersions(t.location()));
    assertEquals(versions[versions.length - 1], lastCheckpoint(t.location()).orElseThrow().version());
  }

  /** Kernel reads {@code version} through the checkpoint of {@code checkpoint} (-1: none), with the catalog's files. */
  private void assertKernelReads(TableRef t, long version, long checkpoint) {
    SnapshotImpl kernel = (SnapshotImpl) Table.forPath(KERNEL, t.location()).getSnapshotAsOfVersion(KERNEL, version);
    assertEquals(version, kernel.getVersion());
    assertEquals(checkpoint < 0 ? Optional.empty() : Optional.of(checkpoint),
        kernel.getLogSegment().getCheckpointVersionOpt(), "checkpoint Kernel starts from at " + version);
    assertEquals(catalogFiles(t.location(), store().snapshotAt(t.tableId(), version)), scanFiles(kernel),
        "files at " + version);
  }

  private static Map<String, String> with(Map<String, String> map, String key, String value) {
    Map<String, String> copy = new java.util.HashMap<>(map);
    copy.put(key, value);
    return copy;
  }

  private static String logFile(TableRef t, String name) {
    return StoragePaths.join(StoragePaths.logDir(t.location()), name);
  }

  /** Every version's commit file holds the catalog's bytes, all are DONE, and the log's snapshots equal the catalog's. */
  private void assertLogEqualsCatalog(TableRef t) {
    long latest = store().currentVersion(t.tableId());
    for (long v = 0; v <= latest; v++) {
      assertArrayEquals(CommitJson.write(store().versionActions(t.tableId(), v)),
          STORAGE.readAll(logFile(t, LogFile.commitFileName(v))), "version " + v);
    }
    assertEquals(List.of(), store().inTransaction(tx -> tx.unmirroredVersions(t.tableId())));
    DeltaLog log = DeltaLog.open(STORAGE, t.location());
    assertEquals(latest, log.latestVersion());
    for (long v = 0; v <= latest; v++) {
      assertSnapshotEquals(store().snapshotAt(t.tableId(), v), log.snapshotAt(v));
    }
  }
}
