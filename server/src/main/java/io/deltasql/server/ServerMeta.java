package io.deltasql.server;

import io.deltasql.driver.Driver;
import io.deltasql.planner.Sessions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.jdbc.CalciteConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avatica's {@link JdbcMeta} over the deltasql driver: each remote connection is one driver
 * connection, with its own session and transaction, so commit, rollback, auto-commit and
 * isolation pass straight through. What a shared server adds:
 *
 * <ul>
 *   <li>a connection belongs to the user who opened it; a read-only user's connections are
 *       read-only and stay so, and a user with {@code write:} grants may change only those
 *       tables and schemas ({@link WriteGrants}, checked by the session as each statement
 *       writes);
 *   <li>clients choose only {@code schema} and {@code isolation}; the rest of the URL (warehouse,
 *       catalog, allowed locations) is the server's;
 *   <li>at most {@code maxConnections} open; an idle one is closed after
 *       {@code connectionIdleTimeout}, its transaction rolled back, and the client that comes
 *       back to it gets 25P03 rather than a fresh connection without its earlier work;
 *   <li>frames of at most {@code maxRowsPerFetch} rows.
 * </ul>
 */
final class ServerMeta extends JdbcMeta {
  private static final Logger LOG = LoggerFactory.getLogger(ServerMeta.class);
  /** The connection properties a client may set. */
  static final Set<String> CLIENT_PROPERTIES = Set.of("schema", "isolation");
  private static final int REMEMBERED_EXPIRIES = 10_000;
  private static final Set<String> OPEN_OR_CLOSE = Set.of("openConnection", "closeConnection", "closeStatement");

