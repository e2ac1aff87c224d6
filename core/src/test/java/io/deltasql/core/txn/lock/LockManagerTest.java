package io.deltasql.core.txn.lock;

import static io.deltasql.core.txn.lock.LockMode.EXCLUSIVE;
import static io.deltasql.core.txn.lock.LockMode.SHARED;
import static io.deltasql.core.txn.lock.LockStatus.GRANTED;
import static io.deltasql.core.txn.lock.LockStatus.WAITING;
import static io.deltasql.core.txn.lock.LockTesting.awaitWaiting;
import static io.deltasql.core.txn.lock.LockTesting.failure;
import static io.deltasql.core.txn.lock.LockTesting.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LockManagerTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final Duration NO_WAIT = Duration.ZERO;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LockManager<String> locks = LockManager.<String>builder()
      .meterRegistry(registry)
      .tags(Tags.of("catalog", "test"))
      .clock(Clock.fixed(NOW, ZoneOffset.UTC))
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

  private static LockInfo<String> row(String table, TxnThread txn, LockMode mode, LockStatus status) {
    return new LockInfo<>(table, txn.owner(), mode, status, NOW);
  }

  private double count(String counter) {
    return registry.get(counter).tag("catalog", "test").counter().count();
  }

  @Test
  void sharedLocksAreCompatible() {
    TxnThread t1 = txn(0);
    TxnThread t2 = txn(0);
    assertTrue(locks.acquire(t1.owner(), "a", SHARED, NO_WAIT));
    assertTrue(locks.acquire(t2.owner(), "a", SHARED, NO_WAIT));
    assertEquals(List.of(row("a", t1, SHARED, GRANTED), row("a", t2, SHARED, GRANTED)),
        locks.snapshot());
  }

  @Test
  void exclusiveLockBlocksUntilReleased() throws Exception {
    TxnThread t1 = txn(0);
    TxnThread t2 = txn(0);
    locks.acquire(t1.owner(), "a", EXCLUSIVE, NO_WAIT);
    CompletableFuture<Boolean> read = t2.acquire("a", SHARED);
    awaitWaiting(locks, t2.owner(), "a");
    assertFalse(read.isDone());
    assertEquals(List.of(row("a", t1, EXCLUSIVE, GRANTED), row("a", t2, SHARED, WAITING)),
        locks.snapshot());

    assertEquals(1, locks.releaseAll(t1.owner()));
    assertTrue(outcome(read));
    assertEquals(List.of(row("a", t2, SHARED, GRANTED)), locks.snapshot());
  }

  @Test
  void locksAreReentrant() {
    LockOwner owner = LockOwner.start(0);
    assertTrue(locks.acquire(owner, "a", SHARED, NO_WAIT));
    assertFalse(locks.acquire(owner, "a", SHARED, NO_WAIT));
    assertTrue(locks.acquire(owner, "b", EXCLUSIVE, NO_WAIT));
    assertFalse(locks.acquire(owner, "b", EXCLUSIVE, NO_WAIT));
    assertFalse(locks.acquire(owner, "b", SHARED, NO_WAIT), "exclusive covers shared");
    assertEquals(Map.of("a", SHARED, "b", EXCLUSIVE), locks.locksHeldBy(owner));
    assertEquals(2, locks.releaseAll(owner));
    assertEquals(List.of(), locks.snapshot());
    assertEquals(Map.of(), locks.locksHeldBy(owner));
  }

  @Test
  void soleSharedHolderUpgradesAtOnce() {
    LockOwner owner = LockOwner.start(0);
    locks.acquire(owner, "a", SHARED, NO_WAIT);
    assertTrue(locks.acquire(owner, "a", EXCLUSIVE, NO_WAIT));
    assertEquals(Map.of("a", EXCLUSIVE), locks.locksHeldBy(owner));
  }

  @Test
  void upgradeWaitsForTheOtherSharers() throws Exception {
    TxnThread t1 = txn(0);
    TxnThread t2 = txn(0);
    locks.acquire(t1.owner(), "a", SHARED, NO_WAIT);
    locks.acquire(t2.owner(), "a", SHARED, NO_WAIT);
    CompletableFuture<Boolean> upgrade = t1.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, t1.owner(), "a");
    assertEquals(List.of(row("a", t1, SHARED, GRANTED), row("a", t2, SHARED, GRANTED),
        row("a", t1, EXCLUSIVE, WAITING)), locks.snapshot());

    locks.releaseAll(t2.owner());
    assertTrue(outcome(upgrade));
    assertEquals(List.of(row("a", t1, EXCLUSIVE, GRANTED)), locks.snapshot());
  }

  @Test
  void upgradeQueuesAheadOfNewRequests() throws Exception {
    TxnThread t1 = txn(0);
    TxnThread t2 = txn(0);
    TxnThread writer = txn(0);
    locks.acquire(t1.owner(), "a", SHARED, NO_WAIT);
    locks.acquire(t2.owner(), "a", SHARED, NO_WAIT);
    CompletableFuture<Boolean> write = writer.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, writer.owner(), "a");
    CompletableFuture<Boolean> upgrade = t1.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, t1.owner(), "a");
    assertEquals(List.of(row("a", t1, SHARED, GRANTED), row("a", t2, SHARED, GRANTED),
        row("a", t1, EXCLUSIVE, WAITING), row("a", writer, EXCLUSIVE, WAITING)),
        locks.snapshot(), "queued behind the writer, the upgrade would deadlock with it");

    locks.releaseAll(t2.owner());
    assertTrue(outcome(upgrade));
    assertFalse(write.isDone());
    locks.releaseAll(t1.owner());
    assertTrue(outcome(write));
    assertEquals(0, count(LockMetrics.DEADLOCKS));
  }

  @Test
  void grantsInArrivalOrderSoWritersDoNotStarve() throws Exception {
    TxnThread reader1 = txn(0);
    TxnThread writer = txn(0);
    TxnThread reader2 = txn(0);
    TxnThread reader3 = txn(0);
    locks.acquire(reader1.owner(), "a", SHARED, NO_WAIT);
    CompletableFuture<Boolean> write = writer.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, writer.owner(), "a");
    CompletableFuture<Boolean> read2 = reader2.acquire("a", SHARED);
    awaitWaiting(locks, reader2.owner(), "a");
    CompletableFuture<Boolean> read3 = reader3.acquire("a", SHARED);
    awaitWaiting(locks, reader3.owner(), "a");
    assertEquals(List.of(row("a", reader1, SHARED, GRANTED), row("a", writer, EXCLUSIVE, WAITING),
        row("a", reader2, SHARED, WAITING), row("a", reader3, SHARED, WAITING)),
        locks.snapshot(), "readers compatible with the holder still queue behind the writer");

    locks.releaseAll(reader1.owner());
    assertTrue(outcome(write));
    assertFalse(read2.isDone());
    locks.releaseAll(writer.owner());
    assertTrue(outcome(read2));
    assertTrue(outcome(read3));
    assertEquals(List.of(row("a", reader2, SHARED, GRANTED), row("a", reader3, SHARED, GRANTED)),
        locks.snapshot(), "consecutive shared waiters are granted together");
  }

  @Test
  void timeoutNamesTableModeHoldersAndWaitTime() throws Exception {
    TxnThread reader = txn(0);
    TxnThread writer = txn(0);
    TxnThread late = txn(7);
    locks.acquire(reader.owner(), "orders", SHARED, NO_WAIT);
    CompletableFuture<Boolean> write = writer.acquire("orders", EXCLUSIVE);
    awaitWaiting(locks, writer.owner(), "orders");

    DeltaException e = failure(late.acquire("orders", SHARED, Duration.ofMillis(50)),
        SqlState.LOCK_NOT_AVAILABLE);
    String message = e.getMessage();
    assertTrue(message.startsWith("Lock wait timeout: transaction " + late.owner().transactionId()
        + " (priority 7) waited "), message);
    assertTrue(message.contains("for a SHARED lock on table orders and did not get it"), message);
    assertTrue(message.contains("Holders: transaction " + reader.owner().transactionId()
        + " (priority 0) in SHARED."), message);
    assertTrue(message.contains("Queued ahead: transaction " + writer.owner().transactionId()
        + " (priority 0) in EXCLUSIVE."), message);
    assertTrue(message.endsWith("retry, or raise the lock timeout."), message);
    Matcher waited = Pattern.compile("waited (\\d+) ms").matcher(message);
    assertTrue(waited.find(), message);
    assertTrue(Long.parseLong(waited.group(1)) >= 50, message);
    assertTrue(e.isRetryable());

    assertEquals(List.of(row("orders", reader, SHARED, GRANTED),
        row("orders", writer, EXCLUSIVE, WAITING)), locks.snapshot(), "no waiter left behind");
    assertEquals(1, count(LockMetrics.TIMEOUTS));
    locks.releaseAll(reader.owner());
    assertTrue(outcome(write));
  }

  @Test
  void zeroTimeoutNeverWaits() {
    LockOwner holder = LockOwner.start(0);
    LockOwner other = LockOwner.start(0);
    locks.acquire(holder, "a", EXCLUSIVE, NO_WAIT);
    DeltaException e = assertThrows(DeltaException.class,
        () -> locks.acquire(other, "a", SHARED, NO_WAIT));
    assertEquals(SqlState.LOCK_NOT_AVAILABLE, e.state());
    assertTrue(e.getMessage().contains("waited 0 ms for a SHARED lock on table a"), e.getMessage());
    assertEquals(0, count(LockMetrics.WAITS));
    assertEquals(1, count(LockMetrics.TIMEOUTS));
    assertEquals(List.of(new LockInfo<>("a", holder, EXCLUSIVE, GRANTED, NOW)), locks.snapshot());
  }

  @Test
  void interruptedWaitFailsKeepsTheFlagAndLeavesNoWaiter() throws Exception {
    TxnThread holder = txn(0);
    TxnThread waiter = txn(0);
    locks.acquire(holder.owner(), "a", EXCLUSIVE, NO_WAIT);
    locks.acquire(waiter.owner(), "b", SHARED, NO_WAIT);
    CompletableFuture<Object> call = waiter.call(() -> {
      try {
        return locks.acquire(waiter.owner(), "a", EXCLUSIVE, TxnThread.PATIENT);
      } catch (DeltaException e) {
        return List.of(e, Thread.currentThread().isInterrupted());
      }
    });
    awaitWaiting(locks, waiter.owner(), "a");
    waiter.interrupt();

    List<?> result = assertInstanceOf(List.class, outcome(call));
    DeltaException e = (DeltaException) result.get(0);
    assertEquals(SqlState.LOCK_NOT_AVAILABLE, e.state());
    assertTrue(e.getMessage().startsWith("Interrupted after "), e.getMessage());
    assertTrue(e.getMessage().contains("for an EXCLUSIVE lock on table a: the lock was not acquired"),
        e.getMessage());
    assertInstanceOf(InterruptedException.class, e.getCause());
    assertEquals(true, result.get(1), "interrupt status restored");
    assertEquals(List.of(row("a", holder, EXCLUSIVE, GRANTED), row("b", waiter, SHARED, GRANTED)),
        locks.snapshot(), "the wait is gone, the locks held before are kept");

    locks.releaseAll(holder.owner());
    assertEquals(Map.of("b", SHARED), locks.locksHeldBy(waiter.owner()));
  }

  @Test
  void releaseAllFailsThePendingWaitOfTheSameTransaction() {
    TxnThread holder = txn(0);
    TxnThread waiter = txn(0);
    locks.acquire(holder.owner(), "a", EXCLUSIVE, NO_WAIT);
    CompletableFuture<Boolean> wait = waiter.acquire("a", SHARED);
    awaitWaiting(locks, waiter.owner(), "a");

    assertEquals(0, locks.releaseAll(waiter.owner()));
    DeltaException e = failure(wait, SqlState.INVALID_TRANSACTION_STATE);
    assertTrue(e.getMessage().contains("released all its locks (commit or rollback) while it waited"
        + " for a SHARED lock on table a"), e.getMessage());
    assertEquals(List.of(row("a", holder, EXCLUSIVE, GRANTED)), locks.snapshot());
  }

  @Test
  void oneTransactionWaitsForOneLockAtATime() {
    TxnThread holder = txn(0);
    TxnThread waiter = txn(0);
    locks.acquire(holder.owner(), "a", EXCLUSIVE, NO_WAIT);
    waiter.acquire("a", SHARED);
    awaitWaiting(locks, waiter.owner(), "a");
    DeltaException e = assertThrows(DeltaException.class,
        () -> locks.acquire(waiter.owner(), "b", SHARED, NO_WAIT));
    assertEquals(SqlState.INVALID_TRANSACTION_STATE, e.state());
    assertTrue(e.getMessage().contains("already waits for a SHARED lock on table a"), e.getMessage());
  }

  @Test
  void acquireAllTakesTablesInCanonicalOrder() throws Exception {
    TxnThread holder = txn(0);
    TxnThread txn = txn(0);
    locks.acquire(holder.owner(), "b", EXCLUSIVE, NO_WAIT);
    Map<String, LockMode> wanted = new TreeMap<>(Map.of("c", EXCLUSIVE, "a", SHARED, "b", SHARED));
    CompletableFuture<Object> all = txn.call(() -> {
      locks.acquireAll(txn.owner(), Map.of("c", EXCLUSIVE, "a", SHARED, "b", SHARED),
          TxnThread.PATIENT);
      return null;
    });
    awaitWaiting(locks, txn.owner(), "b");
    assertEquals(List.of(row("a", txn, SHARED, GRANTED), row("b", holder, EXCLUSIVE, GRANTED),
        row("b", txn, SHARED, WAITING)), locks.snapshot(), "c is not taken before b");

    locks.releaseAll(holder.owner());
    outcome(all);
    assertEquals(wanted, locks.locksHeldBy(txn.owner()));
  }

  @Test
  void failedAcquireAllReleasesWhatItTookAndUndoesItsUpgrades() {
    LockOwner holder = LockOwner.start(0);
    LockOwner txn = LockOwner.start(0);
    locks.acquire(holder, "c", EXCLUSIVE, NO_WAIT);
    locks.acquire(txn, "a", SHARED, NO_WAIT);
    locks.acquire(txn, "d", EXCLUSIVE, NO_WAIT);

    DeltaException e = assertThrows(DeltaException.class, () -> locks.acquireAll(txn,
        Map.of("a", EXCLUSIVE, "b", SHARED, "c", SHARED, "d", SHARED), Duration.ofMillis(20)));
    assertEquals(SqlState.LOCK_NOT_AVAILABLE, e.state());
    assertTrue(e.getMessage().contains("table c"), e.getMessage());
    assertEquals(Map.of("a", SHARED, "d", EXCLUSIVE), locks.locksHeldBy(txn));
  }

  @Test
  void snapshotListsHoldersThenWaitersPerTableInOrder() {
    TxnThread t1 = txn(0);
    TxnThread t2 = txn(0);
    locks.acquire(t1.owner(), "b", SHARED, NO_WAIT);
    locks.acquire(t2.owner(), "b", SHARED, NO_WAIT);
    locks.acquire(t1.owner(), "a", EXCLUSIVE, NO_WAIT);
    t2.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, t2.owner(), "a");
    assertEquals(List.of(row("a", t1, EXCLUSIVE, GRANTED), row("a", t2, EXCLUSIVE, WAITING),
        row("b", t1, SHARED, GRANTED), row("b", t2, SHARED, GRANTED)), locks.snapshot());
  }

  @Test
  void countsAcquisitionsWaitsTimeoutsAndDeadlocks() throws Exception {
    TxnThread t1 = txn(0);
    TxnThread t2 = txn(0);
    locks.acquire(t1.owner(), "a", SHARED, NO_WAIT);
    locks.acquire(t1.owner(), "a", SHARED, NO_WAIT);
    locks.acquire(t2.owner(), "a", SHARED, NO_WAIT);
    CompletableFuture<Boolean> upgrade = t1.acquire("a", EXCLUSIVE);
    awaitWaiting(locks, t1.owner(), "a");
    failure(t2.acquire("a", EXCLUSIVE), SqlState.DEADLOCK_DETECTED);
    locks.releaseAll(t2.owner());
    outcome(upgrade);
    assertThrows(DeltaException.class, () -> locks.acquire(t2.owner(), "a", SHARED, NO_WAIT));

    assertEquals(3, count(LockMetrics.ACQUIRED), "two shared locks and one upgrade");
    assertEquals(2, count(LockMetrics.WAITS));
    assertEquals(1, count(LockMetrics.TIMEOUTS));
    assertEquals(1, count(LockMetrics.DEADLOCKS));
  }

  @Test
  void rejectsNegativeTimeouts() {
    LockOwner owner = LockOwner.start(0);
    assertThrows(IllegalArgumentException.class,
        () -> locks.acquire(owner, "a", SHARED, Duration.ofMillis(-1)));
    assertEquals(List.of(), locks.snapshot());
  }
}
