package io.deltasql.driver.cli;

import io.deltasql.driver.JdbcErrors;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;

/**
 * Runs SQL statements on one connection, printing results with a {@link ResultPrinter} and
 * errors on stderr as {@code ERROR <SQLState>: message}, followed by where the failing
 * statement is.
 */
final class SqlRunner {
  private static final Set<String> DML = Set.of("INSERT", "UPSERT", "UPDATE", "DELETE", "MERGE");
  /** Calcite lists every token it expected after a syntax error; past this many, the list is cut. */
  private static final int MAX_EXPECTED = 8;

  private final Connection connection;
  private final ResultPrinter printer;
  private final PrintStream err;

  SqlRunner(Connection connection, ResultPrinter printer, PrintStream err) {
    this.connection = connection;
    this.printer = printer;
    this.err = err;
  }

  /**
   * Runs every statement of a script, stopping at the first that fails.
   *
   * @param source how to name the script in an error ({@code null}: the shell's input, named
   *     by nothing)
   * @return whether every statement ran
   */
  boolean runScript(String script, Source source) {
    for (SqlScript.Statement statement : SqlScript.split(script)) {
      try {
        execute(statement.sql());
      } catch (SQLException | RuntimeException e) {
        report(JdbcErrors.toSqlException(e), statement, source);
        return false;
      }
    }
    return true;
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      if (statement.execute(sql)) {
        try (ResultSet rs = statement.getResultSet()) {
          printer.print(rs);
        }
      } else {
        long count = statement.getLargeUpdateCount();
        printer.printUpdate(count, DML.contains(firstWord(sql)) || count > 0);
      }
    }
  }

  private static String firstWord(String sql) {
    int end = 0;
    while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    return sql.substring(0, end).toUpperCase(Locale.ROOT);
  }

  /** Prints an error that no statement caused (a failed connection). */
  void report(SQLException e) {
    err.println(line(e));
  }

  private void report(SQLException e, SqlScript.Statement statement, Source source) {
    err.println(line(e));
    if (source != null) {
      int line = statement.line() + relativeLine(e) - 1;
      err.println("  in statement " + statement.number() + source.where(line) + ": " + statement.excerpt());
    }
    err.flush();
  }

  /** {@code ERROR <SQLState>: message}, the message without Calcite's longest lists of expected tokens. */
  static String line(SQLException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int expecting = message.indexOf("\nWas expecting");
    if (expecting >= 0 && message.substring(expecting).lines().count() > MAX_EXPECTED + 1) {
      message = message.substring(0, expecting);
    }
    String state = e.getSQLState() == null ? "XX000" : e.getSQLState();
    return "ERROR " + state + ": " + message.strip();
  }

  /** The line, within its statement, where a syntax or validation error was found (1 when unknown). */
  private static int relativeLine(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SqlParseException parse && parse.getPos() != null && parse.getPos().getLineNum() > 0) {
        return parse.getPos().getLineNum();
      }
      if (t instanceof CalciteContextException context && context.getPosLine() > 0) {
        return context.getPosLine();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return 1;
  }

  /** Where statements come from, to say where one that failed is. */
  record Source(String name, boolean lines) {
    static Source file(String name) {
      return new Source(name, true);
    }

    /** An {@code -e} argument: statements numbered, no lines. */
    static Source arguments(String name) {
      return new Source(name, false);
    }

    String where(int line) {
      return lines ? ", line " + line + " of " + name : " of " + name;
    }
  }
}
