package io.deltasql.core.txn;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life cycle of a {@link MultiTableTransaction}. The legal transitions are those of
 * the seed plus the way into and out of {@link #FAILED}:
 *
 * <pre>
 *   ACTIVE ──→ COMMITTING ──→ COMMITTED
 *     │  │          │
 *     │  └─→ FAILED │
 *     │        │    │ (commit failed)
 *     ↓        ↓    ↓
 *   ROLLING_BACK ──→ ROLLED_BACK
 * </pre>
 *
 * <p>{@code FAILED} exists because the party that learns a transaction cannot commit is
 * not always the party that can roll it back: the lock manager picks a deadlock victim,
 * or a lock wait times out, on behalf of a connection that is busy elsewhere. The victim
 * is marked failed (abort-only); its own connection then refuses further statements and
 * commits with {@code 25000} naming the cause, until it runs ROLLBACK, which deletes the
 * data files written for the transaction. Without it, the victim would either stay
 * ACTIVE (and could commit after losing its locks) or be rolled back by a foreign thread.
 */
public enum TransactionState {
  /** Statements may stage actions and record reads. */
  ACTIVE,
  /** Validation and the catalog commit are running; nothing may be staged. */
  COMMITTING,
  /** The catalog commit succeeded. Terminal. */
  COMMITTED,
  /** Staged actions are being discarded and the transaction's data files deleted. */
  ROLLING_BACK,
  /** Rolled back. Terminal. */
  ROLLED_BACK,
  /** Cannot commit any more (deadlock victim, lock timeout); only rollback is allowed. */
  FAILED;

  /** The states this one may move to. */
  public Set<TransactionState> successors() {
    return switch (this) {
      case ACTIVE -> EnumSet.of(COMMITTING, ROLLING_BACK, FAILED);
      case COMMITTING -> EnumSet.of(COMMITTED, ROLLING_BACK);
      case ROLLING_BACK -> EnumSet.of(ROLLED_BACK);
      case FAILED -> EnumSet.of(ROLLING_BACK);
      case COMMITTED, ROLLED_BACK -> EnumSet.noneOf(TransactionState.class);
    };
  }

  /** Whether moving from this state to {@code next} is legal. */
  public boolean canTransitionTo(TransactionState next) {
    return next != null && successors().contains(next);
  }

  /** Whether the transaction has ended (committed or rolled back). */
  public boolean isTerminal() {
    return this == COMMITTED || this == ROLLED_BACK;
  }
}
