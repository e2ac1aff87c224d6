package io.deltasql.core.txn.lock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A transaction whose lock calls run, in order, on a thread of its own, so that a test
 * can watch it wait: each call returns a future of its outcome.
 */
final class TxnThread implements AutoCloseable {
  /** Long enough never to expire in a passing test; bounds a failing one. */
  static final Duration PATIENT = Duration.ofSeconds(30);

  private final LockManager<String> locks;
  private final LockOwner owner;
  private final AtomicReference<Thread> thread = new AtomicReference<>();
  private final ExecutorService executor;

  TxnThread(LockManager<String> locks, LockOwner owner) {
    this.locks = locks;
    this.owner = owner;
    this.executor = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "txn-" + owner.priority() + "-" + owner.sequence());
      t.setDaemon(true);
      thread.set(t);
      return t;
    });
  }

  LockOwner owner() {
    return owner;
  }

  CompletableFuture<Boolean> acquire(String table, LockMode mode) {
    return acquire(table, mode, PATIENT);
  }

  CompletableFuture<Boolean> acquire(String table, LockMode mode, Duration timeout) {
    return call(() -> locks.acquire(owner, table, mode, timeout));
  }

  CompletableFuture<Integer> releaseAll() {
    return call(() -> locks.releaseAll(owner));
  }

  <T> CompletableFuture<T> call(Supplier<T> action) {
    return CompletableFuture.supplyAsync(action, executor);
  }

  /** Interrupts the transaction's thread (which exists once a call was made). */
  void interrupt() {
    thread.get().interrupt();
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
