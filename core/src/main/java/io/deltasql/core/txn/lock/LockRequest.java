package io.deltasql.core.txn.lock;

import io.deltasql.core.errors.DeltaException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.function.Supplier;

/**
 * A lock that a transaction waits for: queued on its table until it is granted, times
 * out, or is failed (deadlock victim, transaction ended). Guarded by the lock manager's
 * mutex, like everything it points to; the waiting thread sleeps on {@link #awaitNanos}.
 */
final class LockRequest<R> {
  private enum Outcome { WAITING, GRANTED, FAILED }

  private final LockOwner owner;
  private final R resource;
  private final LockMode mode;
  private final boolean upgrade;
  private final Instant since;
  private final long startNanos;
  private final Condition wakeUp;
  private Outcome outcome = Outcome.WAITING;
  private Supplier<DeltaException> failure;

  LockRequest(LockOwner owner, R resource, LockMode mode, boolean upgrade, Instant since,
      Condition wakeUp) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.resource = Objects.requireNonNull(resource, "resource");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.upgrade = upgrade;
    this.since = Objects.requireNonNull(since, "since");
    this.startNanos = System.nanoTime();
    this.wakeUp = Objects.requireNonNull(wakeUp, "wakeUp");
  }

  LockOwner owner() {
    return owner;
  }

  R resource() {
    return resource;
  }

  LockMode mode() {
    return mode;
  }

  /** Whether the owner already holds a shared lock on the table and asks for exclusive. */
  boolean isUpgrade() {
    return upgrade;
  }

  boolean isWaiting() {
    return outcome == Outcome.WAITING;
  }

  boolean isFailed() {
    return outcome == Outcome.FAILED;
  }

  /** How long the owner has been waiting. */
  Duration waited() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Blocks the waiting thread until signalled, at most {@code nanos}; returns the time left. */
  long awaitNanos(long nanos) throws InterruptedException {
    return wakeUp.awaitNanos(nanos);
  }

  /** Marks the lock granted and wakes the waiting thread. */
  void grant() {
    outcome = Outcome.GRANTED;
    wakeUp.signal();
  }

  /**
   * Fails the wait and wakes the waiting thread, which throws the exception made by
   * {@code reason} (made there, so that its stack trace is the waiter's own).
   */
  void fail(Supplier<DeltaException> reason) {
    outcome = Outcome.FAILED;
    failure = Objects.requireNonNull(reason, "reason");
    wakeUp.signal();
  }

  /** The failure of a failed wait. */
  DeltaException failure() {
    return failure.get();
  }

  LockInfo<R> toInfo() {
    return new LockInfo<>(resource, owner, mode, LockStatus.WAITING, since);
  }
}
