package io.deltasql.core.mirror;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link MirrorEngine} publishes, retries and paces itself. Immutable; start from
 * {@link #DEFAULTS} and change one setting at a time with the {@code withX} copies.
 *
 * @param attempts tries of one storage operation (a commit file, a checkpoint) within a
 *     pass before the version is left {@code FAILED} for the reconciler; at least 1
 * @param initialBackoff the wait before the second try; doubled before each later one
 * @param maxBackoff the longest wait between two tries (at least {@code initialBackoff})
 * @param reconcilePeriod the pause between two background reconcile rounds;
 *     {@link Duration#ZERO} runs no background thread (only on open and on demand)
 * @param checkpointInterval the checkpoint interval of tables whose Delta configuration
 *     has no valid {@code delta.checkpointInterval}; at least 1
 * @param maxUnmirroredVersions backpressure: commits to a table with more versions than
 *     this awaiting the mirror are refused ({@code 53000}, retryable); at least 1
 * @param systemicFailureThreshold consecutive reconcile rounds in which every table
 *     failed, after which background mirroring pauses; at least 1
 * @param coolDown how long background mirroring pauses after a systemic failure
 * @param checkpointSpacing the least time between two checkpoints of a table whose last
 *     checkpoint held more than {@code checkpointSpacingFiles} active files: a checkpoint due
 *     sooner is left out (readers replay a longer tail of commit files from the previous one),
 *     so that a table committing many versions a second does not spend the mirror's time
 *     rewriting its whole file list every {@code checkpointInterval} versions. The spacing
 *     grows with the table: it is at least four times what the previous checkpoint took to
 *     read and write, so that a large table's checkpoints take at most a fifth of a thread;
 *     {@link Duration#ZERO} writes every due checkpoint, however costly
 * @param checkpointSpacingFiles tables whose last checkpoint held at most this many active
 *     files (cheap to checkpoint) get every due checkpoint, however soon; at least 0
 */
public record MirrorConfig(
    int attempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration reconcilePeriod,
    int checkpointInterval,
    long maxUnmirroredVersions,
    int systemicFailureThreshold,
    Duration coolDown,
    Duration checkpointSpacing,
    long checkpointSpacingFiles) {

  /**
   * 5 attempts from 50 ms to 2 s apart, reconcile every 30 s, checkpoint every 10 versions,
   * at most 1,000 unmirrored versions, a 1 minute pause after 3 rounds in which every table failed,
   * at most one checkpoint a second of a table with more than 100 active files (or one every four
   * times the previous checkpoint's cost, if longer). The spacing starts at 100 files, not at
   * 1,000 as it did: a checkpoint costs about a millisecond of CPU before its first file
   * (Parquet's writer and footer for every column of the checkpoint schema), so one every ten
   * versions of tables committing hundreds of times a second took the mirror's checkpoint
   * thread as much CPU as the writers' commits (docs/benchmarks.md, session 10). A table
   * committing fewer than ten versions a second gets every due checkpoint, of any size.
   */
  public static final MirrorConfig DEFAULTS = new MirrorConfig(5, Duration.ofMillis(50), Duration.ofSeconds(2),
      Duration.ofSeconds(30), 10, 1_000, 3, Duration.ofMinutes(1), Duration.ofSeconds(1), 100);

  /** @throws DeltaException {@code 22023} naming the setting that is out of range */
  public MirrorConfig {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(reconcilePeriod, "reconcilePeriod");
    Objects.requireNonNull(coolDown, "coolDown");
    Objects.requireNonNull(checkpointSpacing, "checkpointSpacing");
    require(attempts >= 1, "attempts", attempts, "at least 1");
    require(initialBackoff.toMillis() >= 1, "initialBackoff", initialBackoff, "at least 1 ms");
    require(maxBackoff.compareTo(initialBackoff) >= 0, "maxBackoff", maxBackoff,
        "at least initialBackoff (" + initialBackoff + ")");
    require(!reconcilePeriod.isNegative(), "reconcilePeriod", reconcilePeriod, "zero (no background) or positive");
    require(checkpointInterval >= 1, "checkpointInterval", checkpointInterval, "at least 1");
    require(maxUnmirroredVersions >= 1, "maxUnmirroredVersions", maxUnmirroredVersions, "at least 1");
    require(systemicFailureThreshold >= 1, "systemicFailureThreshold", systemicFailureThreshold, "at least 1");
    require(coolDown.toMillis() >= 1, "coolDown", coolDown, "at least 1 ms");
    require(!checkpointSpacing.isNegative(), "checkpointSpacing", checkpointSpacing, "zero (none) or positive");
    require(checkpointSpacingFiles >= 0, "checkpointSpacingFiles", checkpointSpacingFiles, "at least 0");
  }

  private static void require(boolean valid, String setting, Object value, String expected) {
    if (!valid) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "Mirror setting '" + setting + "' is " + value + "; it must be " + expected);
    }
  }

  /** Whether a background thread reconciles periodically. */
  public boolean background() {
    return !reconcilePeriod.isZero();
  }

  public MirrorConfig withAttempts(int newAttempts) {
    return new MirrorConfig(newAttempts, initialBackoff, maxBackoff, reconcilePeriod, checkpointInterval,
        maxUnmirroredVersions, systemicFailureThreshold, coolDown,
        checkpointSpacing, checkpointSpacingFiles);
  }

  /** Both bounds of the backoff between tries. */
  public MirrorConfig withBackoff(Duration newInitial, Duration newMax) {
    return new MirrorConfig(attempts, newInitial, newMax, reconcilePeriod, checkpointInterval,
        maxUnmirroredVersions, systemicFailureThreshold, coolDown,
        checkpointSpacing, checkpointSpacingFiles);
  }

  public MirrorConfig withReconcilePeriod(Duration newPeriod) {
    return new MirrorConfig(attempts, initialBackoff, maxBackoff, newPeriod, checkpointInterval,
        maxUnmirroredVersions, systemicFailureThreshold, coolDown,
        checkpointSpacing, checkpointSpacingFiles);
  }

  public MirrorConfig withCheckpointInterval(int newInterval) {
    return new MirrorConfig(attempts, initialBackoff, maxBackoff, reconcilePeriod, newInterval,
        maxUnmirroredVersions, systemicFailureThreshold, coolDown,
        checkpointSpacing, checkpointSpacingFiles);
  }

  public MirrorConfig withMaxUnmirroredVersions(long newMax) {
    return new MirrorConfig(attempts, initialBackoff, maxBackoff, reconcilePeriod, checkpointInterval, newMax,
        systemicFailureThreshold, coolDown,
        checkpointSpacing, checkpointSpacingFiles);
  }

  /** The systemic-failure threshold and the pause that follows it. */
  public MirrorConfig withSystemicFailure(int newThreshold, Duration newCoolDown) {
    return new MirrorConfig(attempts, initialBackoff, maxBackoff, reconcilePeriod, checkpointInterval,
        maxUnmirroredVersions, newThreshold, newCoolDown,
        checkpointSpacing, checkpointSpacingFiles);
  }

  /** The least time between two checkpoints of a table with more than {@code files} active files. */
  public MirrorConfig withCheckpointSpacing(Duration newSpacing, long files) {
    return new MirrorConfig(attempts, initialBackoff, maxBackoff, reconcilePeriod, checkpointInterval,
        maxUnmirroredVersions, systemicFailureThreshold, coolDown, newSpacing, files);
  }
}
