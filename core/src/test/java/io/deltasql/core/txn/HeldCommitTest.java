package io.deltasql.core.txn;

import static io.deltasql.core.txn.WriterFixture.assertFails;
import static io.deltasql.core.txn.WriterFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.catalog.VersionRecord;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.testing.CatalogBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A writer that holds the tables of a transaction at their read versions (its own last commit
 * to each) commits without reading their rows first ({@code CommitEngine}, held tables): the
 * same rows as the usual commit, and whenever a table is not as held (another process
 * committed, the table diverged, its mirror is too far behind, the transaction id is already
 * recorded) nothing of the held attempt stays and the usual attempt decides, as it would have.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class HeldCommitTest {
  @Parameter
  CatalogBackend backend;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private MultiTableWriter writer(WriterFixture f) {
    return writer(f, b -> b);
  }

  private MultiTableWriter writer(WriterFixture f, UnaryOperator<MultiTableWriter.Builder> options) {
    return f.writer(b -> options.apply(b.meterRegistry(meters)));
  }

  /** A writer refusing commits to a table with more than {@code max} unmirrored versions. */
  private MultiTableWriter writerWithBacklog(WriterFixture f, long max) {
    return writer(f, b -> b.config(WriterFixture.config().toBuilder().mirrorMaxUnmirroredVersions(max).build()));
  }

  private double held() {
    return meters.counter(WriterMetrics.HELD).count();
  }

  private double misses() {
    return meters.counter(WriterMetrics.HELD_MISSES).count();
  }

  /** Created, then one commit through the usual attempt: afterwards the writer holds the table at version 1. */
  private static TableRef heldTable(WriterFixture f, MultiTableWriter writer) {
    TableRef table = f.createTable(writer, file("a0.parquet", 0));
    f.append(writer, table, file("a1.parquet", 1));
    return table;
  }

  private static MultiTableTransaction appendAt(MultiTableWriter writer, TableRef table, long readVersion,
      AddFile file) {
    MultiTableTransaction tx = writer.begin();
    tx.addFiles(table.key(), readVersion, List.of(file));
    return tx;
  }

  @Test
  void theNextCommitOfTheWriterIsHeldAndWritesWhatTheUsualCommitWrites() {
    try (WriterFixture f = new WriterFixture(backend, "held")) {
      Instant now = Instant.parse("2026-12-03T12:00:00Z");
      // A stopped clock: each version's in-commit timestamp must be raised above the previous one's.
      MultiTableWriter writer = writer(f, b -> b.clock(Clock.fixed(now, ZoneOffset.UTC)));
      TableRef table = heldTable(f, writer);
      assertEquals(0, held());

      MultiTableTransaction tx = appendAt(writer, table, 1, file("a2.parquet", 2));
      MultiTableCommitResult result = writer.commit(tx);

      assertEquals(1, held());
      assertEquals(0, misses());
      assertEquals(Optional.of(2L), result.version(table.key()));
      assertEquals(0, result.retries());
      List<VersionRecord> history = f.history(table);
      assertEquals(List.of(now.toEpochMilli(), now.toEpochMilli() + 1, now.toEpochMilli() + 2),
          history.stream().map(VersionRecord::timestamp).toList());
      assertEquals(tx.id().toString(), history.get(2).txnId().orElseThrow());
      assertEquals(MirrorState.PENDING, f.store().inTransaction(c -> c.mirrorStatus(table.tableId(), 2))
          .orElseThrow().state());
      assertEquals(List.of("a0.parquet", "a1.parquet", "a2.parquet"),
          f.latest(table).files().values().stream().map(AddFile::path).sorted().toList());
      assertEquals(now.toEpochMilli() + 2, f.latest(table).timestamp());
    }
  }

  @Test
  void aCommitOfAnotherProcessInBetweenMakesTheUsualAttemptRebase() {
    try (WriterFixture f = new WriterFixture(backend, "moved")) {
      MultiTableWriter writer = writer(f);
      MultiTableWriter otherProcess = f.writer(); // its own cache and locks
      TableRef table = heldTable(f, writer);
      f.append(otherProcess, table, file("b2.parquet", 2));

      MultiTableCommitResult result = writer.commit(appendAt(writer, table, 1, file("a3.parquet", 3)));

      assertEquals(1, misses());
      assertEquals(0, held());
      assertEquals(Optional.of(3L), result.version(table.key()));
      assertEquals(1, result.retries()); // the rebase; the held attempt is not counted
      assertEquals(List.of("a0.parquet", "a1.parquet", "a3.parquet", "b2.parquet"),
          f.latest(table).files().values().stream().map(AddFile::path).sorted().toList());
      assertEquals(4, f.txnIds(table).stream().distinct().count());
    }
  }

  @Test
  void anotherProcessWinningBetweenTheHeldValidationAndTheWritesLeavesNoTraceOfTheTransaction() {
    try (WriterFixture f = new WriterFixture(backend, "race")) {
      MultiTableWriter otherProcess = f.writer();
      AtomicBoolean armed = new AtomicBoolean();
      AddFile shared = file("shared.parquet", 9);
      TableRef[] table = new TableRef[1];
      MultiTableWriter writer = writer(f, b -> b.commitHook((tx, attempt) -> {
        if (armed.compareAndSet(true, false)) {
          // After the held attempt validated: another process removes the file this commit removes.
          MultiTableTransaction winner = otherProcess.begin();
          winner.removeFiles(table[0].key(), 1, List.of(WriterFixture.remove(shared)));
          otherProcess.commit(winner);
        }
      }));
      table[0] = f.createTable(writer, "t", shared);
      f.append(writer, table[0], file("a1.parquet", 1)); // held at version 1
      armed.set(true);
      MultiTableTransaction tx = writer.begin();
      tx.stageActions(new TableActionsBuilder(table[0].key(), 1).removeFile(WriterFixture.remove(shared))
          .addFile(file("a2.parquet", 2)).withOperation("UPDATE").readsTable(true).build());

      DeltaException e = assertFails(SqlState.SERIALIZATION_FAILURE, () -> writer.commit(tx), table[0].key(),
          "shared.parquet");

      assertTrue(e.isRetryable());
      assertEquals(1, misses());
      assertEquals(0, held());
      assertEquals(TransactionState.ROLLED_BACK, tx.state());
      assertEquals(2, f.version(table[0]));
      assertFalse(f.txnIds(table[0]).contains(tx.id().toString()));
      assertEquals(List.of("a1.parquet"), f.latest(table[0]).files().values().stream().map(AddFile::path).toList());
    }
  }

  @Test
  void aDivergedTableRefusesTheCommitAndNothingIsWritten() {
    try (WriterFixture f = new WriterFixture(backend, "diverged")) {
      MultiTableWriter writer = writer(f);
      TableRef table = heldTable(f, writer);
      f.store().inTransaction(c -> {
        c.setDivergence(table.tableId(), Optional.of("00000000000000000002.json was written by another writer"));
        return null;
      });

      assertFails(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
          () -> writer.commit(appendAt(writer, table, 1, file("a2.parquet", 2))), table.key());

      assertEquals(1, misses());
      assertEquals(1, f.version(table));
      assertEquals(2, f.latest(table).files().size());
    }
  }

  @Test
  void aTableTooFarBehindItsMirrorRefusesTheCommitAndNothingIsWritten() {
    try (WriterFixture f = new WriterFixture(backend, "backlog")) {
      // No mirror: every version stays pending. Versions 0 and 1 pending: over a backlog of 1.
      MultiTableWriter writer = writerWithBacklog(f, 1);
      TableRef table = heldTable(f, writer);

      assertFails(SqlState.INSUFFICIENT_RESOURCES,
          () -> writer.commit(appendAt(writer, table, 1, file("a2.parquet", 2))), table.key());
      assertEquals(1, misses());
      // The miss forgot the table: while the mirror is behind, the cut alone refuses the commits.
      assertFails(SqlState.INSUFFICIENT_RESOURCES,
          () -> writer.commit(appendAt(writer, table, 1, file("a2.parquet", 2))), table.key());

      assertEquals(1, misses());
      assertEquals(0, held());
      assertEquals(1, f.version(table));
      assertEquals(2, f.store().inTransaction(c -> c.unmirroredVersions(table.tableId())).size());
    }
  }

  @Test
  void theHeldBacklogCheckAllowsExactlyTheMaximumAndFollowsTheMirror() {
    try (WriterFixture f = new WriterFixture(backend, "backlogedge")) {
      // No mirror: every version stays pending until marked written here. A backlog of at most 3.
      MultiTableWriter writer = writerWithBacklog(f, 3);
      TableRef table = heldTable(f, writer);

      // 0..1 pending, then 0..2 (3, the maximum): both held, committed.
      assertEquals(Optional.of(2L), writer.commit(appendAt(writer, table, 1, file("a2.parquet", 2))).version(table.key()));
      assertEquals(Optional.of(3L), writer.commit(appendAt(writer, table, 2, file("a3.parquet", 3))).version(table.key()));
      assertEquals(2, held());
      // 0..3 pending (4): the held attempt misses, the usual attempt's exact count refuses.
      assertFails(SqlState.INSUFFICIENT_RESOURCES,
          () -> writer.commit(appendAt(writer, table, 3, file("a4.parquet", 4))), table.key());
      assertEquals(1, misses());
      assertEquals(3, f.version(table));

      // The mirror writes version 0 (in order, as it does): 1..3 pending, the maximum again.
      markWritten(f, table, 0);
      assertEquals(Optional.of(4L), writer.commit(appendAt(writer, table, 3, file("a4.parquet", 4))).version(table.key()));
      // Held again: 1..4 pending; version 1 written, 2..4: the held attempt admits it (its probe reads version 1's row).
      markWritten(f, table, 1);
      assertEquals(Optional.of(5L), writer.commit(appendAt(writer, table, 4, file("a5.parquet", 5))).version(table.key()));
      assertEquals(3, held());
      assertEquals(1, misses());
      // 2..5 pending: refused again, nothing written.
      assertFails(SqlState.INSUFFICIENT_RESOURCES,
          () -> writer.commit(appendAt(writer, table, 5, file("a6.parquet", 6))), table.key());
      assertEquals(2, misses());
      assertEquals(5, f.version(table));
      assertEquals(List.of(2L, 3L, 4L, 5L), f.store().inTransaction(c -> c.unmirroredVersions(table.tableId()))
          .stream().map(s -> s.version()).toList());
    }
  }

  private static void markWritten(WriterFixture f, TableRef table, long version) {
    f.store().inTransaction(c -> {
      c.recordMirrored(table.tableId(), version, version);
      return null;
    });
  }

  @Test
  void aTransactionIdAlreadyRecordedGetsTheRecordedResultNotASecondVersion() {
    try (WriterFixture f = new WriterFixture(backend, "recorded")) {
      MultiTableWriter writer = writer(f);
      TableRef table = heldTable(f, writer);
      UUID id = UUID.randomUUID();
      MultiTableTransaction first = MultiTableTransaction.builder(WriterFixture.config()).id(id).begin();
      first.addFiles(table.key(), 1, List.of(file("a2.parquet", 2)));
      assertEquals(Optional.of(2L), writer.commit(first).version(table.key()));
      assertEquals(1, held());

      // The same transaction again (a client that did not learn the outcome), staged on the version it made.
      MultiTableTransaction again = MultiTableTransaction.builder(WriterFixture.config()).id(id).begin();
      again.addFiles(table.key(), 2, List.of(file("a2.parquet", 2)));
      MultiTableCommitResult result = writer.commit(again);

      assertEquals(1, misses());
      assertTrue(result.table(table.key()).orElseThrow().alreadyCommitted());
      assertEquals(Optional.of(2L), result.version(table.key()));
      assertEquals(2, f.version(table));
      assertEquals(List.of(id.toString()), f.txnIds(table).stream().filter(id.toString()::equals).toList());
    }
  }

  @Test
  void serializableTransactionsAreNeverHeld() {
    try (WriterFixture f = new WriterFixture(backend, "serializable")) {
      MultiTableWriter writer = writer(f);
      TableRef table = heldTable(f, writer);
      MultiTableTransaction tx = writer.begin(IsolationLevel.SERIALIZABLE, 0);
      tx.addFiles(table.key(), 1, List.of(file("a2.parquet", 2)));

      assertEquals(Optional.of(2L), writer.commit(tx).version(table.key()));
      assertEquals(0, held());
      assertEquals(0, misses());
    }
  }
}
