package io.deltasql.planner;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import org.apache.calcite.sql.parser.SqlParserPos;

/** The errors of the SQL layer, each with its SQLState and a message naming what is wrong. */
final class PlannerErrors {
  private PlannerErrors() {}

  static DeltaException unknownTable(String name) {
    return new DeltaException(SqlState.UNDEFINED_TABLE, "Table '" + name + "' not found");
  }

  static DeltaException unknownSchema(String name) {
    return new DeltaException(SqlState.INVALID_SCHEMA_NAME, "Schema '" + name + "' not found");
  }

  static DeltaException unknownColumn(String column, String table, SqlParserPos pos) {
    return new DeltaException(SqlState.UNDEFINED_COLUMN, "Column '" + column + "' not found in table " + table
        + at(pos));
  }

  static DeltaException duplicateColumn(String column, SqlParserPos pos) {
    return new DeltaException(SqlState.DUPLICATE_COLUMN, "Column '" + column + "' is given more than once" + at(pos));
  }

  static DeltaException tableExists(String name) {
    return new DeltaException(SqlState.DUPLICATE_TABLE, "Table '" + name + "' already exists");
  }

  static DeltaException ddlInTransaction(String statement) {
    return new DeltaException(SqlState.ACTIVE_SQL_TRANSACTION, statement
        + " cannot run inside a transaction: DDL commits on its own. COMMIT or ROLLBACK first");
  }

  static DeltaException locationNotAllowed(String location, String allowed) {
    return new DeltaException(SqlState.INSUFFICIENT_PRIVILEGE, "LOCATION '" + location
        + "' is outside the locations this connection may use (" + allowed
        + "); allow it with the URL property allowedLocations");
  }

  static DeltaException notSupported(String what) {
    return new DeltaException(SqlState.FEATURE_NOT_SUPPORTED, what);
  }

  static DeltaException invalid(String what) {
    return new DeltaException(SqlState.SYNTAX_ERROR, what);
  }

  private static String at(SqlParserPos pos) {
    return pos == null || pos.equals(SqlParserPos.ZERO) ? ""
        : " (line " + pos.getLineNum() + ", column " + pos.getColumnNum() + ")";
  }
}
