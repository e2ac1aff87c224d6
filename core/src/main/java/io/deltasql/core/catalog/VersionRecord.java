package io.deltasql.core.catalog;

import io.deltasql.core.actions.CommitInfo;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One committed version of a table, as history shows it.
 *
 * @param tableId the table
 * @param version the version
 * @param timestamp the commit timestamp in ms (in-commit timestamp; strictly increasing)
 * @param txnId the transaction id of the commit (absent for an imported checkpoint base)
 * @param committer who committed, if known
 * @param operation the operation ({@code WRITE}, {@code DELETE}, {@code CREATE TABLE}…)
 * @param operationParameters the operation's parameters as text
 * @param commitInfo the commitInfo action of the version, if it had one
 * @param actionCount how many actions the version holds
 * @param base whether this is the base version of a table imported from a checkpoint
 */
public record VersionRecord(
    long tableId,
    long version,
    long timestamp,
    Optional<String> txnId,
    Optional<String> committer,
    String operation,
    Map<String, String> operationParameters,
    Optional<CommitInfo> commitInfo,
    int actionCount,
    boolean base) {

  public VersionRecord {
    Objects.requireNonNull(txnId, "txnId");
    Objects.requireNonNull(committer, "committer");
    Objects.requireNonNull(operation, "operation");
    operationParameters = Collections.unmodifiableMap(new LinkedHashMap<>(operationParameters));
    Objects.requireNonNull(commitInfo, "commitInfo");
  }

  public Instant commitTime() {
    return Instant.ofEpochMilli(timestamp);
  }
}
