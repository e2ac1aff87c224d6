package io.deltasql.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;

/** H2 2.x, embedded: the default catalog, one file inside the warehouse. */
final class H2Dialect implements CatalogDialect {
  static final H2Dialect INSTANCE = new H2Dialect();

  /** H2's {@code ErrorCode.DATABASE_IS_READ_ONLY}. */
  private static final int DATABASE_IS_READ_ONLY = 90097;
  /** H2's {@code ErrorCode.LOCK_TIMEOUT_1}. */
  private static final int LOCK_TIMEOUT = 50200;

  private H2Dialect() {}

  /** Statements each session keeps parsed: more than the commit path, the mirror and snapshot reads use. */
  static final int QUERY_CACHE_SIZE = 64;

  /**
   * H2 writes committed changes to its file in the background (by default up to 500 ms
   * later), so a process killed in that window loses commits that had already returned: the
   * catalog would then be behind a mirrored {@code _delta_log}. {@code WRITE_DELAY=0} writes
   * at each commit. H2 keeps only 8 parsed statements per session by default, fewer than a
   * commit uses, so each commit parsed its SQL again: {@code QUERY_CACHE_SIZE} raises that.
   * A URL that sets either itself keeps its choice.
   */
  @Override
  public String poolUrl(String url) {
    String upper = url.toUpperCase(java.util.Locale.ROOT);
    String result = upper.contains(";WRITE_DELAY=") ? url : url + ";WRITE_DELAY=0";
    return upper.contains(";QUERY_CACHE_SIZE=") ? result : result + ";QUERY_CACHE_SIZE=" + QUERY_CACHE_SIZE;
  }

  @Override
  public String name() {
    return "h2";
  }

  @Override
  public String connectionInitSql(CatalogConfig config) {
    return "SET LOCK_TIMEOUT " + config.lockTimeout().toMillis();
  }

  /** H2 has one row lock mode; its foreign-key checks do not lock the referenced row. */
  @Override
  public String rowLockClause() {
    return "FOR UPDATE";
  }

  @Override
  public boolean transactionalDdl() {
    return false;
  }

  /**
   * Nothing to do: an embedded H2 file is opened by one process, migrations inside it are
   * serialized by {@link SchemaMigrator}, and every script statement is idempotent.
   */
  @Override
  public void lockSchemaForMigration(Connection connection) {
    // see javadoc
  }

  /** Nothing to do: H2 analyzes a table itself after enough changes (setting ANALYZE_AUTO). */
  @Override
  public void refreshStatistics(Connection connection, long fileRows) {
    // see javadoc
  }

  @Override
  public boolean isReadOnly(SQLException e) {
    return SqlStates.anyMatch(e, s -> s.getErrorCode() == DATABASE_IS_READ_ONLY);
  }

  @Override
  public boolean isLockTimeout(SQLException e) {
    return SqlStates.anyMatch(e, s -> s.getErrorCode() == LOCK_TIMEOUT);
  }
}
