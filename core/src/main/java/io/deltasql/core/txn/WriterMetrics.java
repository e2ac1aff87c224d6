package io.deltasql.core.txn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The multi-table writer's meters, registered once per writer. */
final class WriterMetrics {
  static final String COMMITS = "deltasql.txn.commits";
  static final String ROLLBACKS = "deltasql.txn.rollbacks";
  static final String FAILURES = "deltasql.txn.commit.failures";
  static final String CONFLICTS = "deltasql.txn.conflicts";
  static final String RETRIES = "deltasql.txn.retries";
  static final String DEADLOCKS = "deltasql.txn.deadlocks";
  static final String LOCK_TIMEOUTS = "deltasql.txn.lock.timeouts";
  static final String BACKPRESSURE = "deltasql.txn.backpressure.refusals";
  static final String ACTIONS = "deltasql.txn.actions.committed";
  static final String MIRROR_FAILURES = "deltasql.txn.mirror.failures";
  static final String LATENCY = "deltasql.txn.commit.latency";
  static final String HELD = "deltasql.txn.commit.held";
  static final String HELD_MISSES = "deltasql.txn.commit.held.misses";

  private final Counter commits;
  private final Counter rollbacks;
  private final Counter failures;
  private final Counter conflicts;
  private final Counter retries;
  private final Counter deadlocks;
  private final Counter lockTimeouts;
  private final Counter backpressure;
  private final Counter actions;
  private final Counter mirrorFailures;
  private final Timer latency;
  private final Counter held;
  private final Counter heldMisses;

  WriterMetrics(MeterRegistry registry) {
    commits = counter(registry, COMMITS, "Multi-table transactions committed");
    rollbacks = counter(registry, ROLLBACKS, "Multi-table transactions rolled back (asked for, or after a failed commit)");
    failures = counter(registry, FAILURES, "Commits that failed, whatever the reason");
    conflicts = counter(registry, CONFLICTS, "Commits refused by a logical conflict (40001)");
    retries = counter(registry, RETRIES, "Commit attempts rebased or retried after losing a race");
    deadlocks = counter(registry, DEADLOCKS, "Transactions failed as deadlock victims (40P01)");
    lockTimeouts = counter(registry, LOCK_TIMEOUTS, "Transactions failed by a lock wait timeout (55P03)");
    backpressure = counter(registry, BACKPRESSURE, "Commits refused because a table's mirror lagged (53000)");
    actions = counter(registry, ACTIONS, "Actions committed over all tables");
    mirrorFailures = counter(registry, MIRROR_FAILURES, "Tables whose mirroring after a commit failed");
    held = counter(registry, HELD, "Commits whose first attempt wrote without reading the tables' rows first");
    heldMisses = counter(registry, HELD_MISSES,
        "First attempts without the read that found a table not as the writer held it (the usual attempt followed)");
    latency = Timer.builder(LATENCY).description("Commit latency, locks and mirroring included").register(registry);
  }

  void committed(long actionCount, Duration took) {
    commits.increment();
    actions.increment(actionCount);
    latency.record(took);
  }

  void held() {
    held.increment();
  }

  void heldMissed() {
    heldMisses.increment();
  }

  void rolledBack() {
    rollbacks.increment();
  }

  void failed() {
    failures.increment();
  }

  void conflict() {
    conflicts.increment();
  }

  void retried() {
    retries.increment();
  }

  void deadlock() {
    deadlocks.increment();
  }

  void lockTimeout() {
    lockTimeouts.increment();
  }

  void backpressure() {
    backpressure.increment();
  }

  void mirrorFailed() {
    mirrorFailures.increment();
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }
}
