package io.deltasql.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
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

  /** The data files under the warehouse (not the {@code _delta_log} checkpoints). */
  private long dataFiles() throws IOException {
    try (Stream<Path> files = Files.walk(warehouse)) {
      return files.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log")).count();
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

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void insertBatchWritesOneFilePerPartition(CatalogBackend backend) throws SQLException, IOException {
    try (CatalogFixture catalog = backend.fresh("batchfiles");
        Connection c = DriverManager.getConnection(url(warehouse, catalog)); Statement s = c.createStatement()) {
      s.execute("create table t (id int not null, name string, part int) partitioned by (part)");
      long before = version(s);
      try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?, ?)")) {
        for (int i = 1; i <= 10; i++) {
          p.setInt(1, i);
          p.setString(2, "n" + i);
          p.setInt(3, i % 2);
          p.addBatch();
        }
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, p.executeBatch());
      }
      assertEquals(before + 1, version(s), () -> "one new version for the batch: " + history(s));
      assertEquals(2, dataFiles(), "ten parameter sets in two partitions: two files, not ten");
      assertEquals(List.of("0|5|30", "1|5|25"),
          Rows.of(s, "select part, count(*), sum(id) from t group by part order by part"));

      s.execute("begin multi");
      try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?, 7)")) {
        addRows(p, 11, 13);
        assertArrayEquals(new int[] {1, 1, 1}, p.executeBatch());
      }
      assertEquals(List.of("3"), Rows.of(s, "select count(*) from t where part = 7"),
          "the transaction reads the batch's rows as soon as the batch returns");
      s.execute("commit");
      assertEquals(3, dataFiles(), "the batch inside a transaction: one file");
      assertEquals(List.of("13|91"), Rows.of(s, "select count(*), sum(id) from t"));
    }
  }

  /** A batch whose statement reads the table is not held: each set sees the sets before it. */
  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void batchReadingTheTableSeesItsEarlierSets(CatalogBackend backend) throws SQLException {
    try (CatalogFixture catalog = backend.fresh("batchreads");
        Connection c = DriverManager.getConnection(url(warehouse, catalog)); Statement s = c.createStatement()) {
      s.execute("create table t (id int not null, name string)");
      s.executeUpdate("insert into t values (1, 'a')");
      try (PreparedStatement p = c.prepareStatement("insert into t select id + 1, name from t where id = ?")) {
        for (int i = 1; i <= 3; i++) {
          p.setInt(1, i);
          p.addBatch();
        }
        assertArrayEquals(new int[] {1, 1, 1}, p.executeBatch(), "set 2 copies the row set 1 wrote, set 3 set 2's");
      }
      assertEquals(List.of("1|a", "2|a", "3|a", "4|a"), Rows.of(s, "select id, name from t order by id"));
    }
  }

  /** Inside a transaction a failing set leaves the sets before it staged, as without holding the rows. */
  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void failingSetInsideATransactionKeepsTheSetsBeforeIt(CatalogBackend backend) throws SQLException {
    try (CatalogFixture catalog = backend.fresh("batchtxfail");
        Connection c = DriverManager.getConnection(url(warehouse, catalog)); Statement s = c.createStatement()) {
      s.execute("create table t (id int not null, name string)");
      long before = version(s);
      s.execute("begin multi");
      try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?)")) {
        addRows(p, 1, 2);
        p.setString(1, "three"); // not an integer
        p.setString(2, "n3");
        p.addBatch();
        BatchUpdateException e = assertThrows(BatchUpdateException.class, p::executeBatch);
        assertEquals("22018", e.getSQLState(), e.getMessage());
        assertEquals(2, e.getUpdateCounts().length, e.getMessage());
      }
      assertEquals(List.of("2"), Rows.of(s, "select count(*) from t"), "the two sets before the failing one");
      s.execute("commit");
      assertEquals(before + 1, version(s), () -> history(s));
      assertEquals(List.of("2|3"), Rows.of(s, "select count(*), sum(id) from t"));
    }
  }
}
