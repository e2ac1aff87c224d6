package io.deltasql.core.txn;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every exception the multi-table writer raises itself (validation failures come from
 * {@link ValidationResult}, lock failures from the lock manager, catalog failures from the
 * catalog). Each says what went wrong, why, and what to do, and whether anything was
 * committed.
 */
final class WriterErrors {
  private WriterErrors() {}

  static DeltaException conflict(UUID txnId, List<ConflictDecision.Conflict> conflicts) {
    String what = conflicts.stream().map(ConflictDecision.Conflict::describe).collect(Collectors.joining("; "));
    return new DeltaException(SqlState.SERIALIZATION_FAILURE, "Transaction " + txnId + " cannot commit: " + what
        + ". Nothing was committed to any table; retry the transaction.");
  }

  static DeltaException tooManyRetries(UUID txnId, int retries, DeltaException last) {
    return new DeltaException(SqlState.SERIALIZATION_FAILURE, "Transaction " + txnId + " lost the race to commit "
        + (retries + 1) + " times (" + last.getMessage() + "), more than '" + MultiTableProperty.MAX_COMMIT_RETRIES.key()
        + "' allows. Nothing was committed to any table; retry the transaction later.", last);
  }

  static DeltaException commitTimeout(UUID txnId, Duration timeout, DeltaException last) {
    return new DeltaException(SqlState.SERIALIZATION_FAILURE, "Transaction " + txnId + " could not commit within "
        + timeout.toMillis() + " ms ('" + MultiTableProperty.COMMIT_TIMEOUT_MS.key() + "'); the last attempt failed"
        + " with: " + last.getMessage() + " Nothing was committed to any table; retry the transaction.", last);
  }

  static DeltaException unknownOutcome(UUID txnId, DeltaException cause) {
    return new DeltaException(cause.state(), "The outcome of transaction " + txnId + " is unknown: the catalog"
        + " connection failed during its commit and did not come back (" + cause.getMessage() + "). Its data files"
        + " were kept. Once the catalog is reachable, commit the same actions again in a transaction with id "
        + txnId + ": the catalog returns the recorded result if the first commit landed.", cause);
  }

  static DeltaException idReusedWithOtherTables(UUID txnId, List<String> tables) {
    return new AlreadyRecordedException(SqlState.INVALID_TRANSACTION_STATE, "Transaction id " + txnId + " is already"
        + " committed, but not to all of the tables " + tables + " this transaction writes: a retried commit must"
        + " stage the same tables. Nothing more was committed; begin a new transaction.");
  }

  static DeltaException interrupted(UUID txnId, DeltaException last) {
    return new DeltaException(SqlState.SERIALIZATION_FAILURE, "Transaction " + txnId + " was interrupted while"
        + " waiting to retry its commit (" + last.getMessage() + "). Nothing was committed; retry the transaction.",
        last);
  }

  static DeltaException tableReplaced(UUID txnId, TableRef first, TableRef now) {
    return new DeltaException(SqlState.SERIALIZATION_FAILURE, "Table '" + first.key() + "' was dropped and created"
        + " again while transaction " + txnId + " used it (catalog id " + first.tableId() + ", now " + now.tableId()
        + "). Roll back and retry the transaction.");
  }

  static DeltaException createdAfterSnapshot(UUID txnId, IsolationLevel level, String key) {
    return new DeltaException(SqlState.SERIALIZATION_FAILURE, "Table '" + key + "' did not exist (or had no version)"
        + " when " + level.sqlName() + " transaction " + txnId + " took its snapshot, so the transaction cannot"
        + " read it consistently with the other tables. Roll back and retry the transaction.");
  }

  static DeltaException unknownTable(long tableId) {
    return new DeltaException(SqlState.UNDEFINED_TABLE, "Table with catalog id " + tableId
        + " does not exist (it may have been dropped): look it up again by name");
  }

  static DeltaException unknownTable(String key) {
    return new DeltaException(SqlState.UNDEFINED_TABLE, "Table '" + key + "' does not exist");
  }

  static DeltaException noVersions(String key) {
    return new DeltaException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "Table '" + key
        + "' has no committed version yet, so there is nothing to read");
  }

  static DeltaException notStagedAsNew(UUID txnId, String key) {
    return new DeltaException(SqlState.UNDEFINED_TABLE, "Transaction " + txnId + " does not create table '" + key
        + "': read an existing table by its catalog id");
  }

  static DeltaException noLocation(UUID txnId, String key) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "Transaction " + txnId + " stages table '" + key
        + "' as a new table (read version -1) but never said where it lives: create it with"
        + " MultiTableWriter.createTable");
  }

  static DeltaException alreadyCommitted(UUID txnId) {
    return new DeltaException(SqlState.INVALID_TRANSACTION_STATE, "Transaction " + txnId
        + " is already committed: it cannot be rolled back");
  }

  static DeltaException closed() {
    return new DeltaException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
        "The multi-table writer is closed: open a new connection");
  }

  static DeltaException unexpected(UUID txnId, RuntimeException cause) {
    return new DeltaException(SqlState.INTERNAL_ERROR, "Transaction " + txnId + " failed unexpectedly during its"
        + " commit (" + cause + "). Nothing was committed to any table.", cause);
  }
}
