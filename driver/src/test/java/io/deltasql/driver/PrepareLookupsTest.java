package io.deltasql.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Preparing a statement looks its table up in the catalog a bounded number of times (H2's
 * {@code QUERY_STATISTICS} around the preparation), not at each of the planner's lookups.
 */
class PrepareLookupsTest {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareLookupsTest.class);

  @TempDir
  Path warehouse;

  /** Executions of catalog statements that find a table by its name while {@code sql} is prepared. */
  private static long lookupsByName(Connection c, CatalogFixture catalog, String sql) throws SQLException {
    return catalogExecutions(catalog, () -> c.prepareStatement(sql).close(),
        statement -> statement.contains("delta_tables") && statement.contains("table_name = ?"));
  }

  /** An action of the connection under test. */
  private interface Action {
    void run() throws SQLException;
  }

  /** Executions, during {@code action}, of the catalog statements whose lower-cased text {@code counted} accepts. */
  private static long catalogExecutions(CatalogFixture catalog, Action action,
      java.util.function.Predicate<String> counted) throws SQLException {
    try (Connection raw = catalog.rawConnection(); Statement s = raw.createStatement()) {
      s.execute("SET QUERY_STATISTICS TRUE");
      s.execute("SET QUERY_STATISTICS FALSE");
      s.execute("SET QUERY_STATISTICS TRUE"); // cleared: only what follows is counted
      action.run();
      long executions = 0;
      try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT, EXECUTION_COUNT FROM "
          + "INFORMATION_SCHEMA.QUERY_STATISTICS")) {
        while (rs.next()) {
          String statement = rs.getString(1).toLowerCase(java.util.Locale.ROOT);
          if (counted.test(statement)) {
            LOG.info("{} x {}", rs.getLong(2), rs.getString(1));
            executions += rs.getLong(2);
          }
        }
      }
      s.execute("SET QUERY_STATISTICS FALSE");
      return executions;
    }
  }

  private Connection connect(CatalogFixture catalog) throws SQLException {
    return DriverManager.getConnection("jdbc:deltasql:warehouse=" + warehouse + ";catalog='" + catalog.url() + "'");
  }

  @Test
  void transactionControlListsNoSchemas() throws SQLException {
    try (CatalogFixture catalog = CatalogBackend.H2.fresh("lookups-txn");
        Connection c = connect(catalog);
        Statement s = c.createStatement()) {
      s.execute("create table t (id int)");
      java.util.function.Predicate<String> schemaListing = statement -> statement.contains("from delta_schemas");
      assertTrue(catalogExecutions(catalog, () -> s.executeQuery("select count(*) from t").close(), schemaListing) > 0,
          "a query lists the schemas (the check below can see a listing)");
      long listings = catalogExecutions(catalog, () -> {
        s.execute("begin multi");
        s.executeUpdate("insert into t values (1)");
        s.execute("commit");
        s.execute("begin multi");
        s.executeUpdate("insert into t values (2)");
        s.execute("rollback");
      }, schemaListing);
      assertEquals(2, listings, "one listing for each INSERT, none for BEGIN MULTI, COMMIT, ROLLBACK");
      assertEquals(List.of("1"), Rows.of(s, "select id from t"));
    }
  }

  @Test
  void tableLookupsWhilePreparingAreBounded() throws SQLException {
    try (CatalogFixture catalog = CatalogBackend.H2.fresh("lookups");
        Connection c = connect(catalog);
        Statement s = c.createStatement()) {
      s.execute("create table t (id int, name string)");
      s.executeUpdate("insert into t values (1, 'a'), (2, 'b')");
      c.prepareStatement("update t set name = ? where id = ?").close(); // warm
      for (String sql : List.of("insert into t values (?, ?)", "update t set name = ? where id = ?",
          "select name from t where id = ?")) {
        long lookups = lookupsByName(c, catalog, sql);
        // The planner's own lookups are remembered for the preparation; an INSERT still shows two
        // executions of the by-name lookup (the second's caller is not yet identified).
        assertTrue(lookups <= 2, sql + ": " + lookups + " catalog lookups of t by name");
      }
      try (PreparedStatement p = c.prepareStatement("update t set name = ? where id = ?")) {
        p.setString(1, "z");
        p.setInt(2, 2);
        assertEquals(1, p.executeUpdate());
      }
      assertEquals(List.of("1|a", "2|z"), Rows.of(s, "select id, name from t order by id"));
    }
  }
}
