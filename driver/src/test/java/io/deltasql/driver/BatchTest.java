package io.deltasql.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code executeBatch} of a prepared INSERT, on an H2 and a PostgreSQL catalog: in auto-commit
 * the batch is one transaction (one new version holding every parameter set, or nothing);
 * inside a transaction it stages like any statement.
 */
class BatchTest {
  @TempDir
  Path warehouse;

  private static String url(Path warehouse, CatalogFixture catalog) {
    return "jdbc:deltasql:warehouse=" + warehouse + ";catalog='" + catalog.url() + "'";
  }

  private static long version(Statement s) throws SQLException {
    return Long.parseLong(Rows.of(s, "describe history t").get(0).split("\\|")[0]);
  }

  /** The table's history, for failure messages. */
  private static String history(Statement s) {
    try {
      return String.join(", ", Rows.of(s, "describe history t"));
    } catch (SQLException e) {
      return "(history unreadable: " + e.getMessage() + ")";
    }
  }

  /** Binds and adds rows {@code from..to} ({@code id}, {@code 'n' + id}). */
  private static void addRows(PreparedStatement p, int from, int to) throws SQLException {
    for (int i = from; i <= to; i++) {
      p.setInt(1, i);
      p.setString(2, "n" + i);
      p.addBatch();
    }
  }

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void batchInAutoCommitIsOneVersion(CatalogBackend backend) throws SQLException {
    try (CatalogFixture catalog = backend.fresh("batch");
        Connection c = DriverManager.getConnection(url(warehouse, catalog)); Statement s = c.createStatement()) {
      s.execute("create table t (id int not null, name string)");
      long before = version(s);
      try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?)")) {
        addRows(p, 1, 10);
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, p.executeBatch());
      }
      assertEquals(before + 1, version(s), () -> "one new version for the batch: " + history(s));
      assertEquals(List.of("10|55"), Rows.of(s, "select count(*), sum(id) from t"));
      assertTrue(c.getAutoCommit(), "still in auto-commit after the batch");
      s.executeUpdate("insert into t values (11, 'n11')");
      assertEquals(before + 2, version(s), "a statement after the batch commits on its own");
    }
  }

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void failingSetCommitsNothingOfTheBatch(CatalogBackend backend) throws SQLException {
    try (CatalogFixture catalog = backend.fresh("batchfail");
        Connection c = DriverManager.getConnection(url(warehouse, catalog)); Statement s = c.createStatement()) {
      s.execute("create table t (id int not null, name string)");
      long before = version(s);
      try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?)")) {
        addRows(p, 1, 4);
        p.setString(1, "five"); // not an integer
        p.setString(2, "n5");
        p.addBatch();
        addRows(p, 6, 10);
        BatchUpdateException e = assertThrows(BatchUpdateException.class, p::executeBatch);
        assertEquals("22018", e.getSQLState(), e.getMessage()); // text for an INT parameter
        assertEquals(4, e.getUpdateCounts().length, "the sets before the failing one: " + e.getMessage());
        assertTrue(e.getMessage().contains("parameter set 5 of 10") && e.getMessage().contains("none of its sets"),
            e.getMessage());
      }
      assertEquals(before, version(s), () -> "no new version: " + history(s));
      assertEquals(List.of("0"), Rows.of(s, "select count(*) from t"));
      assertTrue(c.getAutoCommit());
      try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?)")) {
        addRows(p, 1, 1);
        assertArrayEquals(new int[] {1}, p.executeBatch(), "the connection is usable after a failed batch");
      }
      assertEquals(before + 1, version(s));
    }
  }

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void batchInsideATransactionStagesUntilItEnds(CatalogBackend backend) throws SQLException {
    try (CatalogFixture catalog = backend.fresh("batchtx");
        Connection c = DriverManager.getConnection(url(warehouse, catalog)); Statement s = c.createStatement()) {
      s.execute("create table t (id int not null, name string)");
      long before = version(s);
      s.execute("begin multi");
      try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?)")) {
        addRows(p, 1, 3);
        assertArrayEquals(new int[] {1, 1, 1}, p.executeBatch());
      }
      assertEquals(List.of("3"), Rows.of(s, "select count(*) from t"), "the transaction reads its own writes");
      s.execute("rollback");
      assertEquals(before, version(s), () -> "nothing committed: " + history(s));
      assertEquals(List.of("0"), Rows.of(s, "select count(*) from t"));

      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?)")) {
        addRows(p, 1, 2);
        p.executeBatch();
      }
      s.executeUpdate("insert into t values (3, 'z')");
      c.commit();
      assertFalse(c.getAutoCommit());
      assertEquals(before + 1, version(s), "batch and statement in one transaction: one version");
      assertEquals(List.of("3"), Rows.of(s, "select count(*) from t"));
    }
  }
}
