package io.deltasql.core.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.catalog.MirrorStatus;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The status of handed-over versions, written by the {@link StatusRecorder}: nothing before
 * a flush (or its delay), then every outcome in the order handed over, a table's
 * consecutive ranges as one statement, a checkpoint's {@code FAILED} after its version's
 * {@code DONE} kept, and a dropped table's outcomes not taking the others with them. On
 * every catalog database.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class StatusRecorderTest {
  /** Long enough that only {@link StatusRecorder#flush()} writes, in the tests that say so. */
  private static final Duration NEVER = Duration.ofHours(1);

  @Parameter
  CatalogBackend backend;

  @TempDir
  Path lake;

  private CatalogFixture catalog;
  private StatusRecorder recorder;

  @BeforeEach
  void openCatalog() {
    catalog = backend.fresh("status");
  }

  @AfterEach
  void closeAll() {
    if (recorder != null) {
      recorder.close();
    }
    catalog.close();
  }

  private CatalogStore store() {
    return catalog.store();
  }

  private TestTable table(String name, int versions) {
    TestTable table = TestTable.create(store(), lake.resolve(name).toString(), Map.of());
    table.commit(versions);
    return table;
  }

  private List<MirrorStatus> unmirrored(TestTable table) {
    return store().inTransaction(tx -> tx.unmirroredVersions(table.id()));
  }

  private MirrorStatus status(TestTable table, long version) {
    return store().inTransaction(tx -> tx.mirrorStatus(table.id(), version)).orElseThrow();
  }

  @Test
  void oneTurnAfterAnotherOfTwoTablesIsWrittenAtTheFlushInOrderAndRangesMerged() throws SQLException {
    TestTable a = table("a", 30);
    TestTable b = table("b", 5);
    recorder = new StatusRecorder(store(), NEVER);
    countRangeStatements(() -> {
      for (long v = 1; v <= 30; v++) {
        if (v == 20) {
          recorder.done(a.id(), 20, 20);
          recorder.failed(a.id(), 20, "checkpoint of version 20 failed"); // the lane's, after the DONE
        } else {
          recorder.done(a.id(), v, v);
        }
        if (v <= 5) {
          recorder.done(b.id(), v, v);
        }
      }
      assertEquals(31, unmirrored(a).size(), "nothing written before the flush");
      assertEquals(6, unmirrored(b).size());
      recorder.flush();
      return null;
    }, counted -> {
      if (counted >= 0) {
        // a: 1..20 (20 merged with 1..19), 21..30; b: 1..5. Before the recorder: one per turn, 35.
        assertEquals(3, counted, "DONE ranges written");
      }
    });
    assertEquals(List.of(0L, 20L), unmirrored(a).stream().map(MirrorStatus::version).toList());
    MirrorStatus failed = status(a, 20);
    assertEquals(MirrorState.FAILED, failed.state(), "the FAILED handed over after the DONE wins");
    assertEquals("checkpoint of version 20 failed", failed.lastError().orElseThrow());
    assertEquals(MirrorState.DONE, status(a, 19).state());
    assertEquals(MirrorState.DONE, status(a, 21).state());
    assertEquals(List.of(0L), unmirrored(b).stream().map(MirrorStatus::version).toList());
  }

  @Test
  void aDroppedTablesOutcomesDoNotTakeTheOthersWithThem() {
    TestTable a = table("a", 3);
    TestTable gone = table("gone", 3);
    recorder = new StatusRecorder(store(), NEVER);
    recorder.done(gone.id(), 1, 3);
    recorder.done(a.id(), 1, 3);
    recorder.failed(gone.id(), 3, "checkpoint failed");
    assertTrue(store().dropTable(gone.id()));
    recorder.flush(); // the batch fails on the dropped table's rows; each outcome then on its own
    assertEquals(List.of(0L), unmirrored(a).stream().map(MirrorStatus::version).toList());
  }

  @Test
  void whatIsHandedOverIsWrittenWithinTheDelayWithoutAFlush() throws InterruptedException {
    TestTable a = table("a", 4);
    recorder = new StatusRecorder(store(), Duration.ofMillis(20));
    recorder.done(a.id(), 1, 2);
    recorder.done(a.id(), 3, 4);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (unmirrored(a).size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of(0L), unmirrored(a).stream().map(MirrorStatus::version).toList());
  }

  /** What a check of the counted statements receives when the database cannot count them (PostgreSQL). */
  private interface CountCheck {
    void check(long counted);
  }

  /**
   * Runs {@code work}, then gives {@code check} how many times H2 ran the mirror's range
   * update meanwhile (its {@code INFORMATION_SCHEMA.QUERY_STATISTICS}), or -1 on another database.
   */
  private void countRangeStatements(Supplier<Void> work, CountCheck check) throws SQLException {
    if (backend != CatalogBackend.H2) {
      work.get();
      check.check(-1);
      return;
    }
    try (Connection raw = catalog.rawConnection(); Statement s = raw.createStatement()) {
      s.execute("SET QUERY_STATISTICS TRUE");
      s.execute("SET QUERY_STATISTICS FALSE");
      s.execute("SET QUERY_STATISTICS TRUE"); // cleared: only what follows is counted
      work.get();
      long counted = 0;
      try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
        while (rs.next()) {
          if (rs.getString(1).startsWith("UPDATE delta_mirror_status SET state = 'DONE'")) {
            counted += rs.getLong(2);
          }
        }
      }
      s.execute("SET QUERY_STATISTICS FALSE");
      check.check(counted);
    }
  }
}
