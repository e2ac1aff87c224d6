package io.deltasql.core.txn.lock;

/** Whether a lock of {@code sys.locks} is held or asked for. */
public enum LockStatus {
  /** The owner holds the lock. */
  GRANTED,
  /** The owner is blocked until the lock can be granted, it times out, or it is a deadlock victim. */
  WAITING
}
