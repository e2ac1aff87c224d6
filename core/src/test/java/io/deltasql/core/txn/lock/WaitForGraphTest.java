package io.deltasql.core.txn.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WaitForGraphTest {
  private final WaitForGraph<String> graph = new WaitForGraph<>();
  private final LockOwner t1 = LockOwner.start(0);
  private final LockOwner t2 = LockOwner.start(0);
  private final LockOwner t3 = LockOwner.start(0);
  private final LockOwner t4 = LockOwner.start(0);

  private static WaitEdge<String> edge(LockOwner waiter, String table, LockOwner blocker) {
    return new WaitEdge<>(waiter, table, LockMode.EXCLUSIVE, blocker, LockMode.EXCLUSIVE,
        LockStatus.GRANTED);
  }

  @Test
  void chainHasNoCycle() {
    graph.update(t1, List.of(edge(t1, "b", t2)));
    graph.update(t2, List.of(edge(t2, "c", t3)));
    assertEquals(Optional.empty(), graph.findCycle(t1));
    assertEquals(Optional.empty(), graph.findCycle(t3));
  }

  @Test
  void findsTheCycleThroughTheStartInOrder() {
    graph.update(t1, List.of(edge(t1, "b", t2)));
    graph.update(t2, List.of(edge(t2, "x", t4), edge(t2, "c", t3)));
    graph.update(t3, List.of(edge(t3, "a", t1)));
    assertEquals(Optional.of(List.of(edge(t1, "b", t2), edge(t2, "c", t3), edge(t3, "a", t1))),
        graph.findCycle(t1));
    assertEquals(Optional.of(List.of(edge(t3, "a", t1), edge(t1, "b", t2), edge(t2, "c", t3))),
        graph.findCycle(t3));
  }

  @Test
  void ignoresCyclesThatDoNotPassThroughTheStart() {
    graph.update(t2, List.of(edge(t2, "c", t3)));
    graph.update(t3, List.of(edge(t3, "b", t2)));
    graph.update(t1, List.of(edge(t1, "b", t2)));
    assertEquals(Optional.empty(), graph.findCycle(t1));
  }

  @Test
  void reportsOnlyNewBlockersAsGained() {
    assertTrue(graph.update(t1, List.of(edge(t1, "a", t2))));
    assertFalse(graph.update(t1, List.of(edge(t1, "a", t2))));
    assertFalse(graph.update(t1, List.of()), "losing a blocker cannot close a cycle");
    assertTrue(graph.update(t1, List.of(edge(t1, "a", t2), edge(t1, "a", t3))));
  }

  @Test
  void removedWaiterBreaksTheCycle() {
    graph.update(t1, List.of(edge(t1, "b", t2)));
    graph.update(t2, List.of(edge(t2, "a", t1)));
    graph.remove(t2);
    assertEquals(Optional.empty(), graph.findCycle(t1));
    assertEquals(List.of(), graph.edgesOf(t2));
  }
}
