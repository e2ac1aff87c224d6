package io.deltasql.core.catalog;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * What differs between the databases that can hold a catalog. The SQL itself is the same
 * (standard SQL through {@code PreparedStatement}s); the DDL differs only in its own
 * per-dialect scripts, found under {@code io/deltasql/core/catalog/<name>/V<n>.sql}.
 */
public interface CatalogDialect {

  /** Short name, also the folder of the dialect's DDL scripts: {@code h2}, {@code postgresql}. */
  String name();

  /** SQL run on every new catalog connection (the row-lock wait limit). */
  String connectionInitSql(CatalogConfig config);

  /**
   * The URL the pool connects with: the configured one, plus whatever this database needs
   * for a returned commit to survive the process being killed, and for the catalog's
   * statements not to be parsed again on every commit.
   */
  default String poolUrl(String url) {
    return url;
  }

  /**
   * The locking clause that makes a {@code SELECT} of {@code delta_tables} rows hold them
   * exclusively until the transaction ends, as the compare-and-set {@code UPDATE} of a
   * commit does (so that the two exclude each other) without blocking the foreign-key
   * checks of rows inserted for the table.
   */
  String rowLockClause();

  /**
   * JDBC driver properties the pool connects with, for throughput (how batches are sent);
   * a parameter of the same name in the catalog URL wins.
   */
  default Map<String, String> driverProperties() {
    return Map.of();
  }

  /** Whether DDL runs inside a transaction (so a migration is all or nothing). */
  boolean transactionalDdl();

  /**
   * Whether one prepared statement may hold several SQL statements that the driver sends in
   * one round trip (pgjdbc): a small commit's writes then go together. Default: no.
   */
  default boolean pipelinesStatements() {
    return false;
  }

  /**
   * Asks the driver to receive binary columns of {@code statement} (a file image's chunks) as
   * bytes from its first execution. Default: nothing to ask.
   */
  default void receiveBinary(PreparedStatement statement) throws SQLException {}

  /**
   * Serializes schema migrations of this catalog across processes, until the current
   * transaction ends. A no-op where one process owns the database.
   */
  void lockSchemaForMigration(Connection connection) throws SQLException;

  /**
   * Brings the planner's statistics of the file table up to date after {@code fileRows}
   * file rows were written, if that changed the table noticeably: right after a bulk import
   * a planner without statistics can pick an index that walks every active file for each
   * file a commit adds or removes. Runs outside any catalog transaction, after a commit.
   */
  void refreshStatistics(Connection connection, long fileRows) throws SQLException;

  /**
   * Brings the file table's statistics up to date inside a catalog transaction that has
   * written many file rows and goes on writing (an import), counting its own uncommitted rows.
   * Does not commit. Default: nothing (the database keeps them current itself).
   */
  default void refreshStatisticsWithin(Connection connection) throws SQLException {
    // see javadoc
  }

  /** Whether the failure means the catalog database (or session) is read-only. */
  boolean isReadOnly(SQLException e);

  /** Whether the failure is a row or table lock wait that timed out. */
  boolean isLockTimeout(SQLException e);

  /** The dialect of a catalog JDBC URL. */
  static CatalogDialect forUrl(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      return H2Dialect.INSTANCE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return PostgresDialect.INSTANCE;
    }
    int colon = jdbcUrl.indexOf(':', "jdbc:".length());
    String prefix = colon > 0 ? jdbcUrl.substring(0, colon + 1) : jdbcUrl;
    throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED, "Catalog databases of type '" + prefix
        + "' are not supported: use a jdbc:h2: or jdbc:postgresql: URL for the catalog");
  }
}
