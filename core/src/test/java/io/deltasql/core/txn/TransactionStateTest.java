package io.deltasql.core.txn;

import static io.deltasql.core.txn.TransactionState.ACTIVE;
import static io.deltasql.core.txn.TransactionState.COMMITTED;
import static io.deltasql.core.txn.TransactionState.COMMITTING;
import static io.deltasql.core.txn.TransactionState.FAILED;
import static io.deltasql.core.txn.TransactionState.ROLLED_BACK;
import static io.deltasql.core.txn.TransactionState.ROLLING_BACK;
import static io.deltasql.core.txn.TxnFixtures.add;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TransactionStateTest {
  /** The legal transitions, written out independently of the implementation. */
  private static final Map<TransactionState, Set<TransactionState>> LEGAL = Map.of(
      ACTIVE, EnumSet.of(COMMITTING, ROLLING_BACK, FAILED),
      COMMITTING, EnumSet.of(COMMITTED, ROLLING_BACK),
      ROLLING_BACK, EnumSet.of(ROLLED_BACK),
      FAILED, EnumSet.of(ROLLING_BACK),
      COMMITTED, EnumSet.noneOf(TransactionState.class),
      ROLLED_BACK, EnumSet.noneOf(TransactionState.class));

  static Stream<Arguments> allPairs() {
    return Stream.of(TransactionState.values())
        .flatMap(from -> Stream.of(TransactionState.values()).map(to -> Arguments.of(from, to)));
  }

  /** A transaction brought to {@code state} through legal transitions. */
  static MultiTableTransaction inState(TransactionState state) {
    MultiTableTransaction tx = TxnFixtures.txn();
    List<TransactionState> path = switch (state) {
      case ACTIVE -> List.of();
      case COMMITTING -> List.of(COMMITTING);
      case COMMITTED -> List.of(COMMITTING, COMMITTED);
      case ROLLING_BACK -> List.of(ROLLING_BACK);
      case ROLLED_BACK -> List.of(ROLLING_BACK, ROLLED_BACK);
      case FAILED -> List.of(FAILED);
    };
    path.forEach(tx::transitionTo);
    assertEquals(state, tx.state());
    return tx;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("allPairs")
  void everyTransitionIsLegalExactlyWhenTheSeedSaysSo(TransactionState from, TransactionState to) {
    boolean legal = LEGAL.get(from).contains(to);
    assertEquals(legal, from.canTransitionTo(to));
    MultiTableTransaction tx = inState(from);
    if (legal) {
      tx.transitionTo(to);
      assertEquals(to, tx.state());
    } else {
      DeltaException e = assertThrows(DeltaException.class, () -> tx.transitionTo(to));
      assertEquals(SqlState.INVALID_TRANSACTION_STATE, e.state());
      assertTrue(e.getMessage().contains(tx.id().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("from " + from + " to " + to), e.getMessage());
      assertEquals(from, tx.state(), "a refused transition changes nothing");
    }
  }

  @Test
  void namedTransitionsFollowTheSeed() {
    MultiTableTransaction committed = TxnFixtures.txn();
    committed.beginCommit();
    committed.markCommitted();
    assertEquals(COMMITTED, committed.state());

    MultiTableTransaction rolledBack = TxnFixtures.txn();
    rolledBack.beginRollback();
    rolledBack.markRolledBack();
    assertEquals(ROLLED_BACK, rolledBack.state());

    MultiTableTransaction commitFailed = TxnFixtures.txn();
    commitFailed.beginCommit();
    commitFailed.beginRollback();
    commitFailed.markRolledBack();
    assertEquals(ROLLED_BACK, commitFailed.state());
  }

  @Test
  void terminalStatesHaveNoSuccessors() {
    for (TransactionState s : TransactionState.values()) {
      assertEquals(s == COMMITTED || s == ROLLED_BACK, s.isTerminal());
      assertEquals(s.isTerminal(), s.successors().isEmpty());
    }
    assertFalse(ACTIVE.canTransitionTo(null));
  }

  @ParameterizedTest
  @EnumSource(value = TransactionState.class, names = "ACTIVE", mode = EnumSource.Mode.EXCLUDE)
  void onlyAnActiveTransactionStagesAndReads(TransactionState state) {
    MultiTableTransaction tx = inState(state);
    DeltaException staging = assertThrows(DeltaException.class, () -> tx.addFiles("t", 0, List.of(add("a"))));
    assertEquals(SqlState.INVALID_TRANSACTION_STATE, staging.state());
    assertTrue(staging.getMessage().contains(state.toString()) || state == FAILED, staging.getMessage());
    DeltaException read = assertThrows(DeltaException.class, () -> tx.recordRead("t", 0));
    assertEquals(SqlState.INVALID_TRANSACTION_STATE, read.state());
  }

  @Test
  void aFailedTransactionNamesItsCauseAndAsksForRollback() {
    MultiTableTransaction tx = TxnFixtures.txn();
    DeltaException deadlock = new DeltaException(SqlState.DEADLOCK_DETECTED, "chosen as deadlock victim");
    tx.markFailed(deadlock);
    assertEquals(FAILED, tx.state());
    assertEquals(deadlock, tx.failure().orElseThrow());
    DeltaException e = assertThrows(DeltaException.class, () -> tx.addFiles("t", 0, List.of(add("a"))));
    assertTrue(e.getMessage().contains("deadlock victim"), e.getMessage());
    assertTrue(e.getMessage().contains("ROLLBACK"), e.getMessage());
    assertEquals(deadlock, e.getCause());
    tx.beginRollback();
    tx.markRolledBack();
    assertEquals(ROLLED_BACK, tx.state());
  }

  @Test
  void markFailedIsOnlyLegalWhileActive() {
    MultiTableTransaction tx = inState(COMMITTING);
    DeltaException e = assertThrows(DeltaException.class,
        () -> tx.markFailed(new DeltaException(SqlState.LOCK_NOT_AVAILABLE, "timeout")));
    assertEquals(SqlState.INVALID_TRANSACTION_STATE, e.state());
    assertTrue(tx.failure().isEmpty());
  }

  @Test
  void endingATransactionDropsWhatItStaged() {
    MultiTableTransaction tx = TxnFixtures.txn();
    tx.addFiles("t", 0, List.of(add("a")));
    tx.recordRead("u", 3);
    tx.beginRollback();
    assertEquals(1, tx.stagedTables().size(), "rollback still sees what it must clean up");
    tx.markRolledBack();
    assertTrue(tx.stagedActions().isEmpty());
    assertTrue(tx.readVersions().isEmpty());
    assertEquals(0, tx.actionCount());
  }

  @Test
  void nullStateIsRefusedAsAnInvalidParameter() {
    DeltaException e = assertThrows(DeltaException.class, () -> TxnFixtures.txn().transitionTo(null));
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
  }
}
