package io.deltasql.core.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * @param replacedFiles the added files that replace a file active at {@code readVersion}
 *     (the same path and deletion vector added again), when the committer knows them from
 *     its snapshot at {@code readVersion}: the catalog then closes exactly those active rows
 *     without looking the added paths up (the compare-and-set makes sure the table is still
 *     at {@code readVersion}). Empty: unknown, the catalog looks every added path up
 */
public record CommitRequest(
    long tableId,
    long readVersion,
    String txnId,
    List<Action> actions,
    Optional<String> committer,
    Optional<Long> timestamp,
    boolean alreadyMirrored,
    Optional<Set<FileKey>> replacedFiles) {

  public CommitRequest {
    Objects.requireNonNull(txnId, "txnId");
    actions = List.copyOf(actions);
    Objects.requireNonNull(committer, "committer");
    Objects.requireNonNull(timestamp, "timestamp");
    replacedFiles = replacedFiles.map(Set::copyOf);
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
        Optional.empty(), false, Optional.empty());
  }

  /**
   * The actions as the catalog stores them when the commit lands at {@code timestamp} (the
   * {@link CommitResult#timestamp()}): the same list, except that a {@code commitInfo} whose
   * in-commit timestamp differs carries {@code timestamp} instead (the catalog raises it to
   * keep in-commit timestamps increasing). What a committer that holds the actions may
   * publish as the version's commit file without reading it back.
   */
  public List<Action> actionsCommittedAt(long timestamp) {
    List<Action> stored = null;
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i) instanceof CommitInfo info && info.inCommitTimestamp().isPresent()
          && info.inCommitTimestamp().get() != timestamp) {
        stored = new ArrayList<>(actions);
        stored.set(i, withInCommitTimestamp(info, timestamp));
      }
    }
    return stored == null ? actions : List.copyOf(stored);
  }

  /** {@code info} with its in-commit timestamp set to {@code timestamp}. */
  static CommitInfo withInCommitTimestamp(CommitInfo info, long timestamp) {
    ObjectNode values = info.values().deepCopy();
    values.put(CommitInfo.IN_COMMIT_TIMESTAMP, timestamp);
    return new CommitInfo(values);
  }

  /** The version this commit creates. */
  public long version() {
    return readVersion + 1;
  }

  public CommitRequest withCommitter(String newCommitter) {
    return new CommitRequest(tableId, readVersion, txnId, actions, Optional.of(newCommitter), timestamp,
        alreadyMirrored, replacedFiles);
  }

  public CommitRequest withTimestamp(long newTimestamp) {
    return new CommitRequest(tableId, readVersion, txnId, actions, committer, Optional.of(newTimestamp),
        alreadyMirrored, replacedFiles);
  }

  /** The same commit, marked as already present in the table's {@code _delta_log}. */
  public CommitRequest asAlreadyMirrored() {
    return new CommitRequest(tableId, readVersion, txnId, actions, committer, timestamp, true, replacedFiles);
  }

  /**
   * The same commit, with the added files that replace a file active at {@code readVersion}
   * known (see {@link #replacedFiles}): every other added path is new to the table.
   */
  public CommitRequest withReplacedFiles(Set<FileKey> replaced) {
    return new CommitRequest(tableId, readVersion, txnId, actions, committer, timestamp, alreadyMirrored,
        Optional.of(replaced));
  }
}
