package io.deltasql.core.catalog;

import java.sql.SQLException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * SQLStates that the catalog acts on. Decisions (retry, read-only, lock timeout) look at
 * codes only, never at message text, and at the whole chain: a failed JDBC batch reports
 * the real error as a next exception or a cause.
 */
final class SqlStates {
  static final String SERIALIZATION_FAILURE = "40001";
  static final String DEADLOCK_DETECTED = "40P01";
  static final String UNIQUE_VIOLATION = "23505";
  static final String READ_ONLY = "25006";
  static final String LOCK_NOT_AVAILABLE = "55P03";

  /** Transient conflicts: the whole catalog transaction is tried again. */
  static final Set<String> RETRYABLE = Set.of(SERIALIZATION_FAILURE, DEADLOCK_DETECTED, UNIQUE_VIOLATION);

  private SqlStates() {}

  /** The first SQLState found on the exception, its next exceptions or its causes; "" if none. */
  static String of(SQLException e) {
    String[] found = {""};
    anyMatch(e, s -> {
      if (s.getSQLState() != null && !s.getSQLState().isEmpty()) {
        found[0] = s.getSQLState();
        return true;
      }
      return false;
    });
    return found[0];
  }

  /** Whether any SQLException of the chain satisfies the test. */
  static boolean anyMatch(SQLException e, Predicate<SQLException> test) {
    int guard = 0;
    for (Throwable t = e; t != null && guard < 16; guard++) {
      if (t instanceof SQLException s) {
        if (test.test(s)) {
          return true;
        }
        SQLException next = s.getNextException();
        if (next != null && next != s && test.test(next)) {
          return true;
        }
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return false;
  }

  /**
   * Whether the session with the catalog database is gone: a connection exception (class
   * {@code 08}), or the server ending the session ({@code 57P01} admin shutdown, e.g.
   * {@code pg_terminate_backend}; {@code 57P02} crash shutdown; {@code 57P03} cannot connect now).
   * A commit's outcome is then unknown.
   */
  static boolean isConnectionLost(String state) {
    return state.startsWith("08") || state.startsWith("57P");
  }

  static boolean isRetryable(SQLException e) {
    return anyMatch(e, s -> s.getSQLState() != null && RETRYABLE.contains(s.getSQLState()));
  }
}
