package io.deltasql.core.catalog;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;

import static io.deltasql.core.catalog.CatalogTest.assertFails;
import static io.deltasql.core.catalog.CatalogTest.commit;
import static io.deltasql.core.catalog.CatalogTest.createTable;
import static io.deltasql.core.catalog.TestActions.T0;
import static io.deltasql.core.catalog.TestActions.add;
import static io.deltasql.core.catalog.TestActions.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Sidecar;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.table.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Tables, commits, races, idempotency, time travel and history, on every catalog database. */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogStoreTest {
  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("store");
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  private CatalogStore store() {
    return catalog.store();
  }

  // ---- tables -----------------------------------------------------------------------------

  @Test
  void registersFindsListsAndDropsTables() {
    String schema = TestActions.tableName("s");
    TableInfo a = store().registerTable(schema, "a", "/lake/" + schema + "/a", Map.of("k", "v"));
    TableInfo b = store().registerTable(schema, "b", "/lake/" + schema + "/b", Map.of());
    assertEquals(-1, a.currentVersion());
    assertFalse(a.hasVersions());
    assertEquals(Map.of("k", "v"), a.properties());
    assertEquals(Optional.of(a), store().findTable(schema, "a"));
    assertEquals(Optional.of(b), store().findTable(b.tableId()));
    assertEquals(List.of(a, b), store().listTables(schema));
    assertTrue(store().listTables().containsAll(List.of(a, b)));

    assertTrue(store().dropTable(a.tableId()));
    assertFalse(store().dropTable(a.tableId()));
    assertEquals(Optional.empty(), store().findTable(schema, "a"));
    assertEquals(List.of(b), store().listTables(schema));
  }

  @Test
  void dropRemovesTheWholeHistory() {
    TableInfo table = createTable(store(), "drop");
    commit(store(), table, 0, TestActions.commit(T0 + 1, "WRITE", add("x.parquet", "a", 10)));
    assertTrue(store().dropTable(table.tableId()));
    for (String t : List.of("delta_versions", "delta_files", "delta_metadata", "delta_protocols",
        "delta_mirror_status")) {
      assertEquals(0, catalog.count("SELECT COUNT(*) FROM " + t + " WHERE table_id = ?", table.tableId()), t);
    }
    assertFails(SqlState.UNDEFINED_TABLE, () -> store().snapshot(table.tableId()), "does not exist");
  }

  @Test
  void refusesDuplicateNamesAndLocations() {
    TableInfo table = createTable(store(), "dup");
    assertFails(SqlState.DUPLICATE_TABLE,
        () -> store().registerTable("main", table.tableName(), "/elsewhere/" + table.tableName(), Map.of()),
        table.qualifiedName(), "already exists");
    assertFails(SqlState.DUPLICATE_TABLE,
        () -> store().registerTable("main", table.tableName() + "_2", table.location(), Map.of()),
        table.location(), table.qualifiedName());
  }

  @Test
  void concurrentRegistrationsOfOneNameHaveOneWinner() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        String name = TestActions.tableName("same");
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<TableInfo>> attempts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          String location = "/lake/main/" + name + "-" + i;
          attempts.add(threads.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return store().registerTable("main", name, location, Map.of());
          }));
        }
        int winners = 0;
        for (Future<TableInfo> attempt : attempts) {
          try {
            attempt.get(30, TimeUnit.SECONDS);
            winners++;
          } catch (ExecutionException e) {
            // the unique-key violation of the loser was retried and reported precisely
            DeltaException lost = assertInstanceOf(DeltaException.class, e.getCause());
            assertEquals(SqlState.DUPLICATE_TABLE, lost.state(), lost.getMessage());
          }
        }
        assertEquals(1, winners);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void unknownTablesAndMissingVersionsAreClearErrors() {
    assertFails(SqlState.UNDEFINED_TABLE, () -> store().snapshot(987_654_321L), "987654321");
    assertFails(SqlState.UNDEFINED_TABLE, () -> store().commit(
        CommitRequest.of(987_654_321L, -1, TestActions.txnId(), TestActions.create(T0))), "987654321");
    String name = TestActions.tableName("empty");
    TableInfo empty = store().registerTable("main", name, "/lake/" + name, Map.of());
    assertFails(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, () -> store().snapshot(empty.tableId()),
        empty.qualifiedName(), "no committed version");
    TableInfo table = createTable(store(), "missing");
    assertFails(SqlState.DATA_EXCEPTION, () -> store().snapshotAt(table.tableId(), 5),
        "Version 5", table.qualifiedName(), "latest version is 0");
  }

  // ---- commits ----------------------------------------------------------------------------

  @Test
  void commitsAdvanceTheVersionAndRecordHistory() {
    TableInfo table = createTable(store(), "commit");
    AddFile file = add("part-0.parquet", "a", 100);
    CommitResult result = store().commit(CommitRequest.of(table.tableId(), 0, "txn-commit-1",
        TestActions.commit(T0 + 1000, "WRITE", file)).withCommitter("tests@host"));
    assertEquals(1, result.version());
    assertEquals(T0 + 1000, result.timestamp());
    assertFalse(result.alreadyCommitted());
    assertEquals(1, store().currentVersion(table.tableId()));

    VersionRecord record = store().inTransaction(tx -> tx.versionRecord(table.tableId(), 1)).orElseThrow();
    assertEquals(Optional.of("txn-commit-1"), record.txnId());
    assertEquals(Optional.of("tests@host"), record.committer());
    assertEquals("WRITE", record.operation());
    assertEquals(Map.of("mode", "Append", "partitionBy", "[\"p\"]"), record.operationParameters());
    assertEquals(2, record.actionCount());
    assertFalse(record.base());
    assertEquals(Map.of(file.fileKey(), file.withDataChange(false)), store().snapshot(table.tableId()).files());
  }

  @Test
  void refusesCommitsTheDeltaProtocolForbidsAndWritesNothing() {
    TableInfo table = createTable(store(), "invalid");
    AddFile file = add("f.parquet", "a", 1);
    commit(store(), table, 0, TestActions.commit(T0 + 1, "WRITE", file));
    Map<String, List<Action>> invalid = new HashMap<>();
    invalid.put("added twice", TestActions.commit(T0 + 2, "WRITE", add("g.parquet", "a", 1), add("g.parquet", "b", 2)));
    invalid.put("both added and removed", TestActions.commit(T0 + 2, "WRITE", remove(file, T0), file));
    invalid.put("more than one metaData", TestActions.commit(T0 + 2, "SET",
        TestActions.metadata(List.of("p")), TestActions.metadata(List.of("p"))));
    invalid.put("belongs in a checkpoint", TestActions.commit(T0 + 2, "WRITE",
        new Sidecar("s.parquet", 1, 1, Map.of())));
    invalid.put("at least one action", List.of());
    invalid.forEach((why, actions) -> assertFails(SqlState.DATA_EXCEPTION,
        () -> commit(store(), table, 1, actions), why, table.qualifiedName(), "version 2"));
    assertEquals(1, store().currentVersion(table.tableId()));

    String name = TestActions.tableName("noproto");
    TableInfo fresh = store().registerTable("main", name, "/lake/" + name, Map.of());
    assertFails(SqlState.DATA_EXCEPTION, () -> commit(store(), fresh, -1,
        TestActions.commit(T0, "CREATE TABLE", TestActions.metadata(List.of()))), "protocol and a metaData");
  }

  @Test
  void aStaleReadVersionLosesWithSerializationFailure() {
    TableInfo table = createTable(store(), "stale");
    commit(store(), table, 0, TestActions.commit(T0 + 1, "WRITE", add("a.parquet", "a", 1)));
    DeltaException e = assertFails(SqlState.SERIALIZATION_FAILURE,
        () -> commit(store(), table, 0, TestActions.commit(T0 + 2, "WRITE", add("b.parquet", "a", 1))),
        table.qualifiedName(), "based on version 0", "version 1 is already committed");
    assertTrue(e.isRetryable());
    assertEquals(1, store().snapshot(table.tableId()).files().size());
  }

  @Test
  void concurrentCommitsOfOneVersionHaveExactlyOneWinner() throws Exception {
    TableInfo table = createTable(store(), "race");
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        long readVersion = round;
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<CommitResult>> attempts = new ArrayList<>();
        for (int writer = 0; writer < 2; writer++) {
          AddFile file = add("round" + round + "-writer" + writer + ".parquet", "a", 10);
          attempts.add(threads.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return commit(store(), table, readVersion, TestActions.commit(T0 + 1000 * (readVersion + 1), "WRITE", file));
          }));
        }
        int winners = 0;
        for (Future<CommitResult> attempt : attempts) {
          try {
            assertEquals(readVersion + 1, attempt.get(30, TimeUnit.SECONDS).version());
            winners++;
          } catch (ExecutionException e) {
            DeltaException lost = assertInstanceOf(DeltaException.class, e.getCause());
            assertEquals(SqlState.SERIALIZATION_FAILURE, lost.state(), lost.getMessage());
            assertTrue(lost.getMessage().contains(table.qualifiedName()), lost.getMessage());
            assertTrue(lost.getMessage().contains("based on version " + readVersion), lost.getMessage());
          }
        }
        assertEquals(1, winners, "round " + round);
      }
    } finally {
      threads.shutdownNow();
    }
    Snapshot latest = store().snapshot(table.tableId());
    assertEquals(10, latest.version());
    assertEquals(10, latest.files().size());
  }

  @Test
  void aRetriedCommitReturnsTheRecordedResult() throws Exception {
    TableInfo table = createTable(store(), "retry");
    CommitRequest request = CommitRequest.of(table.tableId(), 0, "txn-retry",
        TestActions.commit(T0 + 1, "WRITE", add("once.parquet", "a", 5)));
    CommitResult first = store().commit(request);
    commit(store(), table, 1, TestActions.commit(T0 + 2, "WRITE", add("later.parquet", "a", 5)));
    CommitResult again = store().commit(request);
    assertTrue(again.alreadyCommitted());
    assertEquals(first.version(), again.version());
    assertEquals(first.timestamp(), again.timestamp());
    assertEquals(1, catalog.count("SELECT COUNT(*) FROM delta_files WHERE table_id = ? AND add_version = ?",
        table.tableId(), 1));
    assertEquals(2, store().currentVersion(table.tableId()));

    // Two copies of one commit racing: one writes, the other finds it recorded.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (long readVersion = 2; readVersion < 22; readVersion++) {
        CommitRequest twin = CommitRequest.of(table.tableId(), readVersion, "txn-twin-" + readVersion,
            TestActions.commit(T0 + 1 + readVersion, "WRITE", add("twin-" + readVersion + ".parquet", "a", 5)));
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<CommitResult>> copies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          copies.add(threads.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return store().commit(twin);
          }));
        }
        CommitResult a = copies.get(0).get(30, TimeUnit.SECONDS);
        CommitResult b = copies.get(1).get(30, TimeUnit.SECONDS);
        assertEquals(readVersion + 1, a.version());
        assertEquals(readVersion + 1, b.version());
        assertTrue(a.alreadyCommitted() != b.alreadyCommitted(), "exactly one copy writes");
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(22, store().currentVersion(table.tableId()));
  }

  @Test
  void aMultiTableCommitIsAllOrNothing() {
    TableInfo a = createTable(store(), "multi_a");
    TableInfo b = createTable(store(), "multi_b");
    commit(store(), b, 0, TestActions.commit(T0 + 1, "WRITE", add("b1.parquet", "a", 1)));
    List<CommitRequest> stale = List.of(
        CommitRequest.of(a.tableId(), 0, "multi-1", TestActions.commit(T0 + 5, "WRITE", add("a1.parquet", "a", 1))),
        CommitRequest.of(b.tableId(), 0, "multi-1", TestActions.commit(T0 + 5, "WRITE", add("b2.parquet", "a", 1))));
    assertFails(SqlState.SERIALIZATION_FAILURE, () -> store().commitAll(stale), b.qualifiedName());
    assertEquals(0, store().currentVersion(a.tableId()));
    assertEquals(0, catalog.count("SELECT COUNT(*) FROM delta_versions WHERE table_id = ? AND version = 1", a.tableId()));

    List<CommitRequest> fresh = List.of(
        CommitRequest.of(b.tableId(), 1, "multi-2", TestActions.commit(T0 + 5, "WRITE", add("b2.parquet", "a", 1))),
        CommitRequest.of(a.tableId(), 0, "multi-2", TestActions.commit(T0 + 5, "WRITE", add("a1.parquet", "a", 1))));
    List<CommitResult> results = store().commitAll(fresh);
    assertEquals(List.of(b.tableId(), a.tableId()), results.stream().map(CommitResult::tableId).toList());
    assertEquals(List.of(2L, 1L), results.stream().map(CommitResult::version).toList());
    assertTrue(store().commitAll(fresh).stream().allMatch(CommitResult::alreadyCommitted));
  }

  @Test
  void aTransactionReadsItsOwnWritesAndRollsBackOnFailure() {
    String name = TestActions.tableName("own");
    Snapshot inside = store().inTransaction(tx -> {
      TableInfo t = tx.registerTable("main", name, "/lake/" + name, Map.of());
      tx.commit(CommitRequest.of(t.tableId(), -1, TestActions.txnId(), TestActions.create(T0)));
      return tx.snapshot(t.tableId());
    });
    assertEquals(0, inside.version());

    String doomed = TestActions.tableName("doomed");
    assertFails(SqlState.SERIALIZATION_FAILURE, () -> store().inTransaction(tx -> {
      TableInfo t = tx.registerTable("main", doomed, "/lake/" + doomed, Map.of());
      tx.commit(CommitRequest.of(t.tableId(), -1, TestActions.txnId(), TestActions.create(T0)));
      return tx.commit(CommitRequest.of(t.tableId(), 5, TestActions.txnId(), TestActions.create(T0)));
    }));
    assertEquals(Optional.empty(), store().findTable("main", doomed));
  }

  @Test
  void aFailureInTheMiddleOfACommitRollsBackTheWholeVersion() {
    TableInfo table = createTable(store(), "midfail");
    AddFile kept = add("kept.parquet", "a", 10);
    commit(store(), table, 0, TestActions.commit(T0 + 1, "WRITE", kept));
    List<Action> actions = new ArrayList<>(TestActions.commit(T0 + 2, "DELETE", remove(kept, T0 + 2)));
    for (int i = 0; i < 7; i++) {
      actions.add(add("new-" + i + ".parquet", "b", 10));
    }
    // The catalog refuses a negative size (CHECK constraint): the 8th add fails after the
    // version row, the remove and the first batches of adds were written.
    actions.add(AddFile.of("broken.parquet", Map.of("p", "b"), -1, T0, Optional.empty()));
    try (CatalogStore smallBatches = CatalogStore.open(catalog.config().withBatchSize(2))) {
      assertFails(SqlState.DATA_EXCEPTION, () -> commit(smallBatches, table, 1, actions), "version 2");
    }
    long id = table.tableId();
    assertEquals(1, store().currentVersion(id));
    assertEquals(0, catalog.count("SELECT COUNT(*) FROM delta_versions WHERE table_id = ? AND version = 2", id));
    assertEquals(0, catalog.count("SELECT COUNT(*) FROM delta_files WHERE table_id = ? AND add_version = 2", id));
    assertEquals(0, catalog.count("SELECT COUNT(*) FROM delta_files WHERE table_id = ? AND remove_version = 2", id));
    assertEquals(0, catalog.count("SELECT COUNT(*) FROM delta_removes WHERE table_id = ?", id));
    assertEquals(0, catalog.count("SELECT COUNT(*) FROM delta_mirror_status WHERE table_id = ? AND version = 2", id));
    assertEquals(Map.of(kept.fileKey(), kept.withDataChange(false)), store().snapshot(id).files());
    commit(store(), table, 1, TestActions.commit(T0 + 3, "WRITE", add("after.parquet", "a", 1)));
    assertEquals(2, store().currentVersion(id));
  }

  @Test
  void aDivergedTableRefusesCommitsUntilRepaired() {
    TableInfo table = createTable(store(), "diverged");
    store().inTransaction(tx -> {
      tx.setDivergence(table.tableId(), Optional.of("00000000000000000001.json was written by another writer"));
      return null;
    });
    assertTrue(store().findTable(table.tableId()).orElseThrow().diverged());
    assertFails(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
        () -> commit(store(), table, 0, TestActions.commit(T0 + 1, "WRITE", add("d.parquet", "a", 1))),
        table.qualifiedName(), "written by another writer");
    store().inTransaction(tx -> {
      tx.setDivergence(table.tableId(), Optional.empty());
      return null;
    });
    commit(store(), table, 0, TestActions.commit(T0 + 1, "WRITE", add("d.parquet", "a", 1)));
  }

  @Test
  void inCommitTimestampsAlwaysIncrease() {
    TableInfo table = createTable(store(), "ict");
    CommitResult result = commit(store(), table, 0, TestActions.commit(T0 - 5000, "WRITE", add("x.parquet", "a", 1)));
    assertEquals(T0 + 1, result.timestamp());
    CommitInfo stored = store().inTransaction(tx -> tx.versionRecord(table.tableId(), 1)).orElseThrow()
        .commitInfo().orElseThrow();
    assertEquals(Optional.of(T0 + 1), stored.inCommitTimestamp());
    assertEquals(stored, store().versionActions(table.tableId(), 1).get(0));
  }

  // ---- time travel and history ------------------------------------------------------------

  @Test
  void timeTravelByTimestampFollowsDelta() {
    TableInfo table = createTable(store(), "asof");
    for (int v = 1; v <= 3; v++) {
      commit(store(), table, v - 1, TestActions.commit(T0 + 1000L * v, "WRITE", add("f" + v + ".parquet", "a", v)));
    }
    long id = table.tableId();
    assertEquals(0, store().versionAsOf(id, Instant.ofEpochMilli(T0)));
    assertEquals(1, store().versionAsOf(id, Instant.ofEpochMilli(T0 + 1000)));
    assertEquals(1, store().versionAsOf(id, Instant.ofEpochMilli(T0 + 1999)));
    assertEquals(3, store().versionAsOf(id, Instant.ofEpochMilli(T0 + 3000)));
    assertEquals(store().snapshotAt(id, 2), store().snapshotAsOf(id, Instant.ofEpochMilli(T0 + 2500)));
    assertFails(SqlState.DATA_EXCEPTION, () -> store().snapshotAsOf(id, Instant.ofEpochMilli(T0 - 1)),
        table.qualifiedName(), "oldest version 0", Instant.ofEpochMilli(T0).toString());
    assertFails(SqlState.DATA_EXCEPTION, () -> store().snapshotAsOf(id, Instant.ofEpochMilli(T0 + 3001)),
        "after the latest commit", "version 3");
  }

  @Test
  void historyBetweenTwoTimestampsIsNewestFirst() {
    TableInfo table = createTable(store(), "history");
    for (int v = 1; v <= 5; v++) {
      commit(store(), table, v - 1, TestActions.commit(T0 + 1000L * v, v % 2 == 0 ? "DELETE" : "WRITE",
          add("h" + v + ".parquet", "a", v)));
    }
    List<VersionRecord> history = store().history(table.tableId(), Instant.ofEpochMilli(T0 + 2000),
        Instant.ofEpochMilli(T0 + 4000));
    assertEquals(List.of(4L, 3L, 2L), history.stream().map(VersionRecord::version).toList());
    assertEquals(List.of("DELETE", "WRITE", "DELETE"), history.stream().map(VersionRecord::operation).toList());
    assertEquals(T0 + 4000, history.get(0).timestamp());
    assertEquals(6, store().history(table.tableId(), Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE)).size());
  }

  // ---- files of a partition ---------------------------------------------------------------

  @Test
  void listsTheFilesOfOnePartition() {
    TableInfo table = createTable(store(), "partition");
    AddFile a1 = add("p=a/1.parquet", "a", 1);
    AddFile a2 = add("p=a/2.parquet", "a", 2);
    AddFile b1 = add("p=b/1.parquet", "b", 3);
    AddFile n1 = add("p=null/1.parquet", null, 4);
    commit(store(), table, 0, TestActions.commit(T0 + 1, "WRITE", a1, a2, b1, n1));
    commit(store(), table, 1, TestActions.commit(T0 + 2, "DELETE", remove(a2, T0 + 2)));
    long id = table.tableId();
    assertEquals(List.of(a1), store().activeFiles(id, Map.of("p", "a")));
    Map<String, String> nullPartition = new HashMap<>();
    nullPartition.put("p", null);
    assertEquals(List.of(n1), store().activeFiles(id, nullPartition));
    assertEquals(3, store().activeFiles(id, Map.of()).size());
    assertEquals(2, store().inTransaction(tx -> tx.filesAt(id, 1, Map.of("p", "a"))).size());
    assertFails(SqlState.UNDEFINED_COLUMN, () -> store().activeFiles(id, Map.of("q", "a")),
        "q is not a partition column", "[p]");
  }

  @Test
  void filtersOnSomePartitionColumns() {
    String name = TestActions.tableName("twocols");
    TableInfo table = store().inTransaction(tx -> {
      TableInfo t = tx.registerTable("main", name, "/lake/" + name, Map.of());
      tx.commit(CommitRequest.of(t.tableId(), -1, TestActions.txnId(), List.of(TestActions.commitInfo(T0, "CREATE TABLE"),
          TestActions.protocol(), TestActions.metadata(List.of("p", "q")))));
      return t;
    });
    AddFile ax = AddFile.of("ax.parquet", Map.of("p", "a", "q", "x"), 1, T0, Optional.empty());
    AddFile ay = AddFile.of("ay.parquet", Map.of("q", "y", "p", "a"), 1, T0, Optional.empty());
    AddFile bx = AddFile.of("bx.parquet", Map.of("p", "b", "q", "x"), 1, T0, Optional.empty());
    commit(store(), table, 0, TestActions.commit(T0 + 1, "WRITE", ax, ay, bx));
    assertEquals(List.of(ay), store().activeFiles(table.tableId(), Map.of("p", "a", "q", "y")));
    assertEquals(List.of(ax, bx), store().activeFiles(table.tableId(), Map.of("q", "x")).stream()
        .sorted(java.util.Comparator.comparing(AddFile::path)).toList());
  }

  // ---- mirror status ----------------------------------------------------------------------

  @Test
  void tracksMirrorStatusPerVersion() {
    TableInfo table = createTable(store(), "mirror");
    long id = table.tableId();
    commit(store(), table, 0, TestActions.commit(T0 + 1, "WRITE", add("m1.parquet", "a", 1)));
    store().commit(CommitRequest.of(id, 1, TestActions.txnId(),
        TestActions.commit(T0 + 2, "WRITE", add("m2.parquet", "a", 1))).asAlreadyMirrored());
    assertEquals(List.of(0L, 1L), store().inTransaction(tx -> tx.unmirroredVersions(id)).stream()
        .map(MirrorStatus::version).toList());
    assertEquals(MirrorState.DONE, store().inTransaction(tx -> tx.mirrorStatus(id, 2)).orElseThrow().state());

    store().inTransaction(tx -> {
      tx.recordMirrorAttempt(id, 0, MirrorState.FAILED, Optional.of("disk full"));
      return null;
    });
    MirrorStatus failed = store().inTransaction(tx -> tx.mirrorStatus(id, 0)).orElseThrow();
    assertEquals(MirrorState.FAILED, failed.state());
    assertEquals(1, failed.attempts());
    assertEquals(Optional.of("disk full"), failed.lastError());
    store().inTransaction(tx -> {
      tx.recordMirrorAttempt(id, 0, MirrorState.DONE, Optional.empty());
      tx.recordMirrorAttempt(id, 1, MirrorState.DONE, Optional.empty());
      return null;
    });
    assertEquals(List.of(), store().inTransaction(tx -> tx.unmirroredVersions(id)));
    assertEquals(2, store().inTransaction(tx -> tx.mirrorStatus(id, 0)).orElseThrow().attempts());
  }
}
