package io.deltasql.core.txn;

import static io.deltasql.core.txn.WriterFixture.assertFails;
import static io.deltasql.core.txn.WriterFixture.file;
import static io.deltasql.core.txn.WriterFixture.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.testing.CatalogBackend;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
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

/**
 * Each isolation level's anomaly prevented (and the ones it allows), and Delta's
 * commutation rules, on a real catalog.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationTest {
  @Parameter
  CatalogBackend backend;

  private WriterFixture fixture;
  private MultiTableWriter writer;

  @BeforeParameterizedClassInvocation
  void open(CatalogBackend backend) {
    fixture = new WriterFixture(backend, "isolation");
    writer = fixture.writer();
  }

  @AfterParameterizedClassInvocation
  void close() {
    fixture.close();
  }

  /** An UPDATE of one file: read the table, rewrite {@code old} as {@code replacement}. */
  private void rewrite(MultiTableTransaction tx, TableRef table, AddFile old, AddFile replacement) {
    TransactionSnapshot read = writer.snapshotFor(tx, table.tableId());
    tx.stageActions(new TableActionsBuilder(table.key(), read.readVersion()).removeFile(remove(old))
        .addFile(replacement).withOperation("UPDATE").readsTable(true).build());
  }

  // ---- lost update ------------------------------------------------------------------------

  @Test
  void lostUpdateIsPreventedAtEveryLevel() {
    for (IsolationLevel level : IsolationLevel.values()) {
      AddFile row = file("row");
      TableRef t = fixture.createTable(writer, row);
      MultiTableTransaction t1 = writer.begin(level, 0);
      MultiTableTransaction t2 = writer.begin(level, 0);
      rewrite(t1, t, row, file("row-by-t1"));
      rewrite(t2, t, row, file("row-by-t2"));
      writer.commit(t1);

      assertFails(SqlState.SERIALIZATION_FAILURE, () -> writer.commit(t2), "table '" + t.key() + "'",
          "read at version 0", "version 1", "UPDATE", t1.id().toString(), "removed file 'row'");
      assertEquals(TransactionState.ROLLED_BACK, t2.state());
      assertEquals(Set.of(new FileKey("row-by-t1", Optional.empty())), fixture.latest(t).files().keySet(),
          level.sqlName());
    }
  }

  // ---- non-repeatable read ----------------------------------------------------------------

  @Test
  void repeatableReadKeepsItsSnapshotWhileReadCommittedSeesNewCommits() {
    TableRef t = fixture.createTable(writer, file("f0"));
    MultiTableTransaction rr = writer.begin(IsolationLevel.REPEATABLE_READ, 0);
    MultiTableTransaction rc = writer.begin(IsolationLevel.READ_COMMITTED, 0);
    TransactionSnapshot rrFirst = writer.snapshotFor(rr, t.tableId());
    TransactionSnapshot rcFirst = writer.snapshotFor(rc, t.tableId());

    fixture.append(writer, t, file("f1"));

    TransactionSnapshot rrSecond = writer.snapshotFor(rr, t.tableId());
    TransactionSnapshot rcSecond = writer.snapshotFor(rc, t.tableId());
    assertEquals(0, rrSecond.readVersion());
    assertEquals(rrFirst.snapshot(), rrSecond.snapshot(), "no non-repeatable read under REPEATABLE READ");
    assertEquals(0, rcFirst.readVersion());
    assertEquals(1, rcSecond.readVersion());
    assertEquals(2, rcSecond.snapshot().files().size());
    writer.rollback(rr);
    writer.rollback(rc);
  }

  @Test
  void aTableFirstReadLateIsReadAtTheCutOfTheFirstRead() {
    TableRef a = fixture.createTable(writer, file("a0"));
    TableRef b = fixture.createTable(writer, file("b0"));
    MultiTableTransaction rr = writer.begin(IsolationLevel.REPEATABLE_READ, 0);
    MultiTableTransaction rc = writer.begin(IsolationLevel.READ_COMMITTED, 0);
    writer.snapshotFor(rr, a.tableId());
    writer.snapshotFor(rc, a.tableId());

    MultiTableTransaction both = writer.begin();
    both.addFiles(a.key(), 0, List.of(file("a1")));
    both.addFiles(b.key(), 0, List.of(file("b1")));
    writer.commit(both);

    assertEquals(0, writer.snapshotFor(rr, b.tableId()).readVersion(), "B at the cut A was read at");
    assertEquals(1, writer.snapshotFor(rc, b.tableId()).readVersion(), "READ COMMITTED: a new cut per statement");
    Map<Long, TransactionSnapshot> cut = writer.snapshotsFor(rc, List.of(a.tableId(), b.tableId()));
    assertEquals(1, cut.get(a.tableId()).readVersion());
    assertEquals(1, cut.get(b.tableId()).readVersion());

    TableRef created = fixture.createTable(writer, file("c0"));
    assertFails(SqlState.SERIALIZATION_FAILURE, () -> writer.snapshotFor(rr, created.tableId()),
        created.key(), "did not exist");
    writer.rollback(rr);
    writer.rollback(rc);
  }

  // ---- write skew -------------------------------------------------------------------------

  /** T1 reads A and writes B; T2 reads B and writes A. */
  private List<MultiTableTransaction> writeSkew(IsolationLevel level, TableRef a, TableRef b) {
    MultiTableTransaction t1 = writer.begin(level, 0);
    MultiTableTransaction t2 = writer.begin(level, 0);
    TransactionSnapshot readA = writer.snapshotFor(t1, a.tableId());
    TransactionSnapshot readB = writer.snapshotFor(t2, b.tableId());
    t1.addFiles(b.key(), writer.snapshotFor(t1, b.tableId()).readVersion(), List.of(file("from-a-" + readA.readVersion())));
    t2.addFiles(a.key(), writer.snapshotFor(t2, a.tableId()).readVersion(), List.of(file("from-b-" + readB.readVersion())));
    return List.of(t1, t2);
  }

  @Test
  void writeSkewIsPreventedUnderSerializable() {
    TableRef a = fixture.createTable(writer, file("a0"));
    TableRef b = fixture.createTable(writer, file("b0"));
    List<MultiTableTransaction> txs = writeSkew(IsolationLevel.SERIALIZABLE, a, b);
    writer.commit(txs.get(0));
    assertFails(SqlState.SERIALIZATION_FAILURE, () -> writer.commit(txs.get(1)), "table '" + b.key() + "'",
        "read at version 0", "version 1", "changed data that this SERIALIZABLE transaction read");
    assertEquals(1, fixture.version(b));
    assertEquals(0, fixture.version(a));
  }

  @Test
  void writeSkewIsAllowedUnderRepeatableRead() {
    TableRef a = fixture.createTable(writer, file("a0"));
    TableRef b = fixture.createTable(writer, file("b0"));
    List<MultiTableTransaction> txs = writeSkew(IsolationLevel.REPEATABLE_READ, a, b);
    writer.commit(txs.get(0));
    writer.commit(txs.get(1));
    assertEquals(1, fixture.version(a));
    assertEquals(1, fixture.version(b));
  }

  @Test
  void aCompactionDoesNotInvalidateASerializableRead() {
    AddFile small = file("small");
    TableRef a = fixture.createTable(writer, small);
    TableRef b = fixture.createTable(writer);
    MultiTableTransaction reader = writer.begin(IsolationLevel.SERIALIZABLE, 0);
    writer.snapshotFor(reader, a.tableId());
    reader.addFiles(b.key(), 0, List.of(file("b1")));

    MultiTableTransaction optimize = writer.begin();
    optimize.stageActions(new TableActionsBuilder(a.key(), 0).removeFile(small.toRemove(3, false))
        .addFile(file("compacted").withDataChange(false)).withOperation("OPTIMIZE").readsTable(true).build());
    writer.commit(optimize);

    MultiTableCommitResult result = writer.commit(reader);
    assertEquals(1, result.retries());
    assertEquals(1, fixture.version(b));
  }

  // ---- commuting and conflicting commits -----------------------------------------------------

  @Test
  void twoBlindAppendsToOneTableBothCommitByRebasing() {
    for (IsolationLevel level : IsolationLevel.values()) {
      TableRef t = fixture.createTable(writer, file("f0"));
      MultiTableTransaction t1 = writer.begin(level, 0);
      MultiTableTransaction t2 = writer.begin(level, 0);
      t1.addFiles(t.key(), 0, List.of(file("by-t1")));
      t2.addFiles(t.key(), 0, List.of(file("by-t2")));
      writer.commit(t1);
      MultiTableCommitResult second = writer.commit(t2);

      TableCommitResult r = second.table(t.key()).orElseThrow();
      assertEquals(1, second.retries(), level.sqlName());
      assertEquals(1, r.readVersion(), "rebased onto t1's version");
      assertEquals(2, r.version());
      assertEquals(3, fixture.latest(t).files().size());
    }
  }

  @Test
  void concurrentBlindAppendsAllCommitWithDistinctVersions() throws Exception {
    TableRef t = fixture.createTable(writer);
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> versions = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String path = "thread-" + i;
        versions.add(pool.submit(() -> {
          MultiTableTransaction tx = writer.begin();
          tx.addFiles(t.key(), 0, List.of(file(path)));
          start.await(10, TimeUnit.SECONDS);
          return writer.commit(tx).version(t.key()).orElseThrow();
        }));
      }
      Set<Long> committed = new HashSet<>();
      for (Future<Long> v : versions) {
        committed.add(v.get(30, TimeUnit.SECONDS));
      }
      assertEquals(Set.of(1L, 2L, 3L, 4L), committed);
      assertEquals(threads, fixture.latest(t).files().size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aConcurrentMetadataChangeConflictsWithAnAppend() {
    TableRef t = fixture.createTable(writer, file("f0"));
    MultiTableTransaction append = writer.begin();
    append.addFiles(t.key(), 0, List.of(file("f1")));

    Metadata current = fixture.latest(t).metadata();
    MultiTableTransaction alter = writer.begin();
    alter.stageActions(new TableActionsBuilder(t.key(), 0)
        .withMetadata(current.withConfiguration(Map.of("delta.enableInCommitTimestamps", "true", "owner", "x")))
        .withOperation("SET TBLPROPERTIES").build());
    writer.commit(alter);

    assertFails(SqlState.SERIALIZATION_FAILURE, () -> writer.commit(append), "changed the table's metadata");
  }

  @Test
  void aSchemaChangeConflictsWithAConcurrentAppend() {
    TableRef t = fixture.createTable(writer, file("f0"));
    Metadata current = fixture.latest(t).metadata();
    MultiTableTransaction alter = writer.begin();
    alter.stageActions(new TableActionsBuilder(t.key(), 0)
        .withMetadata(current.withSchemaString(WriterFixture.SCHEMA.replace("]}",
            ",{\"name\":\"extra\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}")))
        .withOperation("ADD COLUMNS").build());
    fixture.append(writer, t, file("f1"));
    assertFails(SqlState.SERIALIZATION_FAILURE, () -> writer.commit(alter), "changes the table's schema");
  }

  @Test
  void aTransactionReadsItsOwnWrites() {
    AddFile old = file("old");
    TableRef t = fixture.createTable(writer, old);
    MultiTableTransaction tx = writer.begin(IsolationLevel.REPEATABLE_READ, 0);
    rewrite(tx, t, old, file("new"));
    TransactionSnapshot seen = writer.snapshotFor(tx, t.tableId());
    assertTrue(seen.includesOwnWrites());
    assertEquals(Set.of(new FileKey("new", Optional.empty())), seen.snapshot().files().keySet());
    assertEquals(Set.of(new FileKey("old", Optional.empty())), fixture.latest(t).files().keySet());

    String name = WriterFixture.unique("created");
    NewTable created = NewTable.of("main", name, "/lake/main/" + name);
    writer.createTable(tx, created, WriterFixture.metadata(), Optional.empty());
    tx.addFiles(created.key(), TableActions.NEW_TABLE, List.of(file("c0")));
    TransactionSnapshot fresh = writer.snapshotFor(tx, created.key());
    assertEquals(TableActions.NEW_TABLE, fresh.readVersion());
    assertEquals(1, fresh.snapshot().files().size());
    assertFalse(fixture.store().findTable("main", name).isPresent(), "not in the catalog before commit");
    writer.commit(tx);
    assertTrue(fixture.store().findTable("main", name).isPresent());
  }
}