  private final Driver driver = new Driver();
  private final ServerMetrics metrics;
  private final int maxConnections;
  private final int maxRowsPerFetch;
  private final Duration idleTimeout;
  /** The write grants of users who have some; the others may change what their role allows. */
  private final Map<String, WriteGrants> grants;
  private final Map<String, RemoteConnection> connections = new ConcurrentHashMap<>();
  private final Map<Integer, String> statements = new ConcurrentHashMap<>();
  /** Connections closed while idle in a transaction, which may not silently come back. */
  private final Set<String> expiredInTransaction = Collections.synchronizedSet(Collections.newSetFromMap(
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED_EXPIRIES;
        }
      }));

  ServerMeta(ServerConfig config, ServerMetrics metrics, Map<String, WriteGrants> grants) throws SQLException {
    super(config.require(ServerProperty.URL), cacheSettings(config));
    this.metrics = metrics;
    this.grants = Map.copyOf(grants);
    this.maxConnections = config.integer(ServerProperty.MAX_CONNECTIONS);
    this.maxRowsPerFetch = config.integer(ServerProperty.MAX_ROWS_PER_FETCH);
    this.idleTimeout = config.seconds(ServerProperty.CONNECTION_IDLE_TIMEOUT);
    if (maxConnections < 1 || maxRowsPerFetch < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("maxConnections, maxRowsPerFetch and connectionIdleTimeout must be positive");
    }
  }

  /**
   * JdbcMeta's caches: room for every allowed connection (its size limit would close the least
   * recently used one, transaction and all) and no expiry of its own, which would not notice a
   * connection busy with statements; {@link #expireIdle} expires connections instead.
   */
  private static Properties cacheSettings(ServerConfig config) {
    Properties settings = new Properties();
    settings.setProperty(ConnectionCacheSettings.MAX_CAPACITY.key(),
        Long.toString(2L * config.integer(ServerProperty.MAX_CONNECTIONS) + 1));
    settings.setProperty(ConnectionCacheSettings.EXPIRY_DURATION.key(), Long.toString(TimeUnit.DAYS.toSeconds(3650)));
    settings.setProperty(ConnectionCacheSettings.EXPIRY_UNIT.key(), TimeUnit.SECONDS.name());
    settings.setProperty(StatementCacheSettings.EXPIRY_DURATION.key(),
        Long.toString(config.integer(ServerProperty.STATEMENT_IDLE_TIMEOUT)));
    settings.setProperty(StatementCacheSettings.EXPIRY_UNIT.key(), TimeUnit.SECONDS.name());
    return settings;
  }

  /** Remote connections open now. */
  int openConnections() {
    return connections.size();
  }

  // ---- the boundary ------------------------------------------------------------------------

  /**
   * A call on a connection begins: it must be the caller's (and the statement, if any, that
   * connection's); it is busy until {@link #exit}. A call on a connection that is not open
   * fails with 25P03 if it expired in a transaction, else as Avatica's missing connection (which
   * its client recovers from); opening and closing calls pass.
   */
  RemoteConnection enter(String call, String connectionId, Integer statementId) {
    RemoteConnection connection = connectionId == null ? null : connections.get(connectionId);
    if (connection == null) {
      if (connectionId == null || OPEN_OR_CLOSE.contains(call)) {
        return null;
      }
      if (expiredInTransaction.contains(connectionId)) {
        throw expiredError(connectionId);
      }
      // JdbcMeta would still find the statements of a connection closed under them.
      throw new NoSuchConnectionException(connectionId);
    }
    RemoteUser user = RemoteUser.current();
    if (!connection.user().name().equals(user.name())) {
      throw ServerErrors.refuse(ServerErrors.INSUFFICIENT_PRIVILEGE,
          "Connection " + connectionId + " belongs to another user");
    }
    String owner = statementId == null ? null : statements.get(statementId);
    if (owner != null && !owner.equals(connectionId)) {
      throw ServerErrors.refuse(ServerErrors.INSUFFICIENT_PRIVILEGE,
          "Statement " + statementId + " belongs to another connection");
    }
    if (!connection.enter()) {
      throw expiredError(connectionId);
    }
    return connection;
  }

  /** A call on a connection has ended. */
  void exit(RemoteConnection connection) {
    if (connection != null) {
      connection.exit();
    }
  }

  /** Remembers the statement a call opened as its connection's. */
  void opened(Object result) {
    if (result instanceof StatementHandle h) {
      statements.put(h.id, h.connectionId);
    } else if (result instanceof MetaResultSet rs) {
      statements.put(rs.statementId, rs.connectionId);
    }
  }

  // ---- connections -------------------------------------------------------------------------

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    if (expiredInTransaction.contains(ch.id)) {
      throw expiredError(ch.id);
    }
    Map<String, String> allowed = info == null ? Map.of() : info.entrySet().stream()
        .filter(e -> CLIENT_PROPERTIES.contains(e.getKey()) && e.getValue() != null)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    RemoteUser user = RemoteUser.current();
    synchronized (connections) {
      if (connections.size() >= maxConnections) {
        metrics.refused();
        throw ServerErrors.refuse(ServerErrors.TOO_MANY_CONNECTIONS, "The server already has its maximum of "
            + maxConnections + " connections (maxConnections); close one or try again later");
      }
      if (connections.putIfAbsent(ch.id, new RemoteConnection(user)) != null) {
        throw ServerErrors.refuse("08002", "Connection " + ch.id + " is already open");
      }
    }
    try {
      super.openConnection(ch, allowed);
    } catch (RuntimeException e) {
      connections.remove(ch.id);
      throw e;
    }
    metrics.opened();
    LOG.debug("connection opened id={} user={} writable={}", ch.id, user.name(), user.writable());
  }

  /**
   * A driver connection, read-only for a read-only user, limited to their grants for a user
   * with {@code write:} grants; the server's cache settings stay here.
   */
  @Override
  protected Connection createConnection(String url, Properties info) throws SQLException {
    Properties properties = new Properties();
    for (String name : info.stringPropertyNames()) {
      if (!name.startsWith("avatica.")) {
        properties.setProperty(name, info.getProperty(name));
      }
    }
    Connection connection = driver.connect(url, properties);
    RemoteUser user = RemoteUser.current();
    if (!user.writable()) {
      connection.setReadOnly(true);
    }
    WriteGrants granted = grants.get(user.name());
    if (granted != null) {
      Sessions.of(connection.unwrap(CalciteConnection.class).getRootSchema()).setWritePermission(granted);
    }
    return connection;
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties properties) {
    RemoteConnection connection = connections.get(ch.id);
    if (connection != null && !connection.user().writable() && Boolean.FALSE.equals(properties.isReadOnly())) {
      throw ServerErrors.refuse(ServerErrors.INSUFFICIENT_PRIVILEGE,
          "User '" + connection.user().name() + "' may only read; the connection stays read-only");
    }
    return super.connectionSync(ch, properties);
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    try {
      super.closeConnection(ch);
    } finally {
      forget(ch.id);
    }
  }

  @Override
  public void closeStatement(StatementHandle h) {
    try {
      super.closeStatement(h);
    } finally {
      statements.remove(h.id);
    }
  }

  private void forget(String connectionId) {
    connections.remove(connectionId);
    statements.values().removeIf(connectionId::equals);
  }

  /**
   * Closes the connections idle longer than {@code connectionIdleTimeout}, rolling back their
   * transactions; a client that comes back to one gets 25P03.
   */
  void expireIdle() {
    long now = System.nanoTime();
    for (Map.Entry<String, RemoteConnection> e : connections.entrySet()) {
      RemoteConnection connection = e.getValue();
      if (connection.expireIfIdle(now, idleTimeout.toNanos())) {
        String id = e.getKey();
        boolean inTransaction = inTransaction(id);
        if (inTransaction) {
          expiredInTransaction.add(id);
        }
        metrics.expired();
        LOG.info("closing idle connection id={} user={} idleSeconds={} transactionRolledBack={}", id,
            connection.user().name(), idleTimeout.toSeconds(), inTransaction);
        closeQuietly(id);
      }
    }
  }

  /** Closes every connection (shutdown): their open transactions roll back. */
  void closeAll() {
    List<String> ids = List.copyOf(connections.keySet());
    int rolledBack = 0;
    for (String id : ids) {
      rolledBack += inTransaction(id) ? 1 : 0;
      closeQuietly(id);
    }
    LOG.info("closed {} connections, {} with an open transaction rolled back", ids.size(), rolledBack);
  }

  private boolean inTransaction(String id) {
    try {
      Connection c = getConnection(id);
      return Sessions.of(c.unwrap(CalciteConnection.class).getRootSchema()).transaction().isPresent();
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  private void closeQuietly(String id) {
    try {
      closeConnection(new ConnectionHandle(id));
    } catch (RuntimeException e) {
      LOG.warn("closing connection id={} failed: {}", id, e.toString());
    }
  }

  private RuntimeException expiredError(String id) {
    return ServerErrors.refuse(ServerErrors.IDLE_IN_TRANSACTION_TIMEOUT, "Connection " + id
        + " was closed by the server after " + idleTimeout.toSeconds()
        + " s idle (connectionIdleTimeout) with a transaction open, which was rolled back; open a new connection");
  }

  // ---- frames ------------------------------------------------------------------------------

  private int frameRows(int asked) {
    return asked < 0 || asked > maxRowsPerFetch ? maxRowsPerFetch : asked;
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
      PrepareCallback callback) throws NoSuchStatementException {
    return super.prepareAndExecute(h, sql, maxRowCount, frameRows(maxRowsInFirstFrame), callback);
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    return super.execute(h, parameterValues, frameRows(maxRowsInFirstFrame));
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    return super.fetch(h, offset, frameRows(fetchMaxRowCount));
  }

  /** One remote connection: its user, and when it was last busy. */
  static final class RemoteConnection {
    private final RemoteUser user;
    private int busy;
    private long lastUsed = System.nanoTime();
    private boolean expired;

    RemoteConnection(RemoteUser user) {
      this.user = user;
    }

    RemoteUser user() {
      return user;
    }

    synchronized boolean enter() {
      if (expired) {
        return false;
      }
      busy++;
      lastUsed = System.nanoTime();
      return true;
    }

    synchronized void exit() {
      busy--;
      lastUsed = System.nanoTime();
    }

    /** Marks the connection expired if it is idle past the timeout; no call can begin then. */
    synchronized boolean expireIfIdle(long now, long timeoutNanos) {
      if (!expired && busy == 0 && now - lastUsed >= timeoutNanos) {
        expired = true;
      }
      return expired;
    }
  }
}
