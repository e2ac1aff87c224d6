package io.deltasql.core.errors;

/**
 * The SQLStates deltasql reports, following PostgreSQL's choices so that tools which
 * already know them behave well.
 */
public enum SqlState {
  /** Syntax error in a statement. */
  SYNTAX_ERROR("42601"),
  /** A table that does not exist. */
  UNDEFINED_TABLE("42P01"),
  /** A column that does not exist. */
  UNDEFINED_COLUMN("42703"),
  /** A table that already exists. */
  DUPLICATE_TABLE("42P07"),
  /** A column named twice (in a column list, an UPDATE, a new table). */
  DUPLICATE_COLUMN("42701"),
  /** A function or procedure that does not exist. */
  UNDEFINED_FUNCTION("42883"),
  /** A schema that does not exist. */
  INVALID_SCHEMA_NAME("3F000"),
  /** A schema that already exists. */
  DUPLICATE_SCHEMA("42P06"),
  /** An object cannot be dropped while others depend on it (a schema holding tables). */
  DEPENDENT_OBJECTS_STILL_EXIST("2BP01"),
  /** A value of the wrong type. */
  DATATYPE_MISMATCH("42804"),
  /** Bad data: a value out of range, a malformed literal. */
  DATA_EXCEPTION("22000"),
  /** A date or time value that cannot be read. */
  INVALID_DATETIME_FORMAT("22007"),
  /** A statement would change one row twice (a cardinality violation). */
  CARDINALITY_VIOLATION("21000"),
  /** A NULL value in a column declared NOT NULL. */
  NOT_NULL_VIOLATION("23502"),
  /** A number does not fit its column's type, or a decimal would need rounding. */
  NUMERIC_VALUE_OUT_OF_RANGE("22003"),
  /** A value that is not valid for its parameter (a URL property, a configuration value). */
  INVALID_PARAMETER_VALUE("22023"),
  /** The operation is not permitted for this user or on this object. */
  INSUFFICIENT_PRIVILEGE("42501"),
  /** The feature is not supported. */
  FEATURE_NOT_SUPPORTED("0A000"),
  /** Serialization failure: a conflicting concurrent commit; retrying may succeed. */
  SERIALIZATION_FAILURE("40001"),
  /** This transaction was chosen as a deadlock victim. */
  DEADLOCK_DETECTED("40P01"),
  /** A lock could not be obtained in time. */
  LOCK_NOT_AVAILABLE("55P03"),
  /** An object is not in the state the operation requires (e.g. a diverged table). */
  OBJECT_NOT_IN_PREREQUISITE_STATE("55000"),
  /** The transaction is not in a state that permits the operation. */
  INVALID_TRANSACTION_STATE("25000"),
  /** The catalog database or a connection cannot be reached. */
  CONNECTION_EXCEPTION("08000"),
  /** The catalog database refused the connection. */
  CONNECTION_FAILURE("08006"),
  /** A Delta log that is corrupt or contradicts itself. */
  DATA_CORRUPTED("XX001"),
  /** A data or index file that is corrupt. */
  INDEX_CORRUPTED("XX002"),
  /** Reading or writing storage failed. */
  IO_ERROR("58030"),
  /** The catalog refused a change because it is read-only. */
  READ_ONLY_SQL_TRANSACTION("25006"),
  /** An operation that cannot run while a transaction is open (BEGIN inside BEGIN, a level change). */
  ACTIVE_SQL_TRANSACTION("25001"),
  /** Too many resources asked for (limits of a transaction, backpressure). */
  PROGRAM_LIMIT_EXCEEDED("54000"),
  /** A resource is exhausted for now; retrying later may succeed (mirror backpressure). */
  INSUFFICIENT_RESOURCES("53000"),
  /** An internal error: a bug in deltasql. */
  INTERNAL_ERROR("XX000");

  private final String code;

  SqlState(String code) {
    this.code = code;
  }

  /** The five-character SQLState code. */
  public String code() {
    return code;
  }

  /** Whether an operation failing with this state may succeed if simply retried. */
  public boolean isRetryable() {
    return this == SERIALIZATION_FAILURE || this == DEADLOCK_DETECTED
        || this == LOCK_NOT_AVAILABLE || this == INSUFFICIENT_RESOURCES;
  }
}
