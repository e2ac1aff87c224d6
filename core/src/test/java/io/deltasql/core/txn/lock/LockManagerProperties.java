package io.deltasql.core.txn.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random transactions, each asking for random locks in random order, run concurrently:
 * every run ends, the lock modes hold at every moment, and every deadlock victim was on
 * a cycle that the lock table of that instant really shows.
 */
class LockManagerProperties {
  /** Far beyond any legitimate wait here: a timeout means a deadlock went unnoticed. */
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);
  private static final long RUN_BOUND_SECONDS = 30;

  /** One lock request of a transaction. */
  record Step(int table, LockMode mode) {}

  /** A transaction: its priority and its lock requests, in order. */
  record Plan(int priority, List<Step> steps) {}

  /** How a transaction ended. */
  enum Ending { COMMITTED, DEADLOCK_VICTIM }

  @Provide
  Arbitrary<List<Plan>> plans() {
    Arbitrary<Step> step = Combinators.combine(
        Arbitraries.integers().between(0, 3), Arbitraries.of(LockMode.class)).as(Step::new);
    Arbitrary<Plan> plan = Combinators.combine(
        Arbitraries.integers().between(0, 2), step.list().ofMinSize(1).ofMaxSize(4)).as(Plan::new);
    return plan.list().ofMinSize(2).ofMaxSize(5);
  }

  @Property(tries = 200)
  void concurrentTransactionsEndKeepLockModesAndFailOnlyRealCycles(
      @ForAll("plans") List<Plan> plans) throws Exception {
    BlockingQueue<Deadlock<Integer>> deadlocks = new LinkedBlockingQueue<>();
    LockManager<Integer> locks = LockManager.<Integer>builder()
        .deadlockListener(deadlocks::add).build();
    ExclusionProbe<Integer> probe = new ExclusionProbe<>();
    List<String> badSnapshots = new ArrayList<>();
    List<LockOwner> owners = plans.stream().map(plan -> LockOwner.start(plan.priority())).toList();

    CyclicBarrier start = new CyclicBarrier(plans.size());
    ExecutorService pool = Executors.newFixedThreadPool(plans.size());
    List<Ending> endings = new ArrayList<>();
    try {
      List<Future<Ending>> runs = new ArrayList<>();
      for (int i = 0; i < plans.size(); i++) {
        LockOwner owner = owners.get(i);
        Plan plan = plans.get(i);
        runs.add(pool.submit(() -> {
          start.await();
          return run(locks, owner, plan, probe, badSnapshots);
        }));
      }
      for (Future<Ending> run : runs) {
        try {
          endings.add(run.get(RUN_BOUND_SECONDS, TimeUnit.SECONDS));
        } catch (TimeoutException hang) {
          fail("a transaction hung: " + locks.snapshot());
        }
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(List.of(), probe.violations());
    assertEquals(List.of(), badSnapshots);
    assertEquals(List.of(), locks.snapshot(), "every lock released");
    List<LockOwner> victims = new ArrayList<>();
    for (int i = 0; i < owners.size(); i++) {
      if (endings.get(i) == Ending.DEADLOCK_VICTIM) {
        victims.add(owners.get(i));
      }
    }
    List<Deadlock<Integer>> reported = new ArrayList<>();
    deadlocks.drainTo(reported);
    assertEquals(victims.stream().sorted(LockOwner.VICTIM_ORDER).toList(),
        reported.stream().map(Deadlock::victim).sorted(LockOwner.VICTIM_ORDER).toList(),
        "each victim failed once, for a reported deadlock");
    reported.forEach(LockManagerProperties::assertRealCycle);
  }

  private static Ending run(LockManager<Integer> locks, LockOwner owner, Plan plan,
      ExclusionProbe<Integer> probe, List<String> badSnapshots) {
    Map<Integer, LockMode> held = new HashMap<>();
    try {
      for (Step step : plan.steps()) {
        locks.acquire(owner, step.table(), step.mode(), LOCK_TIMEOUT);
        LockMode before = held.get(step.table());
        if (before == null || !before.covers(step.mode())) {
          if (before != null) {
            probe.leave(step.table(), before);
          }
          probe.enter(step.table(), step.mode());
          held.put(step.table(), step.mode());
        }
        conflictingGrants(locks.snapshot()).ifPresent(badSnapshots::add);
        Thread.yield();
      }
      return Ending.COMMITTED;
    } catch (DeltaException e) {
      if (e.state() == SqlState.DEADLOCK_DETECTED) {
        return Ending.DEADLOCK_VICTIM;
      }
      throw e;
    } finally {
      held.forEach(probe::leave);
      locks.releaseAll(owner);
    }
  }

  /** A description of two incompatible locks granted on one table, if the snapshot shows any. */
  private static Optional<String> conflictingGrants(List<LockInfo<Integer>> rows) {
    for (LockInfo<Integer> a : rows) {
      for (LockInfo<Integer> b : rows) {
        if (a != b && a.isGranted() && b.isGranted() && a.resource().equals(b.resource())
            && !a.owner().equals(b.owner()) && !a.mode().isCompatibleWith(b.mode())) {
          return Optional.of(a + " and " + b);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a reported deadlock against the lock table of its instant alone: the edges form
   * a closed cycle, each edge is a real wait there, and the victim is the cycle's lowest
   * priority, then youngest, transaction.
   */
  private static void assertRealCycle(Deadlock<Integer> deadlock) {
    List<WaitEdge<Integer>> cycle = deadlock.cycle();
    for (int i = 0; i < cycle.size(); i++) {
      assertEquals(cycle.get(i).blocker(), cycle.get((i + 1) % cycle.size()).waiter(),
          "not a closed cycle: " + deadlock.describe());
      assertTrue(isRealWait(cycle.get(i), deadlock.lockTable()),
          cycle.get(i).describe() + " is not a wait in " + deadlock.lockTable());
    }
    assertEquals(cycle.size(), deadlock.transactions().stream().distinct().count());
    assertEquals(deadlock.transactions().stream().min(LockOwner.VICTIM_ORDER).orElseThrow(),
        deadlock.victim());
    assertEquals(Optional.empty(), conflictingGrants(deadlock.lockTable()));
  }

  /**
   * Whether the lock table shows the waiter queued for the table in the edge's mode and the
   * blocker either holding it incompatibly or queued ahead of the waiter incompatibly.
   */
  private static boolean isRealWait(WaitEdge<Integer> edge, List<LockInfo<Integer>> table) {
    List<LockInfo<Integer>> rows = table.stream()
        .filter(row -> row.resource().equals(edge.resource())).toList();
    int waiterRow = -1;
    for (int i = 0; i < rows.size(); i++) {
      LockInfo<Integer> row = rows.get(i);
      if (row.owner().equals(edge.waiter()) && !row.isGranted() && row.mode() == edge.requested()) {
        waiterRow = i;
      }
    }
    if (waiterRow < 0) {
      return false;
    }
    for (int i = 0; i < rows.size(); i++) {
      LockInfo<Integer> row = rows.get(i);
      boolean blocks = row.owner().equals(edge.blocker()) && !row.owner().equals(edge.waiter())
          && !row.mode().isCompatibleWith(edge.requested())
          && (row.isGranted() || i < waiterRow);
      if (blocks) {
        return true;
      }
    }
    return false;
  }
}
