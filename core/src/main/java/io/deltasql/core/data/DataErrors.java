package io.deltasql.core.data;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.types.DataType;

/**
 * Every user-facing error of the data package: what went wrong, where (table, file, column,
 * row), and what to do. One place, so that the SQLStates stay consistent.
 */
final class DataErrors {
  /** The state of a NOT NULL violation: {@code 23502}, as PostgreSQL reports it. */
  static final SqlState NOT_NULL_VIOLATION = SqlState.NOT_NULL_VIOLATION;

  private DataErrors() {}

  static DeltaException corruptDataFile(String path, String reason, Throwable cause) {
    return new DeltaException(SqlState.INDEX_CORRUPTED, "Data file '" + path
        + "' cannot be read: " + reason + ". The file is corrupt or not Parquet; restore it or"
        + " remove it from the table", cause);
  }

  static DeltaException incompatibleColumn(String path, String column, DataType tableType,
      String fileType) {
    return new DeltaException(SqlState.INDEX_CORRUPTED, "Data file '" + path + "' stores column '"
        + column + "' as Parquet " + fileType + ", which cannot be read as the table's type "
        + tableType.typeName() + "; the file does not match the table schema");
  }

  static DeltaException corruptDeletionVector(String where, String reason) {
    return new DeltaException(SqlState.INDEX_CORRUPTED, "Deletion vector " + where
        + " is corrupt: " + reason + "; the rows it deletes cannot be known, so the file is not read");
  }

  static DeltaException missingDeletionVector(String dvPath, String dataFile, Throwable cause) {
    return new DeltaException(SqlState.IO_ERROR, "Deletion vector file '" + dvPath
        + "' of data file '" + dataFile + "' cannot be read: " + cause.getMessage()
        + ". Without it the file's deleted rows are unknown; restore the file", cause);
  }

  static DeltaException badPartitionValue(String column, DataType type, String value,
      String file, Throwable cause) {
    return new DeltaException(SqlState.DATA_CORRUPTED, "Partition value '" + value
        + "' of column '" + column + "' in the log entry of '" + file + "' is not a valid "
        + type.typeName() + (cause == null ? "" : ": " + cause.getMessage()), cause);
  }

  static DeltaException unknownColumn(String column, String table) {
    return new DeltaException(SqlState.UNDEFINED_COLUMN, "Column '" + column
        + "' does not exist in table " + table);
  }

  static DeltaException unsupported(String what) {
    return new DeltaException(SqlState.FEATURE_NOT_SUPPORTED, what);
  }

  static DeltaException notNull(String column, long row) {
    return new DeltaException(NOT_NULL_VIOLATION, "NULL value in column '" + column
        + "' of row " + row + " violates its NOT NULL constraint; nothing was written");
  }

  static DeltaException wrongType(String column, long row, DataType type, Object value) {
    return new DeltaException(SqlState.DATATYPE_MISMATCH, "Value of column '" + column
        + "' in row " + row + " is a " + value.getClass().getSimpleName() + ", but the column is "
        + type.typeName() + " and takes " + JavaValues.javaClassName(type)
        + "; nothing was written");
  }

  static DeltaException badValue(String column, long row, String reason) {
    return new DeltaException(SqlState.DATA_EXCEPTION, "Value of column '" + column
        + "' in row " + row + " " + reason + "; nothing was written");
  }

  static DeltaException wrongArity(long row, int actual, int expected) {
    return new DeltaException(SqlState.DATATYPE_MISMATCH, "Row " + row + " has " + actual
        + " values, but the table has " + expected + " columns; nothing was written");
  }

  static DeltaException writeFailed(String path, Throwable cause) {
    return new DeltaException(SqlState.IO_ERROR, "Cannot write data file '" + path + "': "
        + cause.getMessage() + "; nothing was written", cause);
  }

  static DeltaException predicateMismatch(String column, DataType type, Object literal) {
    return new DeltaException(SqlState.DATATYPE_MISMATCH, "Predicate compares column '" + column
        + "' of type " + type.typeName() + " with a " + literal.getClass().getSimpleName()
        + "; use a " + JavaValues.javaClassName(type));
  }
}
