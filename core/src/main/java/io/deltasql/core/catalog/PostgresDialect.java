package io.deltasql.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.postgresql.PGStatement;

/** PostgreSQL: the catalog for several hosts and writers. */
final class PostgresDialect implements CatalogDialect {
  static final PostgresDialect INSTANCE = new PostgresDialect();

  /** First key of the advisory lock that serializes migrations ("DELT"). */
  private static final int MIGRATION_LOCK_CLASS = 0x44454c54;
  private static final String LOCK_MIGRATION = "SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))";
  /** Rows of the file table as of its last ANALYZE; -1 (0 before PostgreSQL 14) if never analyzed. */
  private static final String FILE_ROWS_ESTIMATE = "SELECT reltuples FROM pg_class WHERE oid = to_regclass('delta_files')";
  private static final String ANALYZE_FILES = "ANALYZE delta_files";
  /** Autovacuum's own rule, applied at once: analyze when 10 % of the table changed. */
  private static final double CHANGED_FRACTION = 0.1;

  private PostgresDialect() {}

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String connectionInitSql(CatalogConfig config) {
    return "SET lock_timeout = " + config.lockTimeout().toMillis();
  }

  /**
   * The lock an {@code UPDATE} that changes no key takes: it conflicts with the commit's
   * compare-and-set and with itself, but not with the {@code FOR KEY SHARE} lock that the
   * foreign-key check of every inserted version, file and mirror row takes on the table row.
   */
  @Override
  public String rowLockClause() {
    return "FOR NO KEY UPDATE";
  }

  /**
   * {@code reWriteBatchedInserts}: pgjdbc sends a batch of inserts as multi-row
   * {@code INSERT}s instead of one statement per row, several times faster for the file
   * rows of a large commit. Nothing reads the per-row counts of a batch.
   */
  @Override
  public Map<String, String> driverProperties() {
    return Map.of("reWriteBatchedInserts", "true");
  }

  /** pgjdbc sends the statements of a multi-statement prepared statement with one sync. */
  @Override
  public boolean pipelinesStatements() {
    return true;
  }

  @Override
  public boolean transactionalDdl() {
    return true;
  }

  /** A transaction-scoped advisory lock per catalog schema: concurrent openers wait. */
  @Override
  public void lockSchemaForMigration(Connection connection) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(LOCK_MIGRATION)) {
      ps.setInt(1, MIGRATION_LOCK_CLASS);
      ps.execute();
    }
  }

  /**
   * Analyzes {@code delta_files} when it was never analyzed or this write grew it by more
   * than a tenth. Autovacuum would do the same, but up to a minute later.
   */
  @Override
  public void refreshStatistics(Connection connection, long fileRows) throws SQLException {
    double estimate;
    try (PreparedStatement ps = connection.prepareStatement(FILE_ROWS_ESTIMATE); ResultSet rs = ps.executeQuery()) {
      estimate = rs.next() ? rs.getDouble(1) : 0;
    }
    if (estimate <= 0 || fileRows > CHANGED_FRACTION * estimate) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(ANALYZE_FILES);
      }
      connection.commit();
    }
  }

  /**
   * {@code ANALYZE delta_files} inside the transaction: PostgreSQL's sample includes the rows
   * the transaction itself inserted, so the plans of its next statements see them.
   */
  @Override
  public void refreshStatisticsWithin(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(ANALYZE_FILES);
    }
  }

  /**
   * pgjdbc receives {@code bytea} as hex text (twice the bytes, decoded on the client) until a
   * statement has run five times on a connection (its {@code prepareThreshold}); a negative
   * threshold makes it binary from the first execution.
   */
  @Override
  public void receiveBinary(PreparedStatement statement) throws SQLException {
    if (statement.isWrapperFor(PGStatement.class)) {
      statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
    }
  }

  @Override
  public boolean isReadOnly(SQLException e) {
    return SqlStates.anyMatch(e, s -> SqlStates.READ_ONLY.equals(s.getSQLState()));
  }

  @Override
  public boolean isLockTimeout(SQLException e) {
    return SqlStates.anyMatch(e, s -> SqlStates.LOCK_NOT_AVAILABLE.equals(s.getSQLState()));
  }
}
