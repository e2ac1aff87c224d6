package io.deltasql.driver;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;

/**
 * Every failure as the {@link SQLException} a JDBC user gets: the SQLState of a
 * {@link DeltaException}, or one chosen for Calcite's parse and validation errors (which carry
 * no SQLState of their own), with a message naming the culprit.
 */
public final class JdbcErrors {
  private static final Pattern NOT_FOUND = Pattern.compile("(Object|Table) '([^']*)' not found");
  private static final Pattern COLUMN = Pattern.compile("Column '([^']*)' not found|Unknown target column '([^']*)'");
  private static final Pattern FUNCTION = Pattern.compile("No match found for function signature");
  private static final Pattern TYPE = Pattern.compile(
      "Cannot assign to target field|Cannot apply|cannot be applied|Cannot infer|Illegal mixing of types|"
          + "Values passed to .* must have compatible types|Cannot (cast|convert)");
  private static final Pattern SCHEMA = Pattern.compile("Schema '([^']*)' not found");
  private static final Pattern INVALID_DATETIME = Pattern.compile("^Invalid (DATE|TIME|TIMESTAMP)\\b.* value");
  private static final Pattern DATETIME_LITERAL = Pattern.compile("Illegal (DATE|TIME|TIMESTAMP|INTERVAL)\\b.* literal");

  private JdbcErrors() {}

  /** The SQL exception of a failure. */
  public static SQLException toSqlException(Throwable failure) {
    if (failure instanceof SQLException sql && sql.getSQLState() != null) {
      return sql;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DeltaException delta) {
        return new SQLException(delta.getMessage(), delta.sqlState(), delta);
      }
      if (t instanceof SqlParseException parse) {
        return new SQLException("Syntax error: " + parse.getMessage(), SqlState.SYNTAX_ERROR.code(), parse);
      }
      if (t instanceof StackOverflowError) {
        // expressions nested thousands deep: the parser copes, the planner's recursion does not
        return new SQLException("Statement too complex: its expressions are nested too deeply to plan", "54001", t);
      }
      if (t.getMessage() != null && t.getMessage().startsWith("Error while compiling generated Java code")) {
        return new SQLException("Statement too complex: the code generated for it exceeds the JVM's limits"
            + " (a very long IN list or expression?)", SqlState.PROGRAM_LIMIT_EXCEEDED.code(), t);
      }
      if (t instanceof CalciteContextException context) {
        return new SQLException(context.getMessage(), stateOf(context), context);
      }
      if (t instanceof ArithmeticException) {
        String state = String.valueOf(t.getMessage()).contains("by zero") ? "22012"
            : SqlState.NUMERIC_VALUE_OUT_OF_RANGE.code();
        return new SQLException(state.equals("22012") ? t.getMessage() : outOfRange(t), state, failure);
      }
      if (t instanceof NumberFormatException) {
        return new SQLException("Invalid number: " + t.getMessage(), "22018", failure);
      }
      if (t instanceof IllegalArgumentException && t.getMessage() != null) {
        // Calcite's runtime: a constant it could not convert (often in a generated class's static initialiser)
        if (INVALID_DATETIME.matcher(t.getMessage()).find()) {
          return new SQLException(t.getMessage(), SqlState.INVALID_DATETIME_FORMAT.code(), failure);
        }
        if (t.getMessage().startsWith("Cannot convert") && t.getMessage().contains("overflow")) {
          return new SQLException(abbreviate(t.getMessage()), SqlState.NUMERIC_VALUE_OUT_OF_RANGE.code(), failure);
        }
      }
      if (t instanceof java.nio.file.InvalidPathException path) {
        return new SQLException("Invalid path '" + path.getInput().replace("\u0000", "\\0") + "': " + path.getReason(),
            SqlState.INVALID_PARAMETER_VALUE.code(), failure);
      }
      if (t instanceof UnsupportedOperationException && t.getMessage() != null) {
        // Calcite's DDL executor: "DDL not supported: ALTER SYSTEM SET ..."
        return new SQLException(t.getMessage(), SqlState.FEATURE_NOT_SUPPORTED.code(), failure);
      }
    }
    String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
    return new SQLException(message, SqlState.INTERNAL_ERROR.code(), failure);
  }

  /**
   * The message of an integer overflow, naming the operation: Calcite's checked arithmetic says
   * only "integer overflow", the operator is the {@code SqlFunctions.checked*} method that threw.
   */
  private static String outOfRange(Throwable overflow) {
    String message = String.valueOf(overflow.getMessage());
    if (message.startsWith("Numeric value out of range")) {
      return message;
    }
    for (StackTraceElement frame : overflow.getStackTrace()) {
      if (frame.getClassName().equals("org.apache.calcite.runtime.SqlFunctions")) {
        String operation = switch (frame.getMethodName()) {
          case "checkedPlus" -> "'+'";
          case "checkedMinus" -> "'-'";
          case "checkedMultiply" -> "'*'";
          case "checkedDivide" -> "'/'";
          case "checkedUnaryMinus" -> "unary '-'";
          default -> null;
        };
        if (operation != null) {
          return "Numeric value out of range in " + operation + ": " + message;
        }
      }
    }
    return "Numeric value out of range: " + message;
  }

  /** A message that quotes a huge input, cut to a readable length. */
  private static String abbreviate(String message) {
    return message.length() <= 500 ? message : message.substring(0, 500) + "… (" + message.length() + " characters)";
  }

  private static String stateOf(CalciteContextException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (DATETIME_LITERAL.matcher(message).find()) {
      return SqlState.INVALID_DATETIME_FORMAT.code();
    }
    if (message.contains("does not allow NULLs")) {
      return SqlState.NOT_NULL_VIOLATION.code();
    }
    if (SCHEMA.matcher(message).find()) {
      return SqlState.INVALID_SCHEMA_NAME.code();
    }
    Matcher notFound = NOT_FOUND.matcher(message);
    if (notFound.find()) {
      return SqlState.UNDEFINED_TABLE.code();
    }
    if (COLUMN.matcher(message).find()) {
      return SqlState.UNDEFINED_COLUMN.code();
    }
    if (FUNCTION.matcher(message).find()) {
      return "42883";
    }
    if (TYPE.matcher(message).find()) {
      return SqlState.DATATYPE_MISMATCH.code();
    }
    return "42000";
  }

  /**
   * The failure as the one runtime exception whose SQLState Avatica keeps where it wraps whatever
   * a {@code Meta} method throws into a {@code SQLException} of its own (executing a prepared
   * statement): its message and SQLState are those of {@link #toSqlException}.
   */
  static RuntimeException keepingState(Throwable failure) {
    SQLException e = toSqlException(failure);
    java.io.StringWriter trace = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(trace));
    return new AvaticaClientRuntimeException(e.getMessage(), e.getErrorCode(), e.getSQLState(),
        AvaticaSeverity.ERROR, List.of(trace.toString()), null);
  }

  /** Throws a checked exception where the signature does not declare it (Avatica's Meta methods). */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneakyThrow(Throwable e) throws E {
    throw (E) e;
  }

  /** Rethrows any failure as its SQL exception, undeclared. */
  static RuntimeException rethrow(Throwable failure) {
    return sneakyThrow(toSqlException(failure));
  }
}
