package io.deltasql.core.txn.lock;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code sys.locks}: a lock that a transaction holds or waits for. A
 * transaction upgrading a shared lock appears twice on the table: {@code SHARED}
 * granted and {@code EXCLUSIVE} waiting.
 *
 * @param resource the locked table
 * @param owner the transaction
 * @param mode the mode held or asked for
 * @param status granted or waiting
 * @param since when the lock was granted in this mode, or when the wait began
 * @param <R> the type of table ids
 */
public record LockInfo<R>(R resource, LockOwner owner, LockMode mode, LockStatus status, Instant since) {
  public LockInfo {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(since, "since");
  }

  /** Whether the owner holds this lock. */
  public boolean isGranted() {
    return status == LockStatus.GRANTED;
  }
}
