package io.deltasql.core.txn.lock;

import static io.deltasql.core.txn.lock.LockMode.EXCLUSIVE;
import static io.deltasql.core.txn.lock.LockMode.SHARED;
import static io.deltasql.core.txn.lock.LockTesting.awaitWaiting;
import static io.deltasql.core.txn.lock.LockTesting.failure;
import static io.deltasql.core.txn.lock.LockTesting.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlockDetectionTest {
  private static final Duration NO_WAIT = Duration.ZERO;

  private final BlockingQueue<Deadlock<String>> deadlocks = new LinkedBlockingQueue<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LockManager<String> locks = LockManager.<String>builder()
      .meterRegistry(registry)
      .deadlockListener(deadlocks::add)
      .build();
  private final List<TxnThread> txns = new ArrayList<>();

  @AfterEach
  void stopThreads() throws InterruptedException {
    for (TxnThread txn : txns) {
      txn.close();
    }
  }

  private TxnThread txn(int priority) {
    TxnThread txn = new TxnThread(locks, LockOwner.start(priority));
    txns.add(txn);
    return txn;
  }

  /** Both transactions ask at the same instant for the table the other holds. */
  private List<CompletableFuture<Boolean>> crossRequests(TxnThread first, TxnThread second) {
    locks.acquire(first.owner(), "a", EXCLUSIVE, NO_WAIT);
    locks.acquire(second.owner(), "b", EXCLUSIVE, NO_WAIT);
    CyclicBarrier start = new CyclicBarrier(2);
    return List.of(
        first.call(() -> awaitThen(start, () -> locks.acquire(first.owner(), "b", EXCLUSIVE, TxnThread.PATIENT))),
        second.call(() -> awaitThen(start, () -> locks.acquire(second.owner(), "a", EXCLUSIVE, TxnThread.PATIENT))));
  }

  private static <T> T awaitThen(CyclicBarrier barrier, Supplier<T> action) {
    try {
      barrier.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the other transaction never came", e);
    }
    return action.get();
  }

  /** The next deadlock reported to the listener (which runs on the thread that found it). */
  private Deadlock<String> nextDeadlock() throws InterruptedException {
    Deadlock<String> deadlock = deadlocks.poll(20, TimeUnit.SECONDS);
    assertNotNull(deadlock, "no deadlock reported");
    return deadlock;
  }

  /** Deadlocks broken so far: counted under the lock manager's mutex, so exact at any time. */
  private long deadlockCount() {
    return (long) registry.get(LockMetrics.DEADLOCKS).counter().count();
  }

  private static boolean failedWithDeadlock(CompletableFuture<Boolean> call) throws Exception {
    try {
      call.get(20, TimeUnit.SECONDS);
      return false;
    } catch (ExecutionException e) {
      return e.getCause() instanceof DeltaException d && d.state() == SqlState.DEADLOCK_DETECTED;
    }
  }

  @Test
  void oppositeOrderFailsExactlyTheLowerPriorityTransaction() throws Exception {
    TxnThread low = txn(1);
    TxnThread high = txn(5);
    List<CompletableFuture<Boolean>> calls = crossRequests(low, high);
    CompletableFuture<Boolean> lowCall = calls.get(0);
    CompletableFuture<Boolean> highCall = calls.get(1);

    DeltaException e = failure(lowCall, SqlState.DEADLOCK_DETECTED);
    assertFalse(highCall.isDone(), "the survivor waits for the victim to roll back");
    String message = e.getMessage();
    assertTrue(message.startsWith("Deadlock detected: "), message);
    assertTrue(message.contains(low.owner().transactionId().toString()), message);
    assertTrue(message.contains(high.owner().transactionId().toString()), message);
    assertTrue(message.contains("waits for EXCLUSIVE on table a"), message);
    assertTrue(message.contains("waits for EXCLUSIVE on table b"), message);
    assertTrue(message.contains("Victim: transaction " + low.owner().transactionId()
        + " (priority 1), the lowest priority of the cycle"), message);
    assertTrue(e.isRetryable());

    assertEquals(Map.of("a", EXCLUSIVE), locks.locksHeldBy(low.owner()), "the victim keeps its locks");
    locks.releaseAll(low.owner());
    assertTrue(outcome(highCall));
    assertEquals(Map.of("a", EXCLUSIVE, "b", EXCLUSIVE), locks.locksHeldBy(high.owner()));
    assertEquals(low.owner(), nextDeadlock().victim());
    assertEquals(1, deadlockCount());
  }

  @Test
  void withEqualPrioritiesTheYoungerRequesterIsTheVictim() throws Exception {
    TxnThread older = txn(3);
    TxnThread younger = txn(3);
    locks.acquire(older.owner(), "a", EXCLUSIVE, NO_WAIT);
    locks.acquire(younger.owner(), "b", EXCLUSIVE, NO_WAIT);
    CompletableFuture<Boolean> olderWait = older.acquire("b", EXCLUSIVE);
    awaitWaiting(locks, older.owner(), "b");

    DeltaException e = failure(younger.acquire("a", EXCLUSIVE), SqlState.DEADLOCK_DETECTED);
    assertTrue(e.getMessage().contains("Victim: transaction " + younger.owner().transactionId()
        + " (priority 3), the youngest of the lowest priority 3"), e.getMessage());
    locks.releaseAll(younger.owner());
    assertTrue(outcome(olderWait));
  }

  @Test
  void withEqualPrioritiesTheYoungerWaiterIsTheVictim() throws Exception {
    TxnThread older = txn(3);
    TxnThread younger = txn(3);
    locks.acquire(older.owner(), "a", EXCLUSIVE, NO_WAIT);
    locks.acquire(younger.owner(), "b", EXCLUSIVE, NO_WAIT);
    CompletableFuture<Boolean> youngerWait = younger.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, younger.owner(), "a");

    CompletableFuture<Boolean> olderWait = older.acquire("b", EXCLUSIVE);
    failure(youngerWait, SqlState.DEADLOCK_DETECTED);
    locks.releaseAll(younger.owner());
    assertTrue(outcome(olderWait));
  }

  @Test
  void concurrentCrossRequestsWithEqualPrioritiesFailTheYounger() throws Exception {
    TxnThread older = txn(0);
    TxnThread younger = txn(0);
    List<CompletableFuture<Boolean>> calls = crossRequests(older, younger);
    assertTrue(failedWithDeadlock(calls.get(1)));
    locks.releaseAll(younger.owner());
    assertTrue(outcome(calls.get(0)));
  }

  @Test
  void victimAlreadyWaitingIsWokenAndFailedWhileTheRequesterWaitsOn() throws Exception {
    TxnThread low = txn(0);
    TxnThread high = txn(9);
    locks.acquire(low.owner(), "a", EXCLUSIVE, NO_WAIT);
    locks.acquire(high.owner(), "b", EXCLUSIVE, NO_WAIT);
    CompletableFuture<Boolean> lowWait = low.acquire("b", SHARED);
    awaitWaiting(locks, low.owner(), "b");

    CompletableFuture<Boolean> highWait = high.acquire("a", SHARED);
    DeltaException e = failure(lowWait, SqlState.DEADLOCK_DETECTED);
    assertTrue(e.getMessage().contains("Victim: transaction " + low.owner().transactionId()),
        e.getMessage());
    awaitWaiting(locks, high.owner(), "a");
    assertFalse(highWait.isDone());

    locks.releaseAll(low.owner());
    assertTrue(outcome(highWait), "the survivor acquires once the victim rolled back");
    assertEquals(2, locks.releaseAll(high.owner()), "and completes");
    assertEquals(List.of(), locks.snapshot());
  }

  @Test
  void requesterWithTheLowestPriorityFailsAtOnce() throws Exception {
    TxnThread low = txn(0);
    TxnThread high = txn(9);
    locks.acquire(low.owner(), "a", EXCLUSIVE, NO_WAIT);
    locks.acquire(high.owner(), "b", EXCLUSIVE, NO_WAIT);
    CompletableFuture<Boolean> highWait = high.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, high.owner(), "a");

    failure(low.acquire("b", EXCLUSIVE), SqlState.DEADLOCK_DETECTED);
    assertFalse(highWait.isDone());
    locks.releaseAll(low.owner());
    assertTrue(outcome(highWait));
  }

  @Test
  void threeTransactionCycleFailsItsLowestPriorityMember() throws Exception {
    TxnThread t1 = txn(3);
    TxnThread t2 = txn(1);
    TxnThread t3 = txn(2);
    locks.acquire(t1.owner(), "a", EXCLUSIVE, NO_WAIT);
    locks.acquire(t2.owner(), "b", EXCLUSIVE, NO_WAIT);
    locks.acquire(t3.owner(), "c", EXCLUSIVE, NO_WAIT);
    CompletableFuture<Boolean> wait1 = t1.acquire("b", EXCLUSIVE);
    awaitWaiting(locks, t1.owner(), "b");
    CompletableFuture<Boolean> wait2 = t2.acquire("c", EXCLUSIVE);
    awaitWaiting(locks, t2.owner(), "c");
    CompletableFuture<Boolean> wait3 = t3.acquire("a", EXCLUSIVE);

    DeltaException e = failure(wait2, SqlState.DEADLOCK_DETECTED);
    for (TxnThread txn : List.of(t1, t2, t3)) {
      assertTrue(e.getMessage().contains("transaction " + txn.owner().transactionId()), e.getMessage());
    }
    for (String table : List.of("a", "b", "c")) {
      assertTrue(e.getMessage().contains("on table " + table), e.getMessage());
    }
    Deadlock<String> deadlock = nextDeadlock();
    assertEquals(t2.owner(), deadlock.victim());
    assertEquals(List.of(t3.owner(), t1.owner(), t2.owner()), deadlock.transactions(),
        "the cycle starts at the transaction whose wait closed it");
    assertEquals(List.of("a", "b", "c"), deadlock.resources());

    locks.releaseAll(t2.owner());
    assertTrue(outcome(wait1));
    locks.releaseAll(t1.owner());
    assertTrue(outcome(wait3));
    assertEquals(1, deadlockCount());
  }

  @Test
  void twoSharersUpgradingDeadlock() throws Exception {
    TxnThread t1 = txn(1);
    TxnThread t2 = txn(2);
    locks.acquire(t1.owner(), "a", SHARED, NO_WAIT);
    locks.acquire(t2.owner(), "a", SHARED, NO_WAIT);
    CompletableFuture<Boolean> upgrade1 = t1.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, t1.owner(), "a");
    CompletableFuture<Boolean> upgrade2 = t2.acquire("a", EXCLUSIVE);

    DeltaException e = failure(upgrade1, SqlState.DEADLOCK_DETECTED);
    assertTrue(e.getMessage().contains("waits for EXCLUSIVE on table a, held by transaction "
        + t2.owner().transactionId() + " (priority 2) in SHARED"), e.getMessage());
    assertTrue(e.getMessage().contains("waits for EXCLUSIVE on table a, held by transaction "
        + t1.owner().transactionId() + " (priority 1) in SHARED"), e.getMessage());
    assertEquals(Map.of("a", SHARED), locks.locksHeldBy(t1.owner()));
    locks.releaseAll(t1.owner());
    assertTrue(outcome(upgrade2));
    assertEquals(Map.of("a", EXCLUSIVE), locks.locksHeldBy(t2.owner()));
  }

  @Test
  void cycleThroughTheQueueOrderIsADeadlockToo() throws Exception {
    TxnThread reader = txn(5);
    TxnThread writer = txn(1);
    TxnThread other = txn(5);
    locks.acquire(reader.owner(), "a", SHARED, NO_WAIT);
    locks.acquire(other.owner(), "b", EXCLUSIVE, NO_WAIT);
    CompletableFuture<Boolean> write = writer.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, writer.owner(), "a");
    CompletableFuture<Boolean> otherRead = other.acquire("a", SHARED);
    awaitWaiting(locks, other.owner(), "a");

    CompletableFuture<Boolean> readerWait = reader.acquire("b", SHARED);
    DeltaException e = failure(write, SqlState.DEADLOCK_DETECTED);
    assertTrue(e.getMessage().contains("waits for SHARED on table a, queued behind transaction "
        + writer.owner().transactionId() + " (priority 1) asking for EXCLUSIVE"), e.getMessage());
    assertTrue(outcome(otherRead), "with the writer gone, the reader behind it shares the table");
    locks.releaseAll(other.owner());
    assertTrue(outcome(readerWait));
  }

  @Test
  void waitsWithoutACycleAreNotDeadlocks() throws Exception {
    TxnThread t1 = txn(0);
    TxnThread t2 = txn(0);
    TxnThread t3 = txn(0);
    locks.acquire(t1.owner(), "a", EXCLUSIVE, NO_WAIT);
    locks.acquire(t2.owner(), "b", EXCLUSIVE, NO_WAIT);
    CompletableFuture<Boolean> wait2 = t2.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, t2.owner(), "a");
    CompletableFuture<Boolean> wait3 = t3.acquire("b", SHARED);
    awaitWaiting(locks, t3.owner(), "b");
    assertTrue(outcome(t1.acquire("c", SHARED)), "t1 waits for nobody");

    locks.releaseAll(t1.owner());
    assertTrue(outcome(wait2));
    locks.releaseAll(t2.owner());
    assertTrue(outcome(wait3));
    assertEquals(0, deadlockCount());
  }

  @Test
  void listenerSeesTheCycleAndTheLockTableOfTheInstant() throws Exception {
    TxnThread t1 = txn(0);
    TxnThread t2 = txn(1);
    locks.acquire(t1.owner(), "a", EXCLUSIVE, NO_WAIT);
    locks.acquire(t2.owner(), "b", SHARED, NO_WAIT);
    CompletableFuture<Boolean> wait1 = t1.acquire("b", EXCLUSIVE);
    awaitWaiting(locks, t1.owner(), "b");
    t2.acquire("a", SHARED);

    Deadlock<String> deadlock = nextDeadlock();
    failure(wait1, SqlState.DEADLOCK_DETECTED);
    assertEquals(t1.owner(), deadlock.victim());
    assertEquals(List.of(
        new WaitEdge<>(t2.owner(), "a", SHARED, t1.owner(), EXCLUSIVE, LockStatus.GRANTED),
        new WaitEdge<>(t1.owner(), "b", EXCLUSIVE, t2.owner(), SHARED, LockStatus.GRANTED)),
        deadlock.cycle());
    assertEquals(4, deadlock.lockTable().size());
    assertTrue(deadlock.lockTable().stream().anyMatch(row -> row.owner().equals(t1.owner())
        && row.resource().equals("b") && row.status() == LockStatus.WAITING));
  }
}
