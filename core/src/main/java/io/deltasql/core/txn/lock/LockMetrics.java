package io.deltasql.core.txn.lock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

/** The lock manager's counters, registered once in a {@link MeterRegistry}. */
final class LockMetrics {
  static final String ACQUIRED = "deltasql.locks.acquired";
  static final String WAITS = "deltasql.locks.waits";
  static final String TIMEOUTS = "deltasql.locks.timeouts";
  static final String DEADLOCKS = "deltasql.locks.deadlocks";

  private final Counter acquired;
  private final Counter waits;
  private final Counter timeouts;
  private final Counter deadlocks;

  LockMetrics(MeterRegistry registry, Iterable<Tag> tags) {
    acquired = counter(registry, tags, ACQUIRED, "Table locks granted or upgraded");
    waits = counter(registry, tags, WAITS, "Lock requests that had to wait");
    timeouts = counter(registry, tags, TIMEOUTS, "Lock requests that timed out (55P03)");
    deadlocks = counter(registry, tags, DEADLOCKS, "Deadlocks broken by failing a victim (40P01)");
  }

  void acquired() {
    acquired.increment();
  }

  void waited() {
    waits.increment();
  }

  void timedOut() {
    timeouts.increment();
  }

  void deadlock() {
    deadlocks.increment();
  }

  private static Counter counter(MeterRegistry registry, Iterable<Tag> tags, String name,
      String description) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }
}
