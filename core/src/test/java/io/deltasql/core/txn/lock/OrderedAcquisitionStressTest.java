package io.deltasql.core.txn.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many transactions taking random sets of tables, each set at once with {@link
 * LockManager#acquireAll} (so in canonical order): none may deadlock or time out, and the
 * lock modes hold at every moment.
 */
class OrderedAcquisitionStressTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 200;
  private static final int TABLES = 6;
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LockManager<Long> locks = LockManager.<Long>builder().meterRegistry(registry).build();
  private final ExclusionProbe<Long> probe = new ExclusionProbe<>();
  private final AtomicLong granted = new AtomicLong();

  @Test
  void orderedAcquisitionNeverDeadlocksAndKeepsLockModes() throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        long seed = 1000L + i;
        workers.add(pool.submit(() -> {
          start.await();
          runTransactions(new Random(seed));
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(List.of(), probe.violations());
    assertEquals(List.of(), locks.snapshot());
    assertEquals(0, count(LockMetrics.DEADLOCKS));
    assertEquals(0, count(LockMetrics.TIMEOUTS));
    assertEquals(granted.get(), count(LockMetrics.ACQUIRED));
  }

  private void runTransactions(Random random) {
    for (int round = 0; round < ROUNDS; round++) {
      LockOwner owner = LockOwner.start(random.nextInt(3));
      Map<Long, LockMode> wanted = randomTables(random);
      locks.acquireAll(owner, wanted, TIMEOUT);
      granted.addAndGet(wanted.size());
      wanted.forEach(probe::enter);
      Thread.yield();
      wanted.forEach(probe::leave);
      locks.releaseAll(owner);
    }
  }

  /** One to four distinct tables, in random (not canonical) order, each shared or exclusive. */
  private static Map<Long, LockMode> randomTables(Random random) {
    Map<Long, LockMode> wanted = new LinkedHashMap<>();
    int size = 1 + random.nextInt(4);
    while (wanted.size() < size) {
      wanted.put((long) random.nextInt(TABLES),
          random.nextInt(3) == 0 ? LockMode.EXCLUSIVE : LockMode.SHARED);
    }
    return wanted;
  }

  private long count(String counter) {
    return (long) registry.get(counter).counter().count();
  }
}
