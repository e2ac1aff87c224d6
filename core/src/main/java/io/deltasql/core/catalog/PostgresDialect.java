package io.deltasql.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** PostgreSQL: the catalog for several hosts and writers. */
final class PostgresDialect implements CatalogDialect {
  static final PostgresDialect INSTANCE = new PostgresDialect();

  /** First key of the advisory lock that serializes migrations ("DELT"). */
  private static final int MIGRATION_LOCK_CLASS = 0x44454c54;
  private static final String LOCK_MIGRATION = "SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))";

  private PostgresDialect() {}

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String connectionInitSql(CatalogConfig config) {
    return "SET lock_timeout = " + config.lockTimeout().toMillis();
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

  @Override
  public boolean isReadOnly(SQLException e) {
    return SqlStates.anyMatch(e, s -> SqlStates.READ_ONLY.equals(s.getSQLState()));
  }

  @Override
  public boolean isLockTimeout(SQLException e) {
    return SqlStates.anyMatch(e, s -> SqlStates.LOCK_NOT_AVAILABLE.equals(s.getSQLState()));
  }
}
