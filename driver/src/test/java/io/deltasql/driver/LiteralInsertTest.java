package io.deltasql.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code INSERT … VALUES} of literals that fit their columns is prepared without Calcite's
 * planning ({@code io.deltasql.planner.LiteralInsert}): every statement here runs once that way
 * and once planned (the shortcut turned off by its system property) into a twin table, and both
 * tables, update counts and errors must be the same; the meter says which statements took the
 * shortcut.
 */
class LiteralInsertTest {
  private static final String SWITCH = "deltasql.planner.literalInserts";
  private static final String COLUMNS = "(i int, l bigint, s smallint, b tinyint, d double, m decimal(10,2),"
      + " str string, flag boolean, dt date, r real, ts timestamp, p string)";

  @TempDir
  Path warehouse;

  /** A statement on table {@code T}, and whether it should take the shortcut. */
  private record Case(String sql, boolean shortcut) {}

  private static final List<Case> CASES = List.of(
      new Case("insert into T values (1, -2, 3, -4, 1.5, 2.25, 'x', true, date '2024-01-02', null, null, 'a')", true),
      new Case("insert into T (str, i, p) values ('only two', 7, 'b')", true),
      new Case("insert into T (p, i, d) values ('a', 10, 1e3), ('b', 11, -0.125), ('a', 12, 7)", true),
      new Case("insert into T (l, m, flag) values (9223372036854775807, -99999999.99, false)", true),
      new Case("insert into T (str, p) values ('it''s', 'c'), ('', 'c'), ('ünï ', null)", true),
      new Case("insert into T (i, s, b) values (-2147483648, 32767, 127)", true),
      new Case("insert into \"default\".T (i, m) values (20, 5)", true),
      new Case("insert into T (i) values (null)", true),
      new Case("insert into T (dt, p) values (date '1969-12-31', 'd'), (date '2400-02-29', 'd')", true),
      // planned, as before: the value needs a cast or rounding, or is no literal
      new Case("insert into T (i) values (1.5)", false),
      new Case("insert into T (i) values ('7')", false),
      new Case("insert into T (m) values (1.234)", false),
      new Case("insert into T (r) values (1.1)", false),
      new Case("insert into T (dt) values ('2024-03-04')", false),
      new Case("insert into T (ts) values (timestamp '2024-01-01 10:00:00')", false),
      new Case("insert into T (i, str) values (1 + 2, upper('x'))", false),
      new Case("insert into T (d) values (1e400)", false),
      new Case("insert into T (flag) values (unknown)", false),
      new Case("insert into T (s) values (1), (2.5)", false),
      // errors, from the planner as before
      new Case("insert into T (i) values (3000000000)", false),
      new Case("insert into T (b) values (128)", false),
      new Case("insert into T (m) values (123456789.5)", false),
      new Case("insert into T (nosuch) values (1)", false),
      new Case("insert into T (i, i) values (1, 2)", false),
      new Case("insert into T values (1, 2)", false),
      new Case("insert into T (i) values (1, 2)", false),
      new Case("insert into T (dt) values (date '2024-13-45')", false),
      new Case("insert into NOSUCH values (1)", false));

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void literalInsertsWithoutPlanningEqualThePlannedOnes(CatalogBackend backend) throws SQLException {
    try (CatalogFixture catalog = backend.fresh("literal");
        Connection c = connect(catalog); Statement s = c.createStatement()) {
      for (String t : List.of("tfast", "tplan")) {
        s.execute("create table " + t + " " + COLUMNS + " partitioned by (p)");
      }
      for (Case x : CASES) {
        double before = meter(s);
        String fast = run(s, x.sql().replace(" T ", " tfast ").replace(".T ", ".tfast "));
        assertEquals(x.shortcut() ? before + 1 : before, meter(s), "shortcut taken by " + x.sql());
        String planned;
        System.setProperty(SWITCH, "false");
        try {
          planned = run(s, x.sql().replace(" T ", " tplan ").replace(".T ", ".tplan "));
          assertEquals(x.shortcut() ? before + 1 : before, meter(s), "no shortcut when off: " + x.sql());
        } finally {
          System.clearProperty(SWITCH);
        }
        assertEquals(planned.replace("TPLAN", "TFAST").replace("tplan", "tfast"), fast, x.sql());
      }
      List<String> fastRows = rows(s, "select * from tfast");
      List<String> plannedRows = rows(s, "select * from tplan");
      fastRows.sort(null);
      plannedRows.sort(null);
      assertTrue(fastRows.size() >= 20, "rows: " + fastRows);
      assertEquals(plannedRows, fastRows);
      assertEquals(rows(s, "select p, count(*) from tplan group by p order by p"),
          rows(s, "select p, count(*) from tfast group by p order by p"));
    }
  }

