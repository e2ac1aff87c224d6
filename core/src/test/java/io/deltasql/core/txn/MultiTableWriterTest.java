package io.deltasql.core.txn;

import static io.deltasql.core.txn.WriterFixture.assertFails;
import static io.deltasql.core.txn.WriterFixture.file;
import static io.deltasql.core.txn.WriterFixture.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.catalog.VersionRecord;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.mirror.MirrorOutcome;
import io.deltasql.core.mirror.TableMirror;
import io.deltasql.core.testing.CatalogBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The writer's life cycle on a real catalog: commit, rollback and failed commits through
 * every state, what a commit records (commitInfo, in-commit timestamps, versions),
 * idempotent retries, backpressure and mirroring.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiTableWriterTest {
  @Parameter
  CatalogBackend backend;

  private WriterFixture fixture;

  @BeforeParameterizedClassInvocation
  void open(CatalogBackend backend) {
    fixture = new WriterFixture(backend, "writer");
  }

  @AfterParameterizedClassInvocation
  void close() {
    fixture.close();
  }

  // ---- states -----------------------------------------------------------------------------

  @Test
  void commitGoesThroughCommittingToCommittedAndWritesEveryTable() {
    List<TransactionState> seen = new ArrayList<>();
    MultiTableWriter writer = fixture.writer(b -> b.commitHook((tx, attempt) -> seen.add(tx.state())));
    TableRef a = fixture.createTable(writer, file("a0"));
    TableRef b = fixture.createTable(writer, file("b0"));
    seen.clear();

    MultiTableTransaction tx = writer.begin();
    assertEquals(TransactionState.ACTIVE, tx.state());
    tx.addFiles(a.key(), 0, List.of(file("a1")));
    tx.addFiles(b.key(), 0, List.of(file("b1")));
    MultiTableCommitResult result = writer.commit(tx);

    assertEquals(List.of(TransactionState.COMMITTING), seen);
    assertEquals(TransactionState.COMMITTED, tx.state());
    assertEquals(Optional.of(1L), result.version(a.key()));
    assertEquals(Optional.of(1L), result.version(b.key()));
    assertEquals(tx.id().toString(), fixture.txnIds(a).get(1));
    assertEquals(tx.id().toString(), fixture.txnIds(b).get(1));
    assertEquals(0, writer.activeTransactions().size());
    assertTrue(writer.lockManager().snapshot().isEmpty(), "locks are released");
  }

  @Test
  void rollbackDiscardsEverythingAndHandsTheFilesToTheCleaner() {
    List<String> deleted = new ArrayList<>();
    MultiTableWriter writer = fixture.writer(b -> b.dataFileCleaner((table, location, adds) ->
        adds.forEach(f -> deleted.add(location + "/" + f.path()))));
    TableRef a = fixture.createTable(writer, file("a0"));
    MultiTableTransaction tx = writer.begin();
    writer.snapshotFor(tx, a.tableId());
    writer.lock(tx, a.key(), io.deltasql.core.txn.lock.LockMode.EXCLUSIVE);
    tx.addFiles(a.key(), 0, List.of(file("a1")));

    writer.rollback(tx);

    assertEquals(TransactionState.ROLLED_BACK, tx.state());
    assertEquals(List.of(a.location() + "/a1"), deleted);
    assertEquals(0, fixture.version(a));
    assertTrue(writer.lockManager().snapshot().isEmpty());
    writer.rollback(tx); // a second rollback does nothing
    assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> writer.commit(tx), "ROLLED_BACK");
  }

  @Test
  void aCommitDeletesOnlyTheFilesItsOwnStatementsAddedAndRemovedAgain() {
    List<String> deleted = new ArrayList<>();
    MultiTableWriter writer = fixture.writer(b -> b.dataFileCleaner((table, location, adds) ->
        adds.forEach(f -> deleted.add(f.path()))));
    TableRef a = fixture.createTable(writer, file("a0"));
    MultiTableTransaction tx = writer.begin();
    tx.addFiles(a.key(), 0, List.of(file("a1"), file("a2")));
    // A later statement rewrites a1 (its own) and a0 (the table's) into a3.
    tx.stageActions(new TableActionsBuilder(a.key(), 0).removeFile(remove(file("a1"))).removeFile(remove(file("a0")))
        .addFile(file("a3")).withOperation("UPDATE").readsTable(true).build());

    writer.commit(tx);

    assertEquals(List.of("a1"), deleted, "a0 is in version 0, a2 and a3 in version 1; a1 in none");
    assertEquals(1, fixture.version(a));
  }

  @Test
  void aCommitThatLosesOneTablesRaceLeavesNoVersionInAnyTable() {
    MultiTableWriter other = fixture.writer();
    AtomicBoolean armed = new AtomicBoolean();
    List<String> deleted = new ArrayList<>();
    AddFile shared = file("b-shared");
    TableRef[] tables = new TableRef[2];
    MultiTableWriter writer = fixture.writer(b -> b
        .dataFileCleaner((table, location, adds) -> adds.forEach(f -> deleted.add(f.path())))
        .commitHook((tx, attempt) -> {
          if (armed.compareAndSet(true, false)) {
            // Another writer (another JVM: its own locks) removes the file this commit removes,
            // after validation and before the catalog commit: B's compare-and-set loses.
            MultiTableTransaction winner = other.begin();
            winner.removeFiles(tables[1].key(), 0, List.of(remove(shared)));
            other.commit(winner);
          }
        }));
    tables[0] = fixture.createTable(writer, file("a0"));
    tables[1] = fixture.createTable(writer, shared);
    armed.set(true);
    MultiTableTransaction tx = writer.begin();
    tx.addFiles(tables[0].key(), 0, List.of(file("a1")));
    tx.stageActions(new TableActionsBuilder(tables[1].key(), 0).removeFile(remove(shared)).addFile(file("b1"))
        .withOperation("UPDATE").readsTable(true).build());

    DeltaException e = assertFails(SqlState.SERIALIZATION_FAILURE, () -> writer.commit(tx), tables[1].key(),
        "read at version 0", "version 1", "b-shared");
    assertTrue(e.isRetryable());

    assertEquals(TransactionState.ROLLED_BACK, tx.state());
    assertEquals(0, fixture.version(tables[0]), "A's commit was rolled back with B's");
    assertEquals(1, fixture.version(tables[1]), "only the other writer's version");
    assertFalse(fixture.txnIds(tables[0]).contains(tx.id().toString()));
    assertFalse(fixture.txnIds(tables[1]).contains(tx.id().toString()));
    assertEquals(List.of("a1", "b1"), deleted.stream().sorted().toList());
  }

  @Test
  void aCommitAbortedInsideTheCatalogTransactionLeavesNothing() {
    AtomicBoolean crash = new AtomicBoolean(true);
    MultiTableWriter writer = fixture.writer(b -> b.commitHook((tx, attempt) -> {
      if (crash.get()) {
        throw new IllegalStateException("injected crash");
      }
    }));
    crash.set(false);
    TableRef a = fixture.createTable(writer);
    TableRef b = fixture.createTable(writer);
    crash.set(true);
    MultiTableTransaction tx = writer.begin();
    tx.addFiles(a.key(), 0, List.of(file("a1")));
    tx.addFiles(b.key(), 0, List.of(file("b1")));

    DeltaException e = assertFails(SqlState.INTERNAL_ERROR, () -> writer.commit(tx), "injected crash");
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(TransactionState.ROLLED_BACK, tx.state());
    assertEquals(0, fixture.version(a));
    assertEquals(0, fixture.version(b));
  }

  @Test
  void anInvalidTransactionReportsEveryViolationAndRollsBack() {
    MultiTableWriter writer = fixture.writer();
    TableRef a = fixture.createTable(writer, file("a0"));
    MultiTableTransaction tx = writer.begin();
    tx.removeFiles(a.key(), 0, List.of(remove(file("missing"))));
    tx.addFiles("main.no_such_table", 0, List.of(file("x")));

    assertFails(SqlState.UNDEFINED_TABLE, () -> writer.commit(tx), "2 violations", "main.no_such_table", "missing");
    assertEquals(TransactionState.ROLLED_BACK, tx.state());
    assertEquals(0, fixture.version(a));
  }

  @Test
  void aReadOnlyTransactionCommitsWithoutVersions() {
    MultiTableWriter writer = fixture.writer();
    TableRef a = fixture.createTable(writer, file("a0"));
    MultiTableTransaction tx = writer.begin(IsolationLevel.SERIALIZABLE, 0);
    writer.snapshotFor(tx, a.tableId());
    MultiTableCommitResult result = writer.commit(tx);
    assertTrue(result.tables().isEmpty());
    assertEquals(TransactionState.COMMITTED, tx.state());
    assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> writer.rollback(tx), "already committed");
  }

  // ---- what a commit records ------------------------------------------------------------------

  @Test
  void everyTablesCommitInfoNamesTheTransactionItsTablesAndAnInCommitTimestamp() {
    MultiTableWriter writer = fixture.writer(b -> b.engineInfo("deltasql-test"));
    TableRef a = fixture.createTable(writer, file("a0"));
    TableRef b = fixture.createTable(writer, file("b0"));
    MultiTableTransaction tx = writer.begin(IsolationLevel.SERIALIZABLE, 0);
    tx.addFiles(a.key(), 0, List.of(file("a1")));
    tx.stageActions(new TableActionsBuilder(b.key(), 0).removeFile(remove(file("b0"))).addFile(file("b1"))
        .withOperation("DELETE", Map.of("predicate", "[\"id = 1\"]")).readsTable(true).build());
    MultiTableCommitResult result = writer.commit(tx);

    for (TableRef t : List.of(a, b)) {
      List<Action> actions = fixture.store().versionActions(t.tableId(), 1);
      CommitInfo info = assertInstanceOf(CommitInfo.class, actions.get(0), "commitInfo comes first");
      JsonNode v = info.values();
      assertEquals(CommitInfo.IN_COMMIT_TIMESTAMP, v.fieldNames().next(), "inCommitTimestamp is its first field");
      assertEquals(tx.id().toString(), v.get("txnId").asText());
      assertEquals(tx.id().toString(), v.get(CommitInfoFactory.TXN_ID).asText());
      List<String> tables = new ArrayList<>();
      v.get(CommitInfoFactory.TABLES).forEach(n -> tables.add(n.asText()));
      assertEquals(List.of(a.key(), b.key()).stream().sorted().toList(), tables);
      assertEquals(0, v.get("readVersion").asLong());
      assertEquals("Serializable", v.get("isolationLevel").asText());
      assertEquals("SERIALIZABLE", v.get(CommitInfoFactory.ISOLATION).asText());
      assertEquals("deltasql-test", v.get("engineInfo").asText());
      VersionRecord record = fixture.store().inTransaction(c -> c.versionRecord(t.tableId(), 1)).orElseThrow();
      assertEquals(record.timestamp(), v.get(CommitInfo.IN_COMMIT_TIMESTAMP).asLong(),
          "the catalog's commit time is the in-commit timestamp");
      assertEquals(record.timestamp(), result.table(t.key()).orElseThrow().timestamp());
    }
    CommitInfo infoA = (CommitInfo) fixture.store().versionActions(a.tableId(), 1).get(0);
    assertEquals("WRITE", infoA.operation().orElseThrow());
    assertTrue(infoA.values().get("isBlindAppend").asBoolean());
    CommitInfo infoB = (CommitInfo) fixture.store().versionActions(b.tableId(), 1).get(0);
    assertEquals("DELETE", infoB.operation().orElseThrow());
    assertFalse(infoB.values().get("isBlindAppend").asBoolean());
    assertEquals("[\"id = 1\"]", infoB.values().get("operationParameters").get("predicate").asText());
    assertEquals("1", infoB.values().get("operationMetrics").get("numRemovedFiles").asText());
  }

  @Test
  void aCreatedTableUsesInCommitTimestamps() {
    MultiTableWriter writer = fixture.writer();
    TableRef t = fixture.createTable(writer, file("f0"));
    Metadata metadata = fixture.latest(t).metadata();
    Protocol protocol = fixture.latest(t).protocol();
    assertEquals("true", metadata.configuration().get(InCommitTimestamps.ENABLE_PROPERTY));
    assertTrue(protocol.writerFeatures().contains(InCommitTimestamps.FEATURE));
    assertEquals(7, protocol.minWriterVersion());
    CommitInfo info = (CommitInfo) fixture.store().versionActions(t.tableId(), 0).get(0);
    assertEquals("CREATE TABLE AS SELECT", info.operation().orElseThrow());
    assertTrue(info.inCommitTimestamp().isPresent());
    assertFalse(info.values().has("readVersion"));
  }

  @Test
  void aLegacyProtocolGainsTheFeatureWithoutLosingWhatItImplied() {
    Protocol legacy = InCommitTimestamps.enable(new Protocol(1, 2));
    assertEquals(7, legacy.minWriterVersion());
    assertEquals(java.util.Set.of("appendOnly", "invariants", "inCommitTimestamp"), legacy.writerFeatures());
  }

  @Test
  void twoTransactionsCreatingOneTableNameTheLoserGets42P07() {
    MultiTableWriter writer = fixture.writer();
    String name = WriterFixture.unique("dup");
    MultiTableTransaction first = writer.begin();
    MultiTableTransaction second = writer.begin();
    writer.createTable(first, NewTable.of("main", name, "/lake/main/" + name), WriterFixture.metadata(),
        Optional.empty());
    writer.createTable(second, NewTable.of("main", name, "/lake/main/" + name + "_2"), WriterFixture.metadata(),
        Optional.empty());
    writer.commit(first);
    assertFails(SqlState.DUPLICATE_TABLE, () -> writer.commit(second), "main." + name);
    assertEquals(TransactionState.ROLLED_BACK, second.state());
  }

  // ---- idempotency, backpressure, mirror ---------------------------------------------------

  @Test
  void aRetriedCommitWithTheSameTransactionIdIsASuccessNotADuplicate() {
    MultiTableWriter writer = fixture.writer();
    TableRef a = fixture.createTable(writer, file("a0"));
    TableRef b = fixture.createTable(writer, file("b0"));
    java.util.UUID id = java.util.UUID.randomUUID();
    MultiTableTransaction first = MultiTableTransaction.builder(WriterFixture.config()).id(id).begin();
    first.addFiles(a.key(), 0, List.of(file("a1")));
    first.addFiles(b.key(), 0, List.of(file("b1")));
    writer.commit(first);

    // The client did not hear back and commits the same transaction again.
    MultiTableTransaction retry = MultiTableTransaction.builder(WriterFixture.config()).id(id).begin();
    retry.addFiles(a.key(), 0, List.of(file("a1")));
    retry.addFiles(b.key(), 0, List.of(file("b1")));
    MultiTableCommitResult result = writer.commit(retry);

    assertTrue(result.alreadyCommitted());
    assertEquals(Optional.of(1L), result.version(a.key()));
    assertEquals(Optional.of(1L), result.version(b.key()));
    assertEquals(TransactionState.COMMITTED, retry.state());
    assertEquals(1, fixture.version(a));
    assertEquals(1, fixture.version(b));
  }

  @Test
  void aCommitIdReusedWithAnotherTableSetIsRefusedAndWritesNothing() {
    List<String> deleted = new ArrayList<>();
    MultiTableWriter writer = fixture.writer(b -> b.dataFileCleaner((table, location, adds) ->
        adds.forEach(f -> deleted.add(f.path()))));
    TableRef a = fixture.createTable(writer, file("a0"));
    TableRef c = fixture.createTable(writer, file("c0"));
    java.util.UUID id = java.util.UUID.randomUUID();
    MultiTableTransaction first = MultiTableTransaction.builder(WriterFixture.config()).id(id).begin();
    first.addFiles(a.key(), 0, List.of(file("a1")));
    writer.commit(first);

    MultiTableTransaction reuse = MultiTableTransaction.builder(WriterFixture.config()).id(id).begin();
    reuse.addFiles(a.key(), 0, List.of(file("a1")));
    reuse.addFiles(c.key(), 0, List.of(file("c1")));
    assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> writer.commit(reuse), id.toString(), c.key());
    assertEquals(0, fixture.version(c));
    assertEquals(1, fixture.version(a));
    assertTrue(deleted.isEmpty(), "a1 belongs to the recorded commit: no file is deleted");
  }

  @Test
  void aBrokenCatalogConnectionBeforeTheCommitIsRetried() {
    AtomicBoolean broken = new AtomicBoolean();
    MultiTableWriter writer = fixture.writer(b -> b.commitHook((tx, attempt) -> {
      if (broken.compareAndSet(true, false)) {
        throw new DeltaException(SqlState.CONNECTION_EXCEPTION, "injected: connection reset");
      }
    }));
    TableRef t = fixture.createTable(writer);
    broken.set(true);
    MultiTableTransaction tx = writer.begin();
    tx.addFiles(t.key(), 0, List.of(file("f1")));
    MultiTableCommitResult result = writer.commit(tx);
    assertEquals(1, result.retries());
    assertEquals(Optional.of(1L), result.version(t.key()));
  }

  @Test
  void aTableWhoseMirrorLagsRefusesCommitsUntilItCatchesUp() {
    MultiTableConfig config = WriterFixture.config().toBuilder().mirrorMaxUnmirroredVersions(2).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MultiTableWriter writer = fixture.writer(b -> b.config(config).mirror(TableMirror.NONE).meterRegistry(registry));
    TableRef t = fixture.createTable(writer, file("f0")); // version 0, unmirrored
    fixture.append(writer, t, file("f1"));                 // 2 unmirrored
    fixture.append(writer, t, file("f2"));                 // 3 unmirrored
    MultiTableTransaction tx = writer.begin();
    tx.addFiles(t.key(), 2, List.of(file("f3")));

    DeltaException e = assertFails(SqlState.INSUFFICIENT_RESOURCES, () -> writer.commit(tx), t.key(),
        "not yet mirrored", "mirrorMaxUnmirroredVersions");
    assertTrue(e.isRetryable());
    assertEquals(2, fixture.version(t));
    assertEquals(1.0, registry.get(WriterMetrics.BACKPRESSURE).counter().count());

    fixture.store().inTransaction(c -> {
      for (long v = 0; v <= 2; v++) {
        c.recordMirrorAttempt(t.tableId(), v, MirrorState.DONE, Optional.empty());
      }
      return null;
    });
    fixture.append(writer, t, file("f3"));
    assertEquals(3, fixture.version(t));
  }

  @Test
  void aFailingMirrorIsReportedAndDoesNotUndoTheCommit() {
    MultiTableWriter writer = fixture.writer(b -> b.mirror(id -> {
      throw new IllegalStateException("disk full");
    }));
    TableRef t = fixture.createTable(writer);
    MultiTableTransaction tx = writer.begin();
    tx.addFiles(t.key(), 0, List.of(file("f1")));
    MultiTableCommitResult result = writer.commit(tx);

    MirrorOutcome outcome = result.table(t.key()).orElseThrow().mirror();
    assertTrue(outcome.failure().orElseThrow().contains("disk full"));
    assertEquals(TransactionState.COMMITTED, tx.state());
    assertEquals(1, fixture.version(t));
  }

  @Test
  void theMirrorIsCalledOncePerCommittedTableAfterTheCatalogCommit() {
    List<Long> mirrored = new ArrayList<>();
    MultiTableWriter[] holder = new MultiTableWriter[1];
    holder[0] = fixture.writer(b -> b.mirror(id -> {
      mirrored.add(id);
      // The version is already visible to others when the mirror runs.
      return new MirrorOutcome(id, fixture.store().currentVersion(id), 0, Optional.empty(), false);
    }));
    TableRef a = fixture.createTable(holder[0]);
    TableRef b = fixture.createTable(holder[0]);
    mirrored.clear();
    MultiTableTransaction tx = holder[0].begin();
    tx.addFiles(a.key(), 0, List.of(file("a1")));
    tx.addFiles(b.key(), 0, List.of(file("b1")));
    MultiTableCommitResult result = holder[0].commit(tx);
    assertEquals(List.of(a.tableId(), b.tableId()).stream().sorted().toList(), mirrored.stream().sorted().toList());
    assertTrue(result.tables().stream().allMatch(r -> r.mirror().complete() && r.mirror().mirroredThrough() == 1));
  }

  @Test
  void metricsCountCommitsRollbacksAndActions() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MultiTableWriter writer = fixture.writer(b -> b.meterRegistry(registry));
    TableRef t = fixture.createTable(writer);
    fixture.append(writer, t, file("f1"));
    MultiTableTransaction rolledBack = writer.begin();
    writer.rollback(rolledBack);
    assertEquals(2.0, registry.get(WriterMetrics.COMMITS).counter().count());
    assertEquals(1.0, registry.get(WriterMetrics.ROLLBACKS).counter().count());
    assertEquals(3.0, registry.get(WriterMetrics.ACTIONS).counter().count(), "protocol + metadata, then one add");
    assertEquals(2, registry.get(WriterMetrics.LATENCY).timer().count());
    // The cache reports to the writer's registry (a commit caches its new version, so the
    // next validation is a hit rather than a miss).
    assertTrue(registry.get("deltasql.cache.snapshot.misses").counter().count()
        + registry.get("deltasql.cache.snapshot.hits").counter().count() >= 1);
  }
}
