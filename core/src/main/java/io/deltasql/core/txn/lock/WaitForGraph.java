package io.deltasql.core.txn.lock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who waits for whom: for each waiting transaction, its {@link WaitEdge edges} to the
 * transactions it cannot proceed before. Updated by the lock manager whenever a table's
 * queue changes, so that a cycle can be looked for the moment an edge that may close one
 * appears. Not thread-safe: guarded by the lock manager's mutex.
 */
final class WaitForGraph<R> {
  private final Map<LockOwner, List<WaitEdge<R>>> edges = new HashMap<>();

  /**
   * Replaces the edges out of {@code waiter}; returns whether it now waits for a
   * transaction it did not wait for before (only then can a new cycle pass through it).
   */
  boolean update(LockOwner waiter, List<WaitEdge<R>> out) {
    List<WaitEdge<R>> before = edges.put(waiter, List.copyOf(out));
    Set<LockOwner> blockersBefore = new HashSet<>();
    if (before != null) {
      before.forEach(edge -> blockersBefore.add(edge.blocker()));
    }
    return out.stream().anyMatch(edge -> !blockersBefore.contains(edge.blocker()));
  }

  /** Forgets the edges out of {@code waiter}: it no longer waits. */
  void remove(LockOwner waiter) {
    edges.remove(waiter);
  }

  /** The edges out of {@code waiter}, empty if it does not wait. */
  List<WaitEdge<R>> edgesOf(LockOwner waiter) {
    return edges.getOrDefault(waiter, List.of());
  }

  /**
   * A cycle through {@code start}, as the edges from {@code start} back to it, found by a
   * depth-first search that visits each transaction at most once; empty if there is none.
   */
  Optional<List<WaitEdge<R>>> findCycle(LockOwner start) {
    Set<LockOwner> visited = new HashSet<>();
    Deque<Iterator<WaitEdge<R>>> frames = new ArrayDeque<>();
    List<WaitEdge<R>> path = new ArrayList<>();
    visited.add(start);
    frames.push(edgesOf(start).iterator());
    while (!frames.isEmpty()) {
      Iterator<WaitEdge<R>> frame = frames.peek();
      if (!frame.hasNext()) {
        frames.pop();
        if (!path.isEmpty()) {
          path.remove(path.size() - 1);
        }
        continue;
      }
      WaitEdge<R> edge = frame.next();
      if (edge.blocker().equals(start)) {
        path.add(edge);
        return Optional.of(List.copyOf(path));
      }
      if (visited.add(edge.blocker())) {
        path.add(edge);
        frames.push(edgesOf(edge.blocker()).iterator());
      }
    }
    return Optional.empty();
  }
}
