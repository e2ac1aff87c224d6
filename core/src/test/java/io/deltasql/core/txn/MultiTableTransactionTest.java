package io.deltasql.core.txn;

import static io.deltasql.core.txn.TxnFixtures.BASE_SCHEMA;
import static io.deltasql.core.txn.TxnFixtures.CLOCK;
import static io.deltasql.core.txn.TxnFixtures.LEGACY;
import static io.deltasql.core.txn.TxnFixtures.T0;
import static io.deltasql.core.txn.TxnFixtures.add;
import static io.deltasql.core.txn.TxnFixtures.metadata;
import static io.deltasql.core.txn.TxnFixtures.remove;
import static io.deltasql.core.txn.TxnFixtures.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MultiTableTransactionTest {

  @Test
  void identityTimeAndOptions() {
    UUID id = UUID.randomUUID();
    MultiTableTransaction tx = MultiTableTransaction.builder(MultiTableConfig.defaults()).id(id).clock(CLOCK)
        .isolationLevel(IsolationLevel.SERIALIZABLE).priority(7).begin();
    assertEquals(id, tx.id());
    assertEquals(T0, tx.createdAt());
    assertEquals(Duration.ZERO, tx.age());
    assertEquals(IsolationLevel.SERIALIZABLE, tx.isolationLevel());
    assertEquals(7, tx.priority());
    assertEquals(TransactionState.ACTIVE, tx.state());
    assertFalse(MultiTableTransaction.begin(MultiTableConfig.defaults()).id()
        .equals(MultiTableTransaction.begin(MultiTableConfig.defaults()).id()));
    assertEquals(IsolationLevel.REPEATABLE_READ,
        MultiTableTransaction.begin(MultiTableConfig.defaults(), IsolationLevel.REPEATABLE_READ).isolationLevel());
  }

  @Test
  void stagingTwiceAppendsTheLaterStatementAndKeepsTheFirstReadVersion() {
    MultiTableTransaction tx = txn();
    tx.addFiles("t", 3, List.of(add("a"), add("b")));
    tx.stageActions(new TableActionsBuilder("t", 5).addFile(add("c")).removeFile(remove("old"))
        .withOperation("UPDATE").readsTable(true).build());
    TableActions t = tx.stagedActions("t").orElseThrow();
    assertEquals(3, t.readVersion());
    assertEquals(List.of("a", "b", "c"), t.adds().stream().map(AddFile::path).toList());
    assertEquals(List.of("old"), t.removes().stream().map(RemoveFile::path).toList());
    assertEquals(2, t.statements().size());
    StagedStatement second = t.statements().get(1);
    assertEquals(List.of("c"), t.addsOf(second).stream().map(AddFile::path).toList());
    assertEquals(List.of("old"), t.removesOf(second).stream().map(RemoveFile::path).toList());
    assertEquals(List.of("a", "b"), t.addsOf(t.statements().get(0)).stream().map(AddFile::path).toList());
    assertEquals("TRANSACTION", t.operation().name());
    assertEquals("[\"WRITE\",\"UPDATE\"]", t.operation().parameters().get("operations"));
    assertEquals("2", t.operation().parameters().get("statementCount"));
    assertFalse(t.isBlindAppend());
    assertEquals(4, tx.actionCount());
  }

  @Test
  void laterMetadataProtocolAndAppTransactionsReplaceEarlierOnes() {
    MultiTableTransaction tx = txn();
    tx.stageActions(new TableActionsBuilder("t", 1).withMetadata(metadata(BASE_SCHEMA)).withProtocol(LEGACY)
        .withAppTransaction(new SetTransaction("app", 1, Optional.empty()))
        .withAppTransaction(new SetTransaction("other", 9, Optional.empty())).build());
    Protocol upgraded = new Protocol(1, 3);
    tx.stageActions(new TableActionsBuilder("t", 1).withProtocol(upgraded)
        .withAppTransaction(new SetTransaction("app", 2, Optional.empty())).build());
    TableActions t = tx.stagedActions("t").orElseThrow();
    assertEquals(upgraded, t.protocol().orElseThrow());
    assertEquals(metadata(BASE_SCHEMA), t.metadata().orElseThrow(), "kept when the later statement sets none");
    assertEquals(List.of(new SetTransaction("app", 2, Optional.empty()), new SetTransaction("other", 9, Optional.empty())),
        t.appTransactions());
    assertEquals(4, t.actionCount());
    assertEquals(4, tx.actionCount(), "the staged count is exact, not an upper bound");
  }

  @Test
  void theSameOperationTwiceStaysThatOperation() {
    MultiTableTransaction tx = txn();
    tx.addFiles("t", 0, List.of(add("a")));
    tx.addFiles("t", 0, List.of(add("b")));
    TableActions t = tx.stagedActions("t").orElseThrow();
    assertEquals(TableOperation.WRITE, t.operation());
    assertTrue(t.isBlindAppend());
  }

  @Test
  void aLaterStatementCannotHaveReadAnOlderVersion() {
    MultiTableTransaction tx = txn();
    tx.addFiles("t", 5, List.of(add("a")));
    DeltaException e = assertThrows(DeltaException.class, () -> tx.addFiles("t", 4, List.of(add("b"))));
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
    assertEquals(1, tx.stagedActions("t").orElseThrow().adds().size(), "nothing staged");

    tx.stageActions(new TableActionsBuilder("new", TableActions.NEW_TABLE).addFile(add("n")).build());
    assertThrows(DeltaException.class, () -> tx.addFiles("new", 0, List.of(add("m"))));
    tx.stageActions(new TableActionsBuilder("new", TableActions.NEW_TABLE).addFile(add("m")).build());
    assertEquals(2, tx.stagedActions("new").orElseThrow().adds().size());
  }

  @Test
  void mergingAnotherTableIsRefused() {
    TableActions t = new TableActionsBuilder("t", 0).addFile(add("a")).build();
    TableActions u = new TableActionsBuilder("u", 0).addFile(add("b")).build();
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, assertThrows(DeltaException.class, () -> t.mergedWith(u)).state());
  }

  @Test
  void mergingAppendsToTheFirstStatementsStoreWithoutCopying() {
    MultiTableTransaction tx = txn();
    TableActions first = new TableActionsBuilder("t", 0).addFile(add("a")).build();
    tx.stageActions(first);
    tx.addFiles("t", 0, List.of(add("b")));
    tx.addFiles("t", 0, List.of(add("c")));
    TableActions staged = tx.stagedActions("t").orElseThrow();
    assertTrue(AppendOnlyList.sameStore(first.adds(), staged.adds()));
    assertEquals(1, first.adds().size(), "what was built earlier never changes");
    assertSame(first.adds().get(0), staged.adds().get(0));
  }

  @Test
  void aBuilderReusedAfterStagingForksInsteadOfChangingTheStagedActions() {
    MultiTableTransaction tx = txn();
    TableActionsBuilder b = new TableActionsBuilder("t", 0).addFile(add("a"));
    tx.stageActions(b.build());
    tx.addFiles("t", 0, List.of(add("staged-later")));
    b.addFile(add("builder-later"));
    assertEquals(List.of("a", "staged-later"),
        tx.stagedActions("t").orElseThrow().adds().stream().map(AddFile::path).toList());
    assertEquals(List.of("a", "builder-later"), b.build().adds().stream().map(AddFile::path).toList());
  }

  @Test
  void aMillionAddsAreStagedAndValidatedWithoutCopies() {
    int n = 1_000_000;
    TableActionsBuilder first = new TableActionsBuilder("big", 0);
    for (int i = 0; i < n / 2; i++) {
      first.addFile(add("part-" + i));
    }
    List<AddFile> secondHalf = new ArrayList<>(n / 2);
    for (int i = n / 2; i < n; i++) {
      secondHalf.add(add("part-" + i));
    }
    MultiTableTransaction tx = txn();
    TableActions firstActions = first.build();
    tx.stageActions(firstActions);
    tx.addFiles("big", 0, secondHalf);
    TableActions staged = tx.stagedActions("big").orElseThrow();
    assertEquals(n, staged.adds().size());
    assertTrue(AppendOnlyList.sameStore(firstActions.adds(), staged.adds()));
    assertSame(secondHalf.get(n / 2 - 1), staged.adds().get(n - 1));
    assertTrue(staged.isBlindAppend());
    assertSame(staged.adds(), staged.netChanges().adds(), "no cancellation: the view itself, no copy");
    ValidationResult r = tx.validate(new InMemoryCatalog().table("big", 0));
    assertTrue(r.isValid(), r.message());
  }

  @Test
  void aRemoveOfAFileAddedByAnEarlierStatementCancelsIt() {
    MultiTableTransaction tx = txn();
    tx.addFiles("t", 0, List.of(add("mine"), add("kept")));
    tx.removeFiles("t", 0, List.of(remove("mine"), remove("base")));
    tx.stageActions(new TableActionsBuilder("t", 0).removeFile(remove("base2"))
        .addFile(add("base2").withDataChange(false)).build());
    NetFileChanges net = tx.stagedActions("t").orElseThrow().netChanges();
    assertEquals(List.of("kept", "base2"), net.adds().stream().map(AddFile::path).toList());
    assertEquals(List.of("base", "base2"), net.removes().stream().map(RemoveFile::path).toList());
    ValidationResult r = tx.validate(new InMemoryCatalog().table("t", 0, add("base"), add("base2")));
    assertTrue(r.isValid(), r.message());
  }

  @Test
  void stagingPastALimitIsRefusedAndStagesNothing() {
    MultiTableConfig small = MultiTableConfig.builder().maxTables(2).maxActions(4).maxActionsPerTable(3).build();
    MultiTableTransaction tx = MultiTableTransaction.begin(small);
    tx.addFiles("a", 0, List.of(add("1"), add("2")));
    tx.addFiles("b", 0, List.of(add("3")));
    DeltaException tables = assertThrows(DeltaException.class, () -> tx.addFiles("c", 0, List.of(add("4"))));
    assertEquals(SqlState.PROGRAM_LIMIT_EXCEEDED, tables.state());
    assertTrue(tables.getMessage().contains("maxTables"), tables.getMessage());
    DeltaException perTable = assertThrows(DeltaException.class,
        () -> tx.addFiles("a", 0, List.of(add("5"), add("6"))));
    assertTrue(perTable.getMessage().contains("maxActionsPerTable"), perTable.getMessage());
    tx.addFiles("b", 0, List.of(add("7")));
    DeltaException total = assertThrows(DeltaException.class, () -> tx.addFiles("a", 0, List.of(add("8"))));
    assertTrue(total.getMessage().contains("'maxActions'"), total.getMessage());
    assertEquals(List.of("a", "b"), tx.stagedTables());
    assertEquals(4, tx.actionCount());
    assertEquals(2, tx.stagedActions("a").orElseThrow().adds().size());
    assertEquals(TransactionState.ACTIVE, tx.state(), "a refused statement leaves the transaction usable");
  }

  @Test
  void tablesAreKeptInCanonicalOrder() {
    MultiTableTransaction tx = txn();
    for (String t : List.of("zeta", "alpha", "mid")) {
      tx.addFiles(t, 0, List.of(add(t + "-file")));
    }
    assertEquals(List.of("alpha", "mid", "zeta"), tx.stagedTables());
    assertEquals(List.of("alpha", "mid", "zeta"), List.copyOf(tx.stagedActions().keySet()));
  }

  @Test
  void conveniencesNameTheirOperations() {
    MultiTableTransaction tx = txn();
    tx.removeFiles("t", 0, List.of(remove("x")));
    assertEquals("DELETE", tx.stagedActions("t").orElseThrow().operation().name());
  }

  @Test
  void readCommittedRecordsTheLatestReadAndPinsNothing() {
    MultiTableTransaction tx = txn(IsolationLevel.READ_COMMITTED);
    tx.recordRead("t", 3);
    tx.recordRead("t", 5);
    assertEquals(Map.of("t", 5L), tx.readVersions());
    assertTrue(tx.pinnedVersion("t").isEmpty());
    tx.addFiles("t", 7, List.of(add("a")));
    assertEquals(42, tx.pinSnapshotCut(42));
    assertEquals(43, tx.pinSnapshotCut(43));
    assertTrue(tx.snapshotCut().isEmpty());
  }

  @Test
  void repeatableReadPinsTheFirstReadOfEachTable() {
    MultiTableTransaction tx = txn(IsolationLevel.REPEATABLE_READ);
    assertTrue(tx.pinnedVersion("t").isEmpty());
    tx.recordRead("t", 3);
    tx.recordRead("t", 3);
    assertEquals(Optional.of(3L), tx.pinnedVersion("t"));
    DeltaException e = assertThrows(DeltaException.class, () -> tx.recordRead("t", 4));
    assertEquals(SqlState.INVALID_TRANSACTION_STATE, e.state());
    assertTrue(e.getMessage().contains("pinned table 't' at version 3"), e.getMessage());
    assertThrows(DeltaException.class, () -> tx.addFiles("t", 4, List.of(add("a"))));
    tx.addFiles("t", 3, List.of(add("a")));

    tx.addFiles("u", 8, List.of(add("b")));
    assertEquals(Optional.of(8L), tx.pinnedVersion("u"), "a write pins the version it read");
    assertThrows(DeltaException.class, () -> tx.recordRead("u", 9));

    assertEquals(100, tx.pinSnapshotCut(100));
    assertEquals(100, tx.pinSnapshotCut(120));
    assertEquals(Optional.of(100L), tx.snapshotCut());
  }

  @Test
  void readsAreCheckedForMisuse() {
    MultiTableTransaction tx = txn();
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, assertThrows(DeltaException.class, () -> tx.recordRead("t", -1)).state());
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, assertThrows(DeltaException.class, () -> tx.recordRead(null, 1)).state());
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, assertThrows(DeltaException.class, () -> tx.stageActions(null)).state());
  }

  @Test
  void rebasingChangesOnlyTheReadVersion() {
    TableActions a = new TableActionsBuilder("t", 3).addFile(add("a")).build();
    TableActions rebased = a.withReadVersion(5);
    assertEquals(5, rebased.readVersion());
    assertSame(a.adds(), rebased.adds());
    assertThrows(DeltaException.class, () -> a.withReadVersion(-1));
    assertThrows(DeltaException.class,
        () -> new TableActionsBuilder("t", TableActions.NEW_TABLE).build().withReadVersion(0));
  }
}
