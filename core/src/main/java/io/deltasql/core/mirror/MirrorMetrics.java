package io.deltasql.core.mirror;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The mirror's meters, registered once per engine in a {@link MeterRegistry}. */
final class MirrorMetrics {
  static final String VERSIONS = "deltasql.mirror.versions";
  static final String FAILURES = "deltasql.mirror.failures";
  static final String RETRIES = "deltasql.mirror.retries";
  static final String DIVERGENCES = "deltasql.mirror.divergences";
  static final String CHECKPOINTS = "deltasql.mirror.checkpoints";
  static final String CHECKPOINTS_SPACED = "deltasql.mirror.checkpoints.spaced";
  static final String LAG = "deltasql.mirror.lag";
  static final String PAUSES = "deltasql.mirror.pauses";
  static final String PAUSED = "deltasql.mirror.paused";

  private final Counter versions;
  private final Counter failures;
  private final Counter retries;
  private final Counter divergences;
  private final Counter checkpoints;
  private final Counter checkpointsSpaced;
  private final Counter pauses;
  private final Timer lag;

  MirrorMetrics(MeterRegistry registry, BooleanSupplier paused) {
    versions = counter(registry, VERSIONS, "Commit files written to _delta_log (or found already written)");
    failures = counter(registry, FAILURES, "Versions a mirror pass left FAILED after all its tries");
    retries = counter(registry, RETRIES, "Storage operations of the mirror tried again after a transient failure");
    divergences = counter(registry, DIVERGENCES, "Tables found diverged: a foreign commit file in _delta_log");
    checkpoints = counter(registry, CHECKPOINTS, "Checkpoints written to _delta_log");
    checkpointsSpaced = counter(registry, CHECKPOINTS_SPACED,
        "Due checkpoints left out: superseded by a newer one due in the same run of versions, or sooner than the"
            + " checkpoint spacing after the table's previous one");
    pauses = counter(registry, PAUSES, "Pauses of background mirroring after a systemic failure");
    lag = Timer.builder(LAG)
        .description("Time from the catalog commit of a version to its commit file in _delta_log: from its hand-over"
            + " for a version this process committed, else from its in-commit timestamp")
        .register(registry);
    Gauge.builder(PAUSED, () -> paused.getAsBoolean() ? 1 : 0)
        .description("1 while background mirroring is paused after a systemic failure")
        .register(registry);
  }

  /**
   * This engine wrote a version's commit file, {@code lag} after its commit ({@link MirrorLag} says
   * from when); a version found already written counts in {@link #alreadyPresent} instead.
   */
  void mirrored(Duration lag) {
    versions.increment();
    this.lag.record(lag);
  }

  void alreadyPresent() {
    versions.increment();
  }

  void failed() {
    failures.increment();
  }

  void retried() {
    retries.increment();
  }

  void diverged() {
    divergences.increment();
  }

  void checkpointWritten() {
    checkpoints.increment();
  }

  void checkpointSpaced() {
    checkpointsSpaced.increment();
  }

  void paused() {
    pauses.increment();
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }
}
