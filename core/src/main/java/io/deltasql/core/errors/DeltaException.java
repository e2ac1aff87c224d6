package io.deltasql.core.errors;

import java.sql.SQLException;
import java.util.Objects;

/**
 * The one exception type of {@code core}: every failure a user can see carries a
 * {@link SqlState} and a message that says what went wrong, why, and what to do.
 * The JDBC edge turns it into a {@link SQLException} with {@link #toSqlException()}.
 */
public class DeltaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final SqlState state;

  public DeltaException(SqlState state, String message) {
    super(message);
    this.state = Objects.requireNonNull(state, "state");
  }

  public DeltaException(SqlState state, String message, Throwable cause) {
    super(message, cause);
    this.state = Objects.requireNonNull(state, "state");
  }

  public SqlState state() {
    return state;
  }

  /** The SQLState code, e.g. {@code 40001}. */
  public String sqlState() {
    return state.code();
  }

  /** Whether retrying the same operation may succeed. */
  public boolean isRetryable() {
    return state.isRetryable();
  }

  /** This failure as a {@link SQLException} with the same message, state and cause chain. */
  public SQLException toSqlException() {
    return new SQLException(getMessage(), state.code(), this);
  }
}
