package io.deltasql.core.mirror;

import static io.deltasql.core.mirror.MirrorEngineTest.CONFIG;
import static io.deltasql.core.mirror.MirroredLog.assertEqualsCatalog;
import static io.deltasql.core.mirror.MirroredLog.assertStates;
import static io.deltasql.core.mirror.MirroredLog.checkpointVersions;
import static io.deltasql.core.mirror.MirroredLog.lastCheckpoint;
import static io.deltasql.core.mirror.MirroredLog.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.catalog.MirrorStatus;
import io.deltasql.core.json.LastCheckpoint;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Storage faults: transient failures retried within a pass, lost acknowledgements, a table
 * that keeps failing while others go on, failed checkpoints, and a storage outage that
 * pauses background mirroring until it is over. On every catalog database.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MirrorFaultTest {
  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("mirrorfault");
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  private CatalogStore store() {
    return catalog.store();
  }

  @Test
  void transientWriteFailuresAreRetriedWithinThePass() {
    FaultyStorage storage = new FaultyStorage();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Lake lake = new Lake(store()); MirrorEngine engine = MirrorEngine.open(store(), storage, CONFIG, registry)) {
      TestTable table = lake.table();
      table.commit(11);
      storage.failNextWrites(2);

      assertEquals(new MirrorOutcome(table.id(), 11, 0, Optional.empty(), false), engine.mirror(table.id()));

      assertEqualsCatalog(store(), table);
      assertEquals(List.of(10L), checkpointVersions(table));
      assertEquals(2, registry.counter(MirrorMetrics.RETRIES).count());
      assertEquals(0, registry.counter(MirrorMetrics.FAILURES).count());
    }
  }

  /** The write lands but reports a failure: the retry finds the file identical, which is no divergence. */
  @Test
  void aLostAcknowledgementIsNotADivergence() {
    FaultyStorage storage = new FaultyStorage();
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), storage, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      table.commit(3);
      storage.loseNextAcknowledgements(2);

      assertTrue(engine.mirror(table.id()).complete());

      assertEquals(Optional.empty(), store().findTable(table.id()).orElseThrow().divergence());
      for (long v = 0; v <= 3; v++) {
        assertEquals(1, storage.created(table.logFile(LogFile.commitFileName(v))), "creations of version " + v);
      }
      assertEqualsCatalog(store(), table);
    }
  }

  @Test
  void aTableThatKeepsFailingDoesNotBlockOthersAndConvergesOnceHealed() {
    FaultyStorage storage = new FaultyStorage();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Lake lake = new Lake(store()); MirrorEngine engine = MirrorEngine.open(store(), storage, CONFIG, registry)) {
      TestTable failing = lake.table();
      TestTable healthy = lake.table();
      storage.scope(path -> path.startsWith(failing.location() + "/")).down();
      failing.commit(4);
      healthy.commit(4);

      List<MirrorOutcome> outcomes = engine.reconcile();

      assertEquals(2, outcomes.size());
      MirrorOutcome failed = engine.mirror(failing.id());
      assertEquals(-1, failed.mirroredThrough());
      assertEquals(5, failed.pending());
      assertTrue(failed.failure().orElseThrow().contains("after 3 tries"), failed.failure().get());
      assertFalse(failed.diverged());
      MirrorStatus first = status(store(), failing, 0);
      assertEquals(MirrorState.FAILED, first.state());
      assertEquals(2, first.attempts(), "one per pass");
      assertTrue(first.lastError().orElseThrow().contains("injected fault"), first.lastError().get());
      assertStates(store(), failing, MirrorState.PENDING, 1, 2, 3, 4);
      assertTrue(MirroredLog.commitFiles(failing).isEmpty());
      assertEqualsCatalog(store(), healthy);
      assertEquals(2, registry.counter(MirrorMetrics.FAILURES).count());
      assertEquals(MirrorEngineStatus.State.RUNNING, engine.status().state(), "one table failing is not systemic");

      storage.heal();
      List<MirrorOutcome> healed = engine.reconcile();

      assertEquals(List.of(new MirrorOutcome(failing.id(), 4, 0, Optional.empty(), false)), healed);
      assertEqualsCatalog(store(), failing);
      assertEquals(3, status(store(), failing, 0).attempts());
      assertEquals(Optional.empty(), status(store(), failing, 0).lastError());
    }
  }

  /**
   * A checkpoint that cannot be written leaves its version FAILED without holding back the
   * later versions; the reconciler writes it once storage allows.
   */
  @Test
  void aFailedCheckpointIsRetriedByTheReconciler() {
    FaultyStorage storage = new FaultyStorage().scope(path -> path.endsWith(".checkpoint.parquet")).down();
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), storage, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      table.commit(12);

      MirrorOutcome outcome = engine.mirror(table.id());

      assertEquals(12, outcome.mirroredThrough());
      assertEquals(1, outcome.pending());
      assertTrue(outcome.failure().orElseThrow().contains("checkpoint"), outcome.failure().get());
      assertEquals(13, MirroredLog.commitFiles(table).size());
      assertEquals(MirrorState.FAILED, status(store(), table, 10).state());
      assertStates(store(), table, MirrorState.DONE, 9, 11, 12);
      assertEquals(List.of(), checkpointVersions(table));

      storage.heal();
      assertEquals(List.of(new MirrorOutcome(table.id(), 12, 0, Optional.empty(), false)), engine.reconcile());

      assertEqualsCatalog(store(), table);
      assertEquals(List.of(10L), checkpointVersions(table));
      assertEquals(10, lastCheckpoint(table).orElseThrow().version());
    }
  }

  /** The checkpoint lands but {@code _last_checkpoint} fails: the retry completes the hint from the checkpoint. */
  @Test
  void aFailedLastCheckpointIsCompletedByTheRetry() {
    FaultyStorage storage = new FaultyStorage().scope(path -> path.endsWith("_last_checkpoint")).failNextWrites(1);
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), storage, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      table.commit(10);

      assertTrue(engine.mirror(table.id()).complete());

      LastCheckpoint hint = lastCheckpoint(table).orElseThrow();
      assertEquals(10, hint.version());
      assertEquals(2 + store().snapshotAt(table.id(), 10).files().size(), hint.size());
      assertEquals(1, storage.overwritten(table.logFile(CheckpointPublisher.LAST_CHECKPOINT)),
          "the first try failed, the second completed the hint");
      assertEqualsCatalog(store(), table);
    }
  }

  /**
   * Storage down for every table: after two rounds in which everything failed, background
   * rounds pause (ERROR, metric, status); once the cool-down is over and storage is back,
   * the background converges by itself.
   */
  @Test
  void aSystemicFailurePausesBackgroundMirroringUntilTheCoolDownEnds() throws InterruptedException {
    FaultyStorage storage = new FaultyStorage();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MirrorConfig config = CONFIG.withReconcilePeriod(Duration.ofMillis(20))
        .withSystemicFailure(2, Duration.ofMillis(1500));
    try (Lake lake = new Lake(store())) {
      TestTable a = lake.table();
      TestTable b = lake.table();
      a.commit(2);
      b.commit(2);
      storage.down();
      try (MirrorEngine engine = MirrorEngine.open(store(), storage, config, registry)) {
        awaitTrue(() -> engine.status().state() == MirrorEngineStatus.State.PAUSED, "paused");
        MirrorEngineStatus paused = engine.status();
        assertTrue(paused.pausedUntil().isPresent());
        assertTrue(paused.lastFailure().orElseThrow().contains("injected fault"), paused.lastFailure().get());
        assertEquals(1, registry.counter(MirrorMetrics.PAUSES).count());
        assertEquals(1, registry.get(MirrorMetrics.PAUSED).gauge().value());

        int writes = storage.writeCalls();
        Thread.sleep(100);
        assertEquals(writes, storage.writeCalls(), "no background round while paused");
        assertTrue(engine.mirror(a.id()).failure().isPresent());
        assertEquals(writes + 1, storage.writeCalls(), "a post-commit mirror tries once while paused");

        storage.heal();
        awaitTrue(() -> engine.unmirroredCount(a.id()) == 0 && engine.unmirroredCount(b.id()) == 0, "converged");
        assertEquals(MirrorEngineStatus.State.RUNNING, engine.status().state());
        assertEquals(0, registry.get(MirrorMetrics.PAUSED).gauge().value());
      }
      assertEqualsCatalog(store(), a);
      assertEqualsCatalog(store(), b);
    }
  }

  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }
}
