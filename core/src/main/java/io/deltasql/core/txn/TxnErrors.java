package io.deltasql.core.txn;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.Optional;
import java.util.UUID;

/**
 * Every exception this package throws outside validation results (those are built by
 * {@link ValidationResult}). Each message says what went wrong and what to do.
 */
final class TxnErrors {
  private TxnErrors() {}

  static DeltaException nullArgument(String what) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE, what + " must not be null");
  }

  static DeltaException invalidArgument(String message) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE, message);
  }

  static DeltaException transactionsRequired() {
    return new DeltaException(SqlState.FEATURE_NOT_SUPPORTED,
        "TRANSACTION_NONE is not supported: every deltasql statement runs in a transaction;"
            + " use READ COMMITTED, REPEATABLE READ or SERIALIZABLE");
  }

  static DeltaException unknownIsolationLevel(String given) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
        "unknown isolation level '" + given + "': use READ COMMITTED, REPEATABLE READ or SERIALIZABLE");
  }

  static DeltaException illegalTransition(UUID txnId, TransactionState from, TransactionState to) {
    return new DeltaException(SqlState.INVALID_TRANSACTION_STATE,
        "transaction " + txnId + " cannot go from " + from + " to " + to + ": from " + from
            + " it may only go to " + from.successors());
  }

  static DeltaException notActive(UUID txnId, TransactionState state, String operation,
      Optional<DeltaException> failure) {
    if (state == TransactionState.FAILED) {
      return new DeltaException(SqlState.INVALID_TRANSACTION_STATE,
          "transaction " + txnId + " is aborted" + failure.map(f -> " (" + f.getMessage() + ")").orElse("")
              + "; cannot " + operation + " until the transaction is rolled back: run ROLLBACK",
          failure.orElse(null));
    }
    return new DeltaException(SqlState.INVALID_TRANSACTION_STATE,
        "transaction " + txnId + " is " + state + ": cannot " + operation
            + " (only an ACTIVE transaction accepts statements); begin a new transaction");
  }

  static DeltaException stagingLimit(UUID txnId, String what, long count, long max, String key) {
    return new DeltaException(SqlState.PROGRAM_LIMIT_EXCEEDED,
        "transaction " + txnId + " would hold " + count + " " + what + ", more than the limit of " + max
            + "; the statement was not staged. Split the work into smaller transactions or raise '"
            + key + "'");
  }

  static DeltaException readVersionRegression(String table, long first, long later) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
        "table '" + table + "' was staged at read version " + first
            + ", a later statement of the same transaction cannot have read version " + later
            + " (versions read by one transaction never go back"
            + (first == TableActions.NEW_TABLE ? ", and the table is created by this transaction" : "")
            + ")");
  }

  static DeltaException tableMismatch(String expected, String actual) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
        "cannot merge actions of table '" + actual + "' into actions of table '" + expected + "'");
  }

  static DeltaException pinMismatch(UUID txnId, IsolationLevel level, String table, long pinned, long read) {
    return new DeltaException(SqlState.INVALID_TRANSACTION_STATE,
        "transaction " + txnId + " (" + level.sqlName() + ") pinned table '" + table + "' at version "
            + pinned + " but a statement read version " + read
            + "; every read of the transaction must use its pinned snapshot");
  }

  static DeltaException unknownConfigKey(String key, Optional<MultiTableProperty> nearest) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
        "unknown multi-table transaction setting '" + key + "'"
            + nearest.map(p -> "; did you mean '" + p.key() + "'?").orElse("")
            + " Known settings: " + MultiTableProperty.keys());
  }

  static DeltaException badConfigValue(MultiTableProperty property, Object value, String why) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
        "bad value '" + value + "' for setting '" + property.key() + "': " + why);
  }
}
