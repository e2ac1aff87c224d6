package io.deltasql.core.mirror;

import java.util.Objects;
import java.util.Optional;

/**
 * What one mirror pass achieved for a table.
 *
 * @param tableId the table
 * @param mirroredThrough the newest version now present in {@code _delta_log} ({@code -1} if none)
 * @param pending how many committed versions are still not mirrored
 * @param failure why the pass stopped early, if it did (the versions stay pending and are retried)
 * @param diverged whether the pass found a foreign commit file and marked the table diverged
 */
public record MirrorOutcome(long tableId, long mirroredThrough, long pending, Optional<String> failure, boolean diverged) {
  public MirrorOutcome {
    Objects.requireNonNull(failure, "failure");
  }

  /** Nothing was attempted. */
  public static MirrorOutcome skipped(long tableId) {
    return new MirrorOutcome(tableId, -1, 0, Optional.empty(), false);
  }

  /**
   * A version handed to a background mirror and not yet written: {@code pending} versions
   * (this one included) wait; {@code mirroredThrough} is the newest version known to be in
   * the log ({@code -1} if unknown).
   */
  public static MirrorOutcome queued(long tableId, long mirroredThrough, long pending) {
    return new MirrorOutcome(tableId, mirroredThrough, Math.max(1, pending), Optional.empty(), false);
  }

  /** Whether every committed version is now in {@code _delta_log}. */
  public boolean complete() {
    return pending == 0 && failure.isEmpty() && !diverged;
  }
}
