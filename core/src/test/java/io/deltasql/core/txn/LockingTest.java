package io.deltasql.core.txn;

import static io.deltasql.core.txn.WriterFixture.assertFails;
import static io.deltasql.core.txn.WriterFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.txn.lock.LockInfo;
import io.deltasql.core.txn.lock.LockMode;
import io.deltasql.core.txn.lock.LockStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Table locks through the writer: deadlocks between transactions that take two tables in
 * opposite order (the lower priority is the victim, the other commits), and lock timeouts.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockingTest {
  @Parameter
  CatalogBackend backend;

  private WriterFixture fixture;

  @BeforeParameterizedClassInvocation
  void open(CatalogBackend backend) {
    fixture = new WriterFixture(backend, "locking");
  }

  @AfterParameterizedClassInvocation
  void close() {
    fixture.close();
  }

  /** Waits until {@code tx} waits for a lock. */
  private static void awaitWaiting(MultiTableWriter writer, MultiTableTransaction tx) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (LockInfo<String> lock : writer.lockManager().snapshot()) {
        if (lock.owner().transactionId().equals(tx.id()) && lock.status() == LockStatus.WAITING) {
          return;
        }
      }
      Thread.sleep(2);
    }
    throw new AssertionError("transaction " + tx.id() + " never waited for a lock");
  }

  @Test
  void statementsLockingTwoTablesInOppositeOrderDeadlockAndTheLowerPriorityIsTheVictim() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MultiTableWriter writer = fixture.writer(b -> b.meterRegistry(registry));
    TableRef a = fixture.createTable(writer);
    TableRef b = fixture.createTable(writer);
    MultiTableTransaction important = writer.begin(IsolationLevel.READ_COMMITTED, 5);
    MultiTableTransaction victim = writer.begin(IsolationLevel.READ_COMMITTED, 1);
    writer.lock(important, a.key(), LockMode.EXCLUSIVE);
    writer.lock(victim, b.key(), LockMode.EXCLUSIVE);

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<MultiTableCommitResult> first = pool.submit(() -> {
        writer.lock(important, b.key(), LockMode.EXCLUSIVE); // waits for the victim
        important.addFiles(a.key(), 0, List.of(file("a1")));
        important.addFiles(b.key(), 0, List.of(file("b1")));
        return writer.commit(important);
      });
      awaitWaiting(writer, important);
      assertFails(SqlState.DEADLOCK_DETECTED, () -> writer.lock(victim, a.key(), LockMode.EXCLUSIVE),
          "Deadlock detected", victim.id().toString());
      assertEquals(TransactionState.FAILED, victim.state());

      MultiTableCommitResult result = first.get(30, TimeUnit.SECONDS);
      assertEquals(List.of(1L, 1L), result.tables().stream().map(TableCommitResult::version).toList());
      assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> writer.commit(victim), "aborted", "ROLLBACK");
      writer.rollback(victim);
      assertEquals(TransactionState.ROLLED_BACK, victim.state());
      assertEquals(1.0, registry.get(WriterMetrics.DEADLOCKS).counter().count());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void commitsTakingTablesInOppositeOrderDeadlockAndTheHigherPriorityCommits() throws Exception {
    MultiTableWriter writer = fixture.writer();
    TableRef a = fixture.createTable(writer);
    TableRef b = fixture.createTable(writer);
    MultiTableTransaction low = writer.begin(IsolationLevel.READ_COMMITTED, 0);
    MultiTableTransaction high = writer.begin(IsolationLevel.READ_COMMITTED, 9);
    writer.lock(high, a.key(), LockMode.EXCLUSIVE);
    writer.lock(low, b.key(), LockMode.EXCLUSIVE);
    for (MultiTableTransaction tx : List.of(low, high)) {
      tx.addFiles(a.key(), 0, List.of(file("a-" + tx.priority())));
      tx.addFiles(b.key(), 0, List.of(file("b-" + tx.priority())));
    }

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<MultiTableCommitResult> highCommit = pool.submit(() -> writer.commit(high));
      awaitWaiting(writer, high);
      DeltaException e = assertFails(SqlState.DEADLOCK_DETECTED, () -> writer.commit(low), low.id().toString());
      assertTrue(e.isRetryable());
      assertEquals(TransactionState.FAILED, low.state());
      assertEquals(SqlState.DEADLOCK_DETECTED, low.failure().orElseThrow().state());
      highCommit.get(30, TimeUnit.SECONDS);
      writer.rollback(low);
      assertEquals(1, fixture.version(a));
      assertEquals(1, fixture.version(b));
      assertEquals(List.of(high.id().toString()), fixture.txnIds(a).subList(1, 2));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLockWaitLongerThanTheTimeoutFailsWith55P03() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MultiTableConfig config = WriterFixture.config().toBuilder().lockTimeout(Duration.ofMillis(50)).build();
    MultiTableWriter writer = fixture.writer(b -> b.config(config).meterRegistry(registry));
    TableRef t = fixture.createTable(writer);
    MultiTableTransaction holder = writer.begin();
    writer.lock(holder, t.key(), LockMode.EXCLUSIVE);
    MultiTableTransaction waiter = writer.begin();
    waiter.addFiles(t.key(), 0, List.of(file("w1")));

    assertFails(SqlState.LOCK_NOT_AVAILABLE, () -> writer.commit(waiter), "Lock wait timeout", t.key());
    assertEquals(TransactionState.FAILED, waiter.state());
    writer.rollback(waiter);
    assertEquals(TransactionState.ROLLED_BACK, waiter.state());
    assertEquals(1.0, registry.get(WriterMetrics.LOCK_TIMEOUTS).counter().count());

    holder.addFiles(t.key(), 0, List.of(file("h1")));
    writer.commit(holder);
    assertEquals(1, fixture.version(t));
  }

  @Test
  void aSerializableCommitHoldsSharedLocksOnTheTablesItRead() throws InterruptedException, ExecutionException {
    MultiTableConfig config = WriterFixture.config().toBuilder().lockTimeout(Duration.ofMillis(50)).build();
    MultiTableWriter writer = fixture.writer(b -> b.config(config));
    TableRef read = fixture.createTable(writer);
    TableRef written = fixture.createTable(writer);
    MultiTableTransaction blocker = writer.begin();
    writer.lock(blocker, read.key(), LockMode.EXCLUSIVE);

    MultiTableTransaction serializable = writer.begin(IsolationLevel.SERIALIZABLE, 0);
    writer.snapshotFor(serializable, read.tableId());
    serializable.addFiles(written.key(), 0, List.of(file("s1")));
    DeltaException e = assertFails(SqlState.LOCK_NOT_AVAILABLE, () -> writer.commit(serializable), read.key(),
        "SHARED");
    assertInstanceOf(DeltaException.class, serializable.failure().orElseThrow());
    assertEquals(e, serializable.failure().orElseThrow());
    writer.rollback(serializable);
    writer.rollback(blocker);
  }
}
