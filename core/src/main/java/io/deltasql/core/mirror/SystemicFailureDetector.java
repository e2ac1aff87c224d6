package io.deltasql.core.mirror;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a systemic failure (storage down, credentials revoked) from tables that fail on
 * their own: a reconcile round in which every attempted table failed counts, a round in
 * which any table succeeded resets the count, and so does any successful mirror pass
 * elsewhere (a post-commit mirror). After {@code threshold} failed rounds in a row,
 * background mirroring pauses for the cool-down instead of hammering the storage.
 *
 * <p>With a single table pending, one table failing and storage failing look the same;
 * pausing then costs nothing (that table would fail anyway) and its commits are still
 * tried after every commit.
 */
final class SystemicFailureDetector {
  private static final Logger LOG = LoggerFactory.getLogger(SystemicFailureDetector.class);

  private final int threshold;
  private final Duration coolDown;
  private final Clock clock;
  private int failedRounds;
  private Instant pausedUntil = Instant.MIN;
  private Optional<String> lastFailure = Optional.empty();
  private Optional<Instant> lastRound = Optional.empty();

  SystemicFailureDetector(int threshold, Duration coolDown, Clock clock) {
    this.threshold = threshold;
    this.coolDown = coolDown;
    this.clock = clock;
  }

  /**
   * A reconcile round ended: {@code failed} of the {@code attempted} tables failed.
   * Returns whether this round started a pause.
   */
  synchronized boolean roundFinished(int attempted, int failed, Optional<String> failure) {
    lastRound = Optional.of(clock.instant());
    if (attempted == 0) {
      return false;
    }
    if (failed < attempted) {
      failedRounds = 0;
      return false;
    }
    failedRounds++;
    failure.ifPresent(f -> lastFailure = Optional.of(f));
    if (failedRounds >= threshold) {
      pausedUntil = clock.instant().plus(coolDown);
      LOG.error("mirror paused after systemic failure rounds={} tables={} until={} lastError={}", failedRounds,
          attempted, pausedUntil, lastFailure.orElse(""));
      failedRounds = 0;
      return true;
    }
    return false;
  }

  /** A table pass failed (outside a round, or within one: the round reports its own count). */
  synchronized void failed(String failure) {
    lastFailure = Optional.of(failure);
  }

  /** A table pass made progress: storage works, so there is no systemic failure. */
  synchronized void succeeded() {
    failedRounds = 0;
    lastFailure = Optional.empty();
    if (pausedNow()) {
      LOG.info("mirror resumes: a table was mirrored during the pause");
      pausedUntil = Instant.MIN;
    }
  }

  /** Whether background rounds are paused now. */
  synchronized boolean paused() {
    return pausedNow();
  }

  synchronized MirrorEngineStatus status(boolean closed) {
    boolean paused = pausedNow();
    MirrorEngineStatus.State state = closed ? MirrorEngineStatus.State.CLOSED
        : paused ? MirrorEngineStatus.State.PAUSED : MirrorEngineStatus.State.RUNNING;
    return new MirrorEngineStatus(state, paused ? Optional.of(pausedUntil) : Optional.empty(), failedRounds,
        lastFailure, lastRound);
  }

  private boolean pausedNow() {
    return clock.instant().isBefore(pausedUntil);
  }
}
