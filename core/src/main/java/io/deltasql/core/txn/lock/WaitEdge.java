package io.deltasql.core.txn.lock;

import java.util.Objects;

/**
 * One edge of the wait-for graph: {@code waiter} asks for {@code requested} on {@code
 * resource} and cannot have it before {@code blocker} lets go, because the blocker holds
 * an incompatible lock there ({@link LockStatus#GRANTED}) or asked for one earlier
 * ({@link LockStatus#WAITING}, first come first served).
 *
 * @param waiter the blocked transaction
 * @param resource the table it waits for
 * @param requested the mode it asked for
 * @param blocker the transaction it waits for
 * @param blockerMode the mode the blocker holds or asked for on the same table
 * @param blockerStatus whether the blocker holds that mode or is queued ahead for it
 * @param <R> the type of table ids
 */
public record WaitEdge<R>(
    LockOwner waiter,
    R resource,
    LockMode requested,
    LockOwner blocker,
    LockMode blockerMode,
    LockStatus blockerStatus) {
  public WaitEdge {
    Objects.requireNonNull(waiter, "waiter");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(blocker, "blocker");
    Objects.requireNonNull(blockerMode, "blockerMode");
    Objects.requireNonNull(blockerStatus, "blockerStatus");
  }

  /** This edge in words, for messages and logs. */
  public String describe() {
    String why = blockerStatus == LockStatus.GRANTED
        ? "held by " + blocker.describe() + " in " + blockerMode
        : "queued behind " + blocker.describe() + " asking for " + blockerMode;
    return waiter.describe() + " waits for " + requested + " on table " + resource + ", " + why;
  }
}
