package io.deltasql.core.txn.lock;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts, per table, the transactions that believe they hold it shared or exclusive, and
 * records every moment the lock modes were violated: an exclusive holder next to any
 * other holder. Holders enter after their lock is granted and leave before it is released.
 */
final class ExclusionProbe<R> {
  private record Holders(AtomicInteger shared, AtomicInteger exclusive) {}

  /** Enough to diagnose; more would only bury the first one. */
  private static final int MAX_VIOLATIONS = 10;

  private final Map<R, Holders> tables = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();

  void enter(R table, LockMode mode) {
    Holders holders = holdersOf(table);
    if (mode == LockMode.EXCLUSIVE) {
      int exclusive = holders.exclusive().incrementAndGet();
      int shared = holders.shared().get();
      if (exclusive != 1 || shared != 0) {
        record("table " + table + ": " + exclusive + " exclusive and " + shared + " shared");
      }
    } else {
      holders.shared().incrementAndGet();
      int exclusive = holders.exclusive().get();
      if (exclusive != 0) {
        record("table " + table + ": shared next to " + exclusive + " exclusive");
      }
    }
  }

  void leave(R table, LockMode mode) {
    Holders holders = holdersOf(table);
    (mode == LockMode.EXCLUSIVE ? holders.exclusive() : holders.shared()).decrementAndGet();
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  private void record(String violation) {
    if (violations.size() < MAX_VIOLATIONS) {
      violations.add(violation);
    }
  }

  private Holders holdersOf(R table) {
    return tables.computeIfAbsent(table, t -> new Holders(new AtomicInteger(), new AtomicInteger()));
  }
}
