package io.deltasql.core.txn.lock;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A cycle of waits found in the wait-for graph and the transaction failed to break it.
 *
 * @param victim the transaction whose wait failed with {@code 40P01}: the lowest priority
 *     of the cycle, then the youngest ({@link LockOwner#VICTIM_ORDER})
 * @param cycle the waits in cycle order: each edge's blocker is the next edge's waiter,
 *     and the last edge's blocker is the first edge's waiter
 * @param lockTable every lock held or waited for when the cycle was found, as {@link
 *     LockManager#snapshot()} would have shown it
 * @param detectedAt when the cycle was found
 * @param <R> the type of table ids
 */
public record Deadlock<R>(LockOwner victim, List<WaitEdge<R>> cycle, List<LockInfo<R>> lockTable,
    Instant detectedAt) {
  public Deadlock {
    Objects.requireNonNull(victim, "victim");
    cycle = List.copyOf(cycle);
    lockTable = List.copyOf(lockTable);
    Objects.requireNonNull(detectedAt, "detectedAt");
    if (cycle.isEmpty()) {
      throw new IllegalArgumentException("a deadlock needs at least one wait");
    }
  }

  /** The transactions of the cycle, in cycle order. */
  public List<LockOwner> transactions() {
    return cycle.stream().map(WaitEdge::waiter).toList();
  }

  /** The tables waited for, in cycle order (one per transaction of the cycle). */
  public List<R> resources() {
    return cycle.stream().map(WaitEdge::resource).toList();
  }

  /** The cycle in words: each wait, then which transaction was chosen and why. */
  public String describe() {
    String waits = cycle.stream().map(WaitEdge::describe).collect(Collectors.joining("; "));
    return "Deadlock detected: " + waits + ". Victim: " + victim.describe() + ", "
        + whyVictim();
  }

  private String whyVictim() {
    boolean priorityTie = transactions().stream()
        .anyMatch(other -> !other.equals(victim) && other.priority() == victim.priority());
    return priorityTie
        ? "the youngest of the lowest priority " + victim.priority()
        : "the lowest priority of the cycle";
  }
}
