package io.deltasql.core.mirror;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of a {@link MirrorEngine} as a whole (per-version states are in the catalog's
 * mirror status): what {@code sys.mirror_status} shows beside the versions.
 *
 * @param state running, paused after a systemic failure, or closed
 * @param pausedUntil when background mirroring resumes, while paused
 * @param consecutiveFailedRounds reconcile rounds in a row in which every table failed
 * @param lastFailure the last error a mirror pass ended with, if any since the last success
 * @param lastRound when the last reconcile round ended, if one did
 */
public record MirrorEngineStatus(
    State state,
    Optional<Instant> pausedUntil,
    int consecutiveFailedRounds,
    Optional<String> lastFailure,
    Optional<Instant> lastRound) {

  public MirrorEngineStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(pausedUntil, "pausedUntil");
    Objects.requireNonNull(lastFailure, "lastFailure");
    Objects.requireNonNull(lastRound, "lastRound");
  }

  /** What the engine is doing. */
  public enum State {
    /** Mirroring after commits, in the background and on demand. */
    RUNNING,
    /**
     * Every table failed in several reconcile rounds in a row (storage down?): background
     * rounds are skipped until {@link #pausedUntil()}; post-commit mirrors make one try each,
     * and a reconcile on demand still runs. Any success ends the pause.
     */
    PAUSED,
    /** Closed: nothing is mirrored any more; the next engine's reconcile picks up the rest. */
    CLOSED
  }
}
