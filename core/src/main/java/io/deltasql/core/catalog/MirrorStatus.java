package io.deltasql.core.catalog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The mirroring state of one version of one table.
 *
 * @param tableId the table
 * @param version the version
 * @param state pending, done or failed
 * @param attempts how many times the mirror tried to write it
 * @param lastError the error of the last failed attempt
 * @param updatedAt when the state last changed
 */
public record MirrorStatus(
    long tableId, long version, MirrorState state, int attempts, Optional<String> lastError, Instant updatedAt) {
  public MirrorStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
