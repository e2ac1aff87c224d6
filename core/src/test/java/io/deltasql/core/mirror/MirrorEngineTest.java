package io.deltasql.core.mirror;

import static io.deltasql.core.mirror.MirroredLog.assertCommitFilesEqualCatalog;
import static io.deltasql.core.mirror.MirroredLog.assertEqualsCatalog;
import static io.deltasql.core.mirror.MirroredLog.checkpointVersions;
import static io.deltasql.core.mirror.MirroredLog.lastCheckpoint;
import static io.deltasql.core.mirror.MirroredLog.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.json.LastCheckpoint;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the mirror writes: every version in order, byte for byte the catalog's canonical
 * commit, checkpoints at the table's interval, never a rewrite of an imported version,
 * never an overwrite of a foreign commit; and backpressure. On every catalog database.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MirrorEngineTest {
  /** No background thread; quick retries. */
  static final MirrorConfig CONFIG = MirrorConfig.DEFAULTS.withReconcilePeriod(Duration.ZERO).withAttempts(3)
      .withBackoff(Duration.ofMillis(1), Duration.ofMillis(4));
  private static final Storage STORAGE = LocalStorage.INSTANCE;

  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("mirror");
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  private CatalogStore store() {
    return catalog.store();
  }

  @Test
  void mirrorsEveryVersionInOrderWithCheckpointsAtTheInterval() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Lake lake = new Lake(store()); MirrorEngine engine = MirrorEngine.open(store(), STORAGE, CONFIG, registry)) {
      TestTable table = lake.table();
      table.commit(24);

      MirrorOutcome outcome = engine.mirror(table.id());

      assertEquals(new MirrorOutcome(table.id(), 24, 0, Optional.empty(), false), outcome);
      assertTrue(outcome.complete());
      assertEqualsCatalog(store(), table);
      // One pass over 25 versions writes only the newest checkpoint due: version 10's would be
      // superseded at once (a reader starts from the newest checkpoint at or before its version).
      assertEquals(List.of(20L), checkpointVersions(table));
      LastCheckpoint last = lastCheckpoint(table).orElseThrow();
      int files = store().snapshotAt(table.id(), 20).files().size();
      assertEquals(20, last.version());
      assertEquals(2 + files, last.size(), "protocol, metadata and the active files");
      assertEquals(Optional.of((long) files), last.numOfAddFiles());
      for (long v = 0; v <= 24; v++) {
        assertEquals(1, status(store(), table, v).attempts(), "attempts of version " + v);
        assertEquals(Optional.empty(), status(store(), table, v).lastError());
      }
      assertEquals(25, registry.counter(MirrorMetrics.VERSIONS).count());
      assertEquals(1, registry.counter(MirrorMetrics.CHECKPOINTS).count());
      assertEquals(1, registry.counter(MirrorMetrics.CHECKPOINTS_SPACED).count(), "version 10's, superseded");
      assertEquals(25, registry.timer(MirrorMetrics.LAG).count(), "a lag per version written");
      assertEquals(0, registry.counter(MirrorMetrics.FAILURES).count());

      assertEquals(outcome, engine.mirror(table.id()), "nothing left to do");
      assertEquals(25, registry.counter(MirrorMetrics.VERSIONS).count());
    }
  }

  @Test
  void mirrorsAfterEveryCommit() {
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), STORAGE, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      assertTrue(engine.mirror(table.id()).complete());
      for (int i = 0; i < 12; i++) {
        table.commit(1);
        MirrorOutcome outcome = engine.mirror(table.id());
        assertEquals(new MirrorOutcome(table.id(), table.version(), 0, Optional.empty(), false), outcome);
        assertEquals(table.version() + 1, MirroredLog.commitFiles(table).size());
      }
      assertEqualsCatalog(store(), table);
      assertEquals(List.of(10L), checkpointVersions(table));
    }
  }

  /**
   * Each commit file's modification time is its version's in-commit timestamp (local storage
   * can set it): readers that find a version by file time find the one the catalog does.
   */
  @Test
  void commitFilesCarryTheirInCommitTimestampAsModificationTime() {
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), STORAGE, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      table.commit(3);
      assertTrue(engine.mirror(table.id()).complete());
      List<io.deltasql.core.catalog.VersionRecord> history =
          store().history(table.id(), java.time.Instant.EPOCH, java.time.Instant.now().plusSeconds(3600));
      assertEquals(table.version() + 1, history.size());
      for (io.deltasql.core.catalog.VersionRecord v : history) {
        assertEquals(v.timestamp(), STORAGE.status(table.logFile(LogFile.commitFileName(v.version()))).orElseThrow()
            .modificationTime(), "version " + v.version());
      }
    }
  }

  /** The interval in force at each version counts: 4 up to version 4, then 3 from version 5 on. */
  @Test
  void followsTheTablesOwnCheckpointInterval() {
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), STORAGE, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table(Map.of("delta.checkpointInterval", "4"));
      for (int i = 0; i < 4; i++) {
        table.commit(1);
        assertTrue(engine.mirror(table.id()).complete());
      }
      table.configure(Map.of("delta.checkpointInterval", "3"));
      assertTrue(engine.mirror(table.id()).complete());
      for (int i = 0; i < 7; i++) {
        table.commit(1);
        assertTrue(engine.mirror(table.id()).complete());
      }

      assertEqualsCatalog(store(), table);
      assertEquals(List.of(4L, 6L, 9L, 12L), checkpointVersions(table));
      assertEquals(12, lastCheckpoint(table).orElseThrow().version());
    }
  }

  @Test
  void neverRewritesVersionsAlreadyInTheLog() {
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), STORAGE, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.importedTable();
      String first = table.logFile(LogFile.commitFileName(0));
      byte[] imported = (new String(CommitJson.write(store().versionActions(table.id(), 0)),
          StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
      STORAGE.write(first, imported);
      table.commit(3);

      assertEquals(new MirrorOutcome(table.id(), 3, 0, Optional.empty(), false), engine.mirror(table.id()));

      assertArrayEquals(imported, STORAGE.readAll(first), "the imported commit is untouched");
      assertEquals(0, status(store(), table, 0).attempts(), "never attempted");
      for (long v = 1; v <= 3; v++) {
        assertArrayEquals(CommitJson.write(store().versionActions(table.id(), v)),
            STORAGE.readAll(table.logFile(LogFile.commitFileName(v))));
      }
    }
  }

  @Test
  void aForeignCommitMarksTheTableDivergedAndIsNeverOverwritten() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Lake lake = new Lake(store()); MirrorEngine engine = MirrorEngine.open(store(), STORAGE, CONFIG, registry)) {
      TestTable foreign = lake.table();
      TestTable other = lake.table();
      foreign.commit(3);
      other.commit(2);
      String second = foreign.logFile(LogFile.commitFileName(2));
      byte[] theirs = "{\"commitInfo\":{\"operation\":\"WRITE\",\"engineInfo\":\"Apache-Spark\"}}\n"
          .getBytes(StandardCharsets.UTF_8);
      STORAGE.write(second, theirs);

      List<MirrorOutcome> outcomes = engine.reconcile();

      MirrorOutcome diverged = outcomes.stream().filter(o -> o.tableId() == foreign.id()).findFirst().orElseThrow();
      assertTrue(diverged.diverged());
      assertEquals(1, diverged.mirroredThrough());
      assertEquals(2, diverged.pending());
      String reason = store().findTable(foreign.id()).orElseThrow().divergence().orElseThrow();
      assertTrue(reason.contains("Version 2") && reason.contains(second), reason);
      assertEquals(diverged.failure(), Optional.of(reason));
      assertArrayEquals(theirs, STORAGE.readAll(second), "the foreign commit is untouched");
      assertFalse(STORAGE.status(foreign.logFile(LogFile.commitFileName(3))).isPresent(), "nothing after it");
      assertEquals(MirrorState.FAILED, status(store(), foreign, 2).state());
      assertEquals(Optional.of(reason), status(store(), foreign, 2).lastError());
      assertEquals(1, registry.counter(MirrorMetrics.DIVERGENCES).count());

      assertCommitFilesEqualCatalog(store(), other);

      MirrorOutcome again = engine.mirror(foreign.id());
      assertTrue(again.diverged());
      assertArrayEquals(theirs, STORAGE.readAll(second));
      assertEquals(List.of(), engine.reconcile(), "a diverged table is left alone");
      DeltaException refused = assertThrows(DeltaException.class, () -> foreign.commit(1));
      assertEquals(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, refused.state());
    }
  }

  @Test
  void aCommitFileAlreadyHoldingTheVersionIsDone() {
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), STORAGE, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      table.commit(2);
      // version 1 written before a crash, its status never updated
      byte[] canonical = CommitJson.write(store().versionActions(table.id(), 1));
      STORAGE.write(table.logFile(LogFile.commitFileName(1)), canonical);
      // version 2 written by an earlier deltasql: commitInfo last, blank lines
      List<String> lines = new ArrayList<>(List.of(new String(CommitJson.write(store().versionActions(table.id(), 2)),
          StandardCharsets.UTF_8).split("\n")));
      lines.add(lines.remove(0));
      STORAGE.write(table.logFile(LogFile.commitFileName(2)),
          (String.join("\n\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));

      assertEquals(new MirrorOutcome(table.id(), 2, 0, Optional.empty(), false), engine.mirror(table.id()));

      assertEquals(Optional.empty(), store().findTable(table.id()).orElseThrow().divergence());
      assertArrayEquals(canonical, STORAGE.readAll(table.logFile(LogFile.commitFileName(1))));
      MirroredLog.assertStates(store(), table, MirrorState.DONE, 0, 1, 2);
    }
  }

  @Test
  void backpressureRefusesCommitsToATableTooFarBehind() {
    FaultyStorage storage = new FaultyStorage();
    MirrorConfig config = CONFIG.withMaxUnmirroredVersions(3).withAttempts(1);
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), storage, config, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      storage.down();
      table.commit(2);
      assertEquals(3, engine.unmirroredCount(table.id()));
      engine.checkBackpressure(table.id());
      table.commit(1);
      assertFalse(engine.mirror(table.id()).complete());

      DeltaException refused = assertThrows(DeltaException.class, () -> engine.checkBackpressure(table.id()));
      assertEquals(SqlState.INSUFFICIENT_RESOURCES, refused.state());
      assertTrue(refused.isRetryable());
      assertTrue(refused.getMessage().contains(table.info().qualifiedName())
          && refused.getMessage().contains("4 committed versions"), refused.getMessage());
      assertThrows(DeltaException.class, () -> store().inTransaction(tx -> {
        engine.checkBackpressure(tx, table.id());
        return null;
      }));

      storage.heal();
      assertTrue(engine.reconcile(table.id()).complete());
      assertEquals(0, engine.unmirroredCount(table.id()));
      engine.checkBackpressure(table.id());
    }
  }

  @Test
  void aTableThatDoesNotExistIsSkipped() {
    try (MirrorEngine engine = MirrorEngine.open(store(), STORAGE, CONFIG, new SimpleMeterRegistry())) {
      assertEquals(MirrorOutcome.skipped(Long.MAX_VALUE), engine.mirror(Long.MAX_VALUE));
      assertEquals(0, engine.unmirroredCount(Long.MAX_VALUE));
    }
  }
}
