package io.deltasql.core.txn;

import static io.deltasql.core.txn.TxnFixtures.add;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of life-cycle calls and statements: the transaction's state always
 * follows the seed's transition graph; an illegal call fails with {@code 25000} and
 * changes nothing; a terminal state is never left.
 */
class StateMachinePropertyTest {
  enum Call { BEGIN_COMMIT, MARK_COMMITTED, BEGIN_ROLLBACK, MARK_ROLLED_BACK, MARK_FAILED, STAGE, READ, VALIDATE }

  /** The state a legal call leads to, or null when the call is illegal in {@code from}; independent of the code. */
  private static TransactionState model(TransactionState from, Call call) {
    return switch (call) {
      case BEGIN_COMMIT -> from == TransactionState.ACTIVE ? TransactionState.COMMITTING : null;
      case MARK_COMMITTED -> from == TransactionState.COMMITTING ? TransactionState.COMMITTED : null;
      case BEGIN_ROLLBACK -> Set.of(TransactionState.ACTIVE, TransactionState.COMMITTING, TransactionState.FAILED)
          .contains(from) ? TransactionState.ROLLING_BACK : null;
      case MARK_ROLLED_BACK -> from == TransactionState.ROLLING_BACK ? TransactionState.ROLLED_BACK : null;
      case MARK_FAILED -> from == TransactionState.ACTIVE ? TransactionState.FAILED : null;
      case STAGE, READ -> from == TransactionState.ACTIVE ? from : null;
      case VALIDATE -> from;
    };
  }

  @Property(tries = 500)
  void theStateMachineNeverReachesAnIllegalState(@ForAll @Size(max = 30) List<Call> calls) {
    MultiTableTransaction tx = TxnFixtures.txn();
    InMemoryCatalog catalog = new InMemoryCatalog().table("t", 0);
    Set<TransactionState> seen = EnumSet.of(TransactionState.ACTIVE);
    int files = 0;
    for (Call call : calls) {
      TransactionState before = tx.state();
      TransactionState expected = model(before, call);
      try {
        switch (call) {
          case BEGIN_COMMIT -> tx.beginCommit();
          case MARK_COMMITTED -> tx.markCommitted();
          case BEGIN_ROLLBACK -> tx.beginRollback();
          case MARK_ROLLED_BACK -> tx.markRolledBack();
          case MARK_FAILED -> tx.markFailed(new DeltaException(SqlState.DEADLOCK_DETECTED, "victim"));
          case STAGE -> tx.addFiles("t", 0, List.of(add("f" + files++)));
          case READ -> tx.recordRead("t", 0);
          case VALIDATE -> tx.validate(catalog);
        }
        assertTrue(expected != null, call + " from " + before + " should have been refused");
        assertEquals(expected, tx.state());
      } catch (DeltaException e) {
        assertEquals(null, expected, call + " from " + before + " should be legal: " + e.getMessage());
        assertEquals(SqlState.INVALID_TRANSACTION_STATE, e.state());
        assertEquals(before, tx.state(), "a refused call changes nothing");
      }
      assertTrue(before == tx.state() || before.canTransitionTo(tx.state()), before + " -> " + tx.state());
      assertTrue(!before.isTerminal() || before == tx.state(), "a terminal state is never left");
      seen.add(tx.state());
    }
    if (tx.state().isTerminal()) {
      assertTrue(tx.stagedActions().isEmpty());
    }
  }
}
