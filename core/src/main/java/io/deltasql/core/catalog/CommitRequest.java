package io.deltasql.core.catalog;

import io.deltasql.core.actions.Action;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One new version of one table: the actions of version {@code readVersion + 1}, in commit
 * order. The commit succeeds only if the table is still at {@code readVersion}.
 *
 * @param tableId the table
 * @param readVersion the version the actions were computed from; {@code -1} creates version 0
 * @param txnId the transaction id: a commit whose id is already recorded for the table
 *     returns the recorded result instead of writing a duplicate
 * @param actions protocol, metaData, add, remove, cdc, txn, domainMetadata and at most one
 *     commitInfo action, in the order the commit lists them
 * @param committer who commits (engine, host, user), for history
 * @param timestamp the commit time in ms when no in-commit timestamp is given (the log
 *     file's modification time when importing an existing log); empty: the catalog's clock
 * @param alreadyMirrored whether this version already exists in the table's
 *     {@code _delta_log} (an imported log), so there is nothing to mirror
 */
public record CommitRequest(
    long tableId,
    long readVersion,
    String txnId,
    List<Action> actions,
    Optional<String> committer,
    Optional<Long> timestamp,
    boolean alreadyMirrored) {

  public CommitRequest {
    Objects.requireNonNull(txnId, "txnId");
    actions = List.copyOf(actions);
    Objects.requireNonNull(committer, "committer");
    Objects.requireNonNull(timestamp, "timestamp");
    if (readVersion < -1) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "readVersion must be -1 (new table) or a committed version, got " + readVersion);
    }
    if (txnId.isBlank() || txnId.length() > 255) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "A commit needs a transaction id of 1 to 255 characters, got '" + txnId + "'");
    }
  }

  /** A commit of these actions on top of {@code readVersion}. */
  public static CommitRequest of(long tableId, long readVersion, String txnId, List<? extends Action> actions) {
    return new CommitRequest(tableId, readVersion, txnId, List.copyOf(actions), Optional.empty(),
        Optional.empty(), false);
  }

  /** The version this commit creates. */
  public long version() {
    return readVersion + 1;
  }

  public CommitRequest withCommitter(String newCommitter) {
    return new CommitRequest(tableId, readVersion, txnId, actions, Optional.of(newCommitter), timestamp,
        alreadyMirrored);
  }

  public CommitRequest withTimestamp(long newTimestamp) {
    return new CommitRequest(tableId, readVersion, txnId, actions, committer, Optional.of(newTimestamp),
        alreadyMirrored);
  }

  /** The same commit, marked as already present in the table's {@code _delta_log}. */
  public CommitRequest asAlreadyMirrored() {
    return new CommitRequest(tableId, readVersion, txnId, actions, committer, timestamp, true);
  }
}
