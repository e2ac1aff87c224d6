package io.deltasql.core.txn;

import static io.deltasql.core.txn.TxnFixtures.add;
import static io.deltasql.core.txn.TxnFixtures.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.SetTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each of Delta's conflict rules, one winning commit at a time, without a catalog. */
class ConflictCheckerTest {
  private static final String ME = "me";
  private static final String T = "s.t";

  private static WinningCommit winner(long version, Action... actions) {
    List<Action> list = new ArrayList<>();
    list.add(commitInfo("other", "WRITE"));
    list.addAll(List.of(actions));
    return new WinningCommit(version, list);
  }

  private static CommitInfo commitInfo(String txnId, String operation) {
    var values = JsonNodeFactory.instance.objectNode();
    values.put(CommitInfo.TXN_ID, txnId);
    values.put(CommitInfo.OPERATION, operation);
    return new CommitInfo(values);
  }

  private static ConflictDecision check(IsolationLevel level, TableActions staged, boolean readsData,
      WinningCommit... winners) {
    return new ConflictChecker(ME, level).check(T, 4, Optional.ofNullable(staged), readsData, List.of(winners));
  }

  private static TableActions append(String path) {
    return new TableActionsBuilder(T, 4).addFile(add(path)).build();
  }

  private static TableActions rewrite(String old, String replacement) {
    return new TableActionsBuilder(T, 4).removeFile(remove(old)).addFile(add(replacement)).readsTable(true)
        .withOperation("UPDATE").build();
  }

  @Test
  void appendsCommuteWithAppendsAtEveryLevel() {
    for (IsolationLevel level : IsolationLevel.values()) {
      ConflictDecision d = check(level, append("mine"), false, winner(5, add("theirs")), winner(6, add("more")));
      assertEquals(new ConflictDecision.Rebase(T, 6), d, level.sqlName());
    }
  }

  @Test
  void aWinningVersionWithThisTransactionsIdIsItsOwnCommit() {
    WinningCommit own = new WinningCommit(5, List.of(commitInfo(ME, "WRITE"), add("mine")));
    assertEquals(new ConflictDecision.AlreadyCommitted(T, 5), check(IsolationLevel.READ_COMMITTED,
        append("mine"), false, own));
  }

  @Test
  void removingAFileThatAWinnerRemovedIsALostUpdate() {
    ConflictDecision d = check(IsolationLevel.READ_COMMITTED, rewrite("f", "f2"), true,
        winner(5, add("unrelated")), winner(6, remove("f"), add("f-other")));
    ConflictDecision.Conflict c = assertInstanceOf(ConflictDecision.Conflict.class, d);
    assertEquals(6, c.conflictingVersion());
    assertEquals(4, c.readVersion());
    assertTrue(c.describe().contains("table 's.t' was read at version 4, and version 6 (WRITE) of transaction other"),
        c.describe());
    assertTrue(c.reason().contains("removed file 'f'"), c.reason());
  }

  @Test
  void rewritesOfDifferentFilesCommuteBelowSerializable() {
    for (IsolationLevel level : List.of(IsolationLevel.READ_COMMITTED, IsolationLevel.REPEATABLE_READ)) {
      ConflictDecision d = check(level, rewrite("f", "f2"), true, winner(5, remove("g"), add("g2")));
      assertEquals(new ConflictDecision.Rebase(T, 5), d, level.sqlName());
    }
  }

  @Test
  void underSerializableAnyDataChangeInvalidatesWhatWasRead() {
    ConflictDecision d = check(IsolationLevel.SERIALIZABLE, rewrite("f", "f2"), true, winner(5, add("new")));
    assertTrue(assertInstanceOf(ConflictDecision.Conflict.class, d).reason().contains("SERIALIZABLE"));
    ConflictDecision readOnly = check(IsolationLevel.SERIALIZABLE, null, true, winner(5, remove("g")));
    assertInstanceOf(ConflictDecision.Conflict.class, readOnly);
  }

  @Test
  void underSerializableABlindAppendDoesNotDependOnData() {
    assertEquals(new ConflictDecision.Rebase(T, 5),
        check(IsolationLevel.SERIALIZABLE, append("mine"), false, winner(5, remove("g"), add("h"))));
  }

  @Test
  void aCompactionDoesNotChangeData() {
    WinningCommit optimize = winner(5, TxnFixtures.add("small").toRemove(1, false),
        TxnFixtures.add("big").withDataChange(false));
    assertEquals(new ConflictDecision.Rebase(T, 5), check(IsolationLevel.SERIALIZABLE, null, true, optimize));
  }

  @Test
  void protocolAndMetadataChangesAlwaysConflict() {
    for (IsolationLevel level : IsolationLevel.values()) {
      assertInstanceOf(ConflictDecision.Conflict.class,
          check(level, append("mine"), false, winner(5, new Protocol(3, 7))), level.sqlName());
      assertInstanceOf(ConflictDecision.Conflict.class,
          check(level, append("mine"), false, winner(5, TxnFixtures.metadata(TxnFixtures.BASE_SCHEMA))));
    }
  }

  @Test
  void aSchemaChangeConflictsWithConcurrentDataChanges() {
    TableActions alter = new TableActionsBuilder(T, 4).withMetadata(TxnFixtures.metadata(TxnFixtures.BASE_SCHEMA))
        .build();
    ConflictDecision d = check(IsolationLevel.READ_COMMITTED, alter, false, winner(5, add("new")));
    assertTrue(assertInstanceOf(ConflictDecision.Conflict.class, d).reason().contains("schema"));
  }

  @Test
  void sameApplicationTransactionOrDomainConflicts() {
    TableActions stream = new TableActionsBuilder(T, 4).addFile(add("mine"))
        .withAppTransaction(new SetTransaction("app", 7, Optional.empty()))
        .withDomainMetadata(new DomainMetadata("d", "{}", false)).build();
    ConflictDecision app = check(IsolationLevel.READ_COMMITTED, stream, false,
        winner(5, new SetTransaction("app", 8, Optional.empty())));
    assertTrue(assertInstanceOf(ConflictDecision.Conflict.class, app).reason().contains("application 'app'"));
    ConflictDecision domain = check(IsolationLevel.READ_COMMITTED, stream, false,
        winner(5, new DomainMetadata("d", "{\"x\":1}", false)));
    assertTrue(assertInstanceOf(ConflictDecision.Conflict.class, domain).reason().contains("domain 'd'"));
    assertEquals(new ConflictDecision.Rebase(T, 5), check(IsolationLevel.READ_COMMITTED, stream, false,
        winner(5, new SetTransaction("other-app", 1, Optional.empty()), new DomainMetadata("e", "{}", false))));
  }

  @Test
  void theSameFileAddedByBothConflicts() {
    ConflictDecision d = check(IsolationLevel.READ_COMMITTED, append("same"), false, winner(5, add("same")));
    assertTrue(assertInstanceOf(ConflictDecision.Conflict.class, d).reason().contains("adds too"));
  }
}
