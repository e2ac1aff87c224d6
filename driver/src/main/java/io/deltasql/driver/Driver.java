package io.deltasql.driver;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.txn.IsolationLevel;
import io.deltasql.planner.DeltaParserFactory;
import io.deltasql.planner.DeltaPrepare;
import io.deltasql.planner.DeltaRuntime;
import io.deltasql.planner.DeltaSession;
import io.deltasql.planner.DeltaTypeSystem;
import io.deltasql.planner.Sessions;
import io.deltasql.planner.SysSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Handler;
import org.apache.calcite.avatica.HandlerImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteSchema;

/**
 * The deltasql JDBC driver: {@code jdbc:deltasql:warehouse=PATH[;catalog=JDBC_URL]...} (see
 * {@link ConnectionProperty}). Calcite's driver with deltasql's parser, planner rules, schemas
 * and transactions.
 *
 * <p>Each connection has its own session (transaction, settings); the connections of one JVM to
 * one catalog share the catalog store, mirror, lock manager and caches, which the last
 * connection to close releases.
 */
public class Driver extends org.apache.calcite.jdbc.Driver {
  public static final String PREFIX = ConnectionUrl.PREFIX;
  static final int MAJOR = 0;
  static final int MINOR = 1;

  static {
    new Driver().register();
  }

  public Driver() {
    super(DeltaPrepare::new);
  }

  @Override
  protected String getConnectStringPrefix() {
    return PREFIX;
  }

  @Override
  protected String getFactoryClassName(JdbcVersion jdbcVersion) {
    return DeltaJdbcFactory.class.getName();
  }

  @Override
  protected DriverVersion createDriverVersion() {
    String version = Optional.ofNullable(Driver.class.getPackage().getImplementationVersion()).orElse(MAJOR + "." + MINOR);
    return new DriverVersion("deltasql JDBC Driver", version, "deltasql", version, true, MAJOR, MINOR, MAJOR, MINOR);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Properties properties = new Properties();
    properties.setProperty("quoting", "DOUBLE_QUOTE");
    properties.setProperty("quotedCasing", "UNCHANGED");
    properties.setProperty("unquotedCasing", "UNCHANGED");
    properties.setProperty("caseSensitive", "false");
    properties.setProperty("conformance", "LENIENT");
    properties.setProperty("timeZone", "UTC");
    properties.setProperty("parserFactory", DeltaParserFactory.class.getName() + "#INSTANCE");
    properties.setProperty("typeSystem", DeltaTypeSystem.class.getName() + "#INSTANCE");
    if (info != null) {
      properties.putAll(info);
    }
    try {
      return super.connect(url, properties);
    } catch (SQLException e) {
      if (e.getSQLState() != null) {
        throw e;
      }
      // Avatica's connect-string parser (an unterminated quote) gives no SQLState
      throw new SQLException("Malformed deltasql URL: " + e.getMessage(), SqlState.INVALID_PARAMETER_VALUE.code(), e);
    }
  }

  @Override
  public Meta createMeta(AvaticaConnection connection) {
    return new DeltaMeta(connection);
  }

  @Override
  protected Handler createHandler() {
    return new HandlerImpl() {
      @Override
      public void onConnectionInit(AvaticaConnection avatica) throws SQLException {
        CalciteConnection connection = (CalciteConnection) avatica;
        try {
          ConnectionUrl url = ConnectionUrl.of(connection.getProperties());
          IsolationLevel level = isolation(url); // refused before the runtime opens (and creates a catalog)
          DeltaRuntime runtime = Runtimes.acquire(url);
          try {
            String schema = url.get(ConnectionProperty.SCHEMA).orElse(DeltaSession.DEFAULT_SCHEMA);
            DeltaSession session = new DeltaSession(runtime, schema, level);
            session.setAllowedLocations(url.allowedLocations());
            session.setVacuumRetentionCheck(url.flag(ConnectionProperty.VACUUM_RETENTION_CHECK));
            session.setReadOnly(url.flag(ConnectionProperty.READ_ONLY));
            url.get(ConnectionProperty.LOCK_TIMEOUT).ifPresent(ms -> session.setLockTimeout(lockTimeout(ms)));
            CalciteSchema root = CalciteSchema.from(connection.getRootSchema());
            root.removeSubSchema("metadata"); // Calcite's own; sys and DatabaseMetaData say more
            root.add(SysSchema.NAME, new SysSchema(session));
            DeltaPrepare.attachSchemas(session, root);
            connection.setSchema(schema);
          } catch (RuntimeException | SQLException e) {
            Runtimes.release(runtime);
            throw e;
          }
        } catch (IllegalArgumentException e) {
          throw new SQLException("Invalid deltasql URL property: " + e.getMessage(), "22023", e);
        } catch (DeltaException e) {
          throw JdbcErrors.toSqlException(e);
        }
      }

      @Override
      public void onConnectionClose(AvaticaConnection avatica) {
        CalciteConnection connection = (CalciteConnection) avatica;
        DeltaSession session;
        try {
          session = Sessions.of(connection.getRootSchema());
        } catch (DeltaException e) {
          return;
        }
        try {
          session.close();
        } finally {
          Runtimes.release(session.runtime());
        }
      }
    };
  }

  /** The URL's default isolation level; READ_COMMITTED and "read committed" alike. @throws DeltaException 22023 naming the property */
  private static IsolationLevel isolation(ConnectionUrl url) {
    String given = url.get(ConnectionProperty.ISOLATION).orElseThrow();
    try {
      return IsolationLevel.fromSqlName(given);
    } catch (DeltaException e) {
      throw new DeltaException(e.state(), "URL property " + ConnectionProperty.ISOLATION.key() + ": " + e.getMessage(), e);
    }
  }

  /** The URL's lock timeout, in milliseconds. @throws IllegalArgumentException if it is none (22023) */
  private static Duration lockTimeout(String value) {
    try {
      long ms = Long.parseLong(value.trim());
      if (ms >= 0) {
        return Duration.ofMillis(ms);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(ConnectionProperty.LOCK_TIMEOUT.key() + "='" + value
        + "' must be a number of milliseconds, 0 or more");
  }
}
