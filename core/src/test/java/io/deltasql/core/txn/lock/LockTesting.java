package io.deltasql.core.txn.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Waits on the lock manager's own observable state, and unwraps outcomes of {@link TxnThread}. */
final class LockTesting {
  private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(20);

  private LockTesting() {}

  /** Returns once {@code owner} waits for a lock on {@code table}, as {@code sys.locks} shows. */
  static void awaitWaiting(LockManager<?> locks, LockOwner owner, Object table) {
    long start = System.nanoTime();
    while (locks.snapshot().stream().noneMatch(row -> row.owner().equals(owner)
        && row.resource().equals(table) && row.status() == LockStatus.WAITING)) {
      if (System.nanoTime() - start > BOUND_NANOS) {
        fail(owner + " never waited for " + table + ": " + locks.snapshot());
      }
      LockSupport.parkNanos(100_000);
    }
  }

  /** The value of a call that must succeed. */
  static <T> T outcome(CompletableFuture<T> call) throws Exception {
    return call.get(20, TimeUnit.SECONDS);
  }

  /** The {@link DeltaException} of a call that must fail with {@code state}. */
  static DeltaException failure(CompletableFuture<?> call, SqlState state) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> call.get(20, TimeUnit.SECONDS));
    DeltaException failure = assertInstanceOf(DeltaException.class, e.getCause());
    assertEquals(state, failure.state(), failure::getMessage);
    return failure;
  }
}
