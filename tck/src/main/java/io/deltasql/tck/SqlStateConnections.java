package io.deltasql.tck;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A connection whose {@link SQLException}s carry their SQLState at the start of the message,
 * {@code [42P01] Table 'X' not found}, so that a script's {@code !error} block asserts the
 * SQLState as well as the message. Statements, result sets and metadata it hands out are
 * wrapped the same way. Its {@code close()} does nothing: the runner closes the connection.
 */
final class SqlStateConnections {
  /**
   * What Avatica's remote client puts before the server's message:
   * {@code Error 0 (STATE) : Error while executing SQL "…": Remote driver error: MESSAGE}.
   */
  private static final String REMOTE_PREFIX = "Remote driver error: ";

  private SqlStateConnections() {}

  static Connection wrap(Connection connection) {
    return wrap(connection, Connection.class);
  }

  @SuppressWarnings("unchecked")
  private static <T> T wrap(T target, Class<T> type) {
    InvocationHandler handler = (proxy, method, args) -> invoke(target, method, args);
    return (T) Proxy.newProxyInstance(SqlStateConnections.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  @SuppressWarnings("unchecked")
  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    if (target instanceof Connection && method.getName().equals("close")) {
      return null; // the runner closes its connections after the script
    }
    Object result;
    try {
      result = method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw withState(e.getCause());
    }
    Class<?> type = method.getReturnType();
    if (result == null || !type.isInterface()) {
      return result;
    }
    if (Statement.class.isAssignableFrom(type) || type == ResultSet.class || type == DatabaseMetaData.class) {
      return wrap(result, (Class<Object>) type);
    }
    return result;
  }

  private static Throwable withState(Throwable failure) {
    if (failure instanceof SQLException sql && !(sql.getMessage() != null && sql.getMessage().startsWith("["))) {
      // No cause and no stack: Quidem compares the printed exception, one line.
      SQLException stated = new SQLException("[" + sql.getSQLState() + "] " + serverMessage(sql.getMessage()),
          sql.getSQLState(), sql.getErrorCode());
      stated.setStackTrace(new StackTraceElement[0]);
      return stated;
    }
    return failure;
  }

  /** The message as the driver behind a server wrote it (a thin client's is wrapped). */
  private static String serverMessage(String message) {
    int remote = message == null ? -1 : message.indexOf(REMOTE_PREFIX);
    return remote < 0 ? message : message.substring(remote + REMOTE_PREFIX.length());
  }
}