  @Test
  void aNotNullColumnWithoutAValueIsRefusedAsBefore() throws SQLException {
    try (CatalogFixture catalog = CatalogBackend.H2.fresh("literal-nn");
        Connection c = connect(catalog); Statement s = c.createStatement()) {
      s.execute("create table n (id int not null, v string)");
      double before = meter(s);
      String missing = run(s, "insert into n (v) values ('a')");
      String nullValue = run(s, "insert into n values (null, 'a')");
      assertEquals(before, meter(s), "both planned");
      assertTrue(missing.startsWith("error"), missing);
      assertTrue(nullValue.startsWith("error"), nullValue);
      assertEquals("1", run(s, "insert into n values (1, null)"));
      assertEquals(before + 1, meter(s));
      assertEquals(List.of("1|null"), rows(s, "select * from n"));
    }
  }

  @Test
  void aShortcutInsertTakesPartInTransactionsAndBatches() throws SQLException {
    try (CatalogFixture catalog = CatalogBackend.H2.fresh("literal-txn");
        Connection c = connect(catalog); Statement s = c.createStatement()) {
      s.execute("create table a (id int, v string)");
      s.execute("create table b (id int, v string)");
      double before = meter(s);
      s.execute("begin multi");
      s.executeUpdate("insert into a values (1, 'one')");
      s.executeUpdate("insert into b values (2, 'two')");
      assertEquals(List.of("1|one"), rows(s, "select * from a"), "the transaction reads its own insert");
      s.execute("rollback");
      assertEquals(List.of(), rows(s, "select * from a"));
      assertEquals(List.of(), rows(s, "select * from b"));
      s.execute("begin multi");
      s.executeUpdate("insert into a values (3, 'three')");
      s.executeUpdate("insert into b values (4, 'four')");
      s.execute("commit");
      assertEquals(List.of("3|three"), rows(s, "select * from a"));
      assertEquals(List.of("4|four"), rows(s, "select * from b"));
      long versions = count(s, "select count(*) from sys.history where table_name = 'a'");
      s.addBatch("insert into a values (5, 'five')");
      s.addBatch("insert into a values (6, 'six'), (7, 'seven')");
      assertArrayEquals(new int[] {1, 2}, s.executeBatch());
      assertEquals(versions + 2, count(s, "select count(*) from sys.history where table_name = 'a'"),
          "a Statement's batch: a commit a statement, as for planned statements");
      assertEquals(List.of("3|three", "5|five", "6|six", "7|seven"), rows(s, "select * from a order by id"));
      assertEquals(before + 6, meter(s));
    }
  }

  @Test
  void aShortcutInsertOnAReadOnlyConnectionIsRefusedAsBefore() throws SQLException {
    try (CatalogFixture catalog = CatalogBackend.H2.fresh("literal-ro")) {
      Path dir = newWarehouse();
      try (Connection c = connect(catalog, dir, ""); Statement s = c.createStatement()) {
        s.execute("create table t (id int)");
      }
      try (Connection ro = connect(catalog, dir, ";readOnly=true"); Statement s = ro.createStatement()) {
        double before = meter(s);
        String refused = run(s, "insert into t values (1)");
        assertEquals(before + 1, meter(s), "the shortcut was taken");
        System.setProperty(SWITCH, "false");
        String planned;
        try {
          planned = run(s, "insert into t values (1)");
        } finally {
          System.clearProperty(SWITCH);
        }
        assertTrue(refused.startsWith("error 25006 "), refused);
        assertEquals(planned, refused);
        assertEquals(List.of(), rows(s, "select * from t"));
      }
    }
  }

  private Connection connect(CatalogFixture catalog) throws SQLException {
    return connect(catalog, newWarehouse(), "");
  }

  /** A connection to the warehouse {@code dir} on {@code catalog}, with more URL {@code properties} ({@code ;k=v}). */
  private static Connection connect(CatalogFixture catalog, Path dir, String properties) throws SQLException {
    return DriverManager.getConnection("jdbc:deltasql:warehouse=" + dir + properties + ";catalog='" + catalog.url()
        + "'");
  }

  private Path newWarehouse() {
    try {
      return Files.createTempDirectory(warehouse, "w");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The update count, or "error SQLSTATE message". */
  private static String run(Statement s, String sql) {
    try {
      return Integer.toString(s.executeUpdate(sql));
    } catch (SQLException e) {
      return "error " + e.getSQLState() + " " + e.getMessage();
    }
  }

  private static double meter(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("select sum(\"value\") from sys.metrics where name = "
        + "'deltasql.planner.literal.inserts' and statistic = 'COUNT'")) {
      rs.next();
      return rs.getDouble(1);
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(row.toString());
      }
    }
    return out;
  }
}
