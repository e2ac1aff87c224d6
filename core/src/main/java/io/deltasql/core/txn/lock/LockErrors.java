package io.deltasql.core.txn.lock;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Every exception of the lock manager, each saying what failed, why, and what to do. */
final class LockErrors {
  private LockErrors() {}

  /** {@code 55P03}: the wait outlasted its timeout. */
  static <R> DeltaException timeout(LockOwner owner, R resource, LockMode mode, Duration waited,
      List<LockInfo<R>> holders, List<LockInfo<R>> queuedAhead) {
    return new DeltaException(SqlState.LOCK_NOT_AVAILABLE,
        "Lock wait timeout: " + owner.describe() + " waited " + waited.toMillis() + " ms for "
            + article(mode) + " lock on table " + resource + " and did not get it. Holders: "
            + list(holders) + ". Queued ahead: " + list(queuedAhead) + ". Locks are held until"
            + " their transaction commits or rolls back: retry, or raise the lock timeout.");
  }

  /** {@code 40P01}: the waiter was chosen to break a deadlock. */
  static DeltaException deadlock(Deadlock<?> deadlock) {
    return new DeltaException(SqlState.DEADLOCK_DETECTED, deadlock.describe()
        + ". Roll back this transaction and retry it; taking tables in one order avoids this.");
  }

  /** {@code 55P03}: the waiting thread was interrupted; its interrupt status is kept. */
  static DeltaException interrupted(LockOwner owner, Object resource, LockMode mode,
      Duration waited, InterruptedException cause) {
    return new DeltaException(SqlState.LOCK_NOT_AVAILABLE,
        "Interrupted after " + waited.toMillis() + " ms while " + owner.describe()
            + " waited for " + article(mode) + " lock on table " + resource
            + ": the lock was not acquired. Roll back the transaction.", cause);
  }

  /** {@code 25000}: the transaction ended (released all its locks) while it was waiting. */
  static DeltaException releasedWhileWaiting(LockOwner owner, Object resource, LockMode mode) {
    return new DeltaException(SqlState.INVALID_TRANSACTION_STATE,
        owner.describe() + " released all its locks (commit or rollback) while it waited for "
            + article(mode) + " lock on table " + resource + ": the lock was not acquired.");
  }

  /** {@code 25000}: one transaction asked for two locks at once from two threads. */
  static DeltaException alreadyWaiting(LockOwner owner, Object resource, LockMode mode) {
    return new DeltaException(SqlState.INVALID_TRANSACTION_STATE,
        owner.describe() + " already waits for " + article(mode) + " lock on table " + resource
            + " in another thread; a transaction asks for one lock at a time.");
  }

  private static String article(LockMode mode) {
    return (mode == LockMode.EXCLUSIVE ? "an " : "a ") + mode;
  }

  private static String list(List<? extends LockInfo<?>> locks) {
    if (locks.isEmpty()) {
      return "none";
    }
    return locks.stream()
        .map(lock -> lock.owner().describe() + " in " + lock.mode())
        .collect(Collectors.joining(", "));
  }
}
