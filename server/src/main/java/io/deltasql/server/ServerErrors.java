package io.deltasql.server;

import io.deltasql.driver.JdbcErrors;
import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

/**
 * The server's own refusals, and every failure as Avatica sends it: an
 * {@link AvaticaRuntimeException} carrying the SQLState, which the client raises as an
 * {@code AvaticaSqlException} with that state ({@code JdbcMeta} would send {@code 00000}).
 */
final class ServerErrors {
  static final String INSUFFICIENT_PRIVILEGE = "42501";
  static final String TOO_MANY_CONNECTIONS = "53300";
  static final String IDLE_IN_TRANSACTION_TIMEOUT = "25P03";
  private static final String READ_ONLY_TRANSACTION = "25006";

  private ServerErrors() {}

  /** A refusal by the server, for {@link #toRemote} to send with its SQLState. */
  static RuntimeException refuse(String sqlState, String message) {
    return new RefusedException(new SQLException(message, sqlState));
  }

  /**
   * The failure as the client gets it. A read-only user's attempt to write is
   * {@code 42501} (not permitted to this user) rather than the connection's {@code 25006}.
   */
  static AvaticaRuntimeException toRemote(Throwable failure, RemoteUser user) {
    SQLException sql = sqlException(failure);
    String state = sql.getSQLState();
    String message = sql.getMessage();
    if (READ_ONLY_TRANSACTION.equals(state) && !user.writable()) {
      state = INSUFFICIENT_PRIVILEGE;
      message = "User '" + user.name() + "' may only read: " + message;
    }
    AvaticaRuntimeException remote = new AvaticaRuntimeException(message, sql.getErrorCode(), state,
        AvaticaSeverity.ERROR);
    remote.initCause(sql);
    return remote;
  }

  /** The first SQLException with a state in the chain (JdbcMeta wraps them), or one made for it. */
  private static SQLException sqlException(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql;
      }
    }
    return JdbcErrors.toSqlException(failure);
  }

  /** Carries a refusal through Meta methods that declare no SQLException. */
  private static final class RefusedException extends RuntimeException {
    RefusedException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
