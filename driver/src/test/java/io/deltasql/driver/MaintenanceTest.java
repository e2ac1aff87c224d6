package io.deltasql.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time travel, OPTIMIZE, VACUUM, CHECKPOINT, CALL reconcile/verify and the sys tables of transactions. */
class MaintenanceTest {
  @TempDir
  Path warehouse;

  private Connection connect(String extra) throws SQLException {
    return DriverManager.getConnection("jdbc:deltasql:warehouse=" + warehouse + extra);
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    return Rows.of(s, sql);
  }

  private static long dataFiles(Path table) throws Exception {
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).count();
    }
  }

  @Test
  void timeTravel() throws SQLException {
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.execute("create table t (x int)");
      s.executeUpdate("insert into t values (1)");
      s.executeUpdate("insert into t values (2)");
      s.executeUpdate("delete from t where x = 1");
      assertEquals(List.of("2"), rows(s, "select x from t"));
      assertEquals(List.of("1"), rows(s, "select x from t version as of 1"));
      assertEquals(List.of("1", "2"), rows(s, "select x from t version as of 2 order by x"));
      assertEquals(List.of("1|1"), rows(s, "select a.x, b.x from t version as of 1 a join t version as of 2 b on a.x = b.x"));
      String v2 = rows(s, "select \"timestamp\" from sys.history where table_name = 't' and version = 2").get(0);
      assertEquals(List.of("1", "2"), rows(s, "select x from t timestamp as of '" + v2 + "' order by x"));
      assertEquals(List.of("1", "2"), rows(s, "select x from t for system_time as of timestamp '" + v2 + "' order by x"));
      SQLException e = assertThrows(SQLException.class, () -> rows(s, "select x from t version as of 9"));
      assertEquals("22023", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("versions 0 to 3"), e.getMessage());
      e = assertThrows(SQLException.class, () -> rows(s, "select x from t timestamp as of '1999-01-01'"));
      assertTrue(e.getSQLState().startsWith("22"), e.getSQLState() + " " + e.getMessage());
      e = assertThrows(SQLException.class, () -> rows(s, "select x from t timestamp as of 'yesterday'"));
      assertEquals("22007", e.getSQLState(), e.getMessage());
    }
  }

  @Test
  void optimizeVacuumCheckpoint() throws Exception {
    try (Connection c = connect(";vacuumRetentionCheck=false"); Statement s = c.createStatement()) {
      s.execute("create table t (x int, p string) partitioned by (p)");
      for (int i = 0; i < 4; i++) {
        s.executeUpdate("insert into t values (" + i + ", 'a'), (" + (10 + i) + ", 'b')");
      }
      Path table = warehouse.resolve("default").resolve("t");
      assertEquals(8, dataFiles(table));
      List<String> optimized = rows(s, "optimize t where p = 'a'");
      assertEquals(List.of("default.t|5|4|1"), optimized.stream().map(r -> String.join("|",
          List.of(r.split("\\|")).subList(0, 4))).toList());
      assertEquals(List.of("4"), rows(s, "select count(*) from sys.files where table_name = 't'"
          + " and partition_values like '%b%'"));
      assertEquals(List.of("1"), rows(s, "select count(*) from sys.files where table_name = 't'"
          + " and partition_values like '%a%'"));
      assertEquals(List.of("0", "1", "2", "3", "10", "11", "12", "13"), rows(s, "select x from t order by x"));
      assertEquals(List.of("OPTIMIZE"), rows(s, "select operation from sys.history where table_name = 't' and version = 5"));

      SQLException e;
      try (Connection strict = connect(""); Statement st = strict.createStatement()) {
        e = assertThrows(SQLException.class, () -> rows(st, "vacuum t retain 0 hours"));
        assertEquals("22023", e.getSQLState(), e.getMessage());
      }
      assertEquals(List.of(), rows(s, "vacuum t dry run"), "nothing older than the default retention");
      assertEquals(4, rows(s, "vacuum t retain 0 hours dry run").size(), "the four compacted files");
      assertEquals(9, dataFiles(table), "dry run deletes nothing");
      assertEquals(4, rows(s, "vacuum t retain 0 hours").size());
      assertEquals(5, dataFiles(table));
      e = assertThrows(SQLException.class, () -> rows(s, "select x from t version as of 1"));
      assertEquals("58030", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("version 1 of table default.t") && e.getMessage().contains("VACUUM"),
          "a version whose files VACUUM deleted: " + e.getMessage());
      assertEquals(List.of("0", "1", "2", "3", "10", "11", "12", "13"), rows(s, "select x from t order by x"));

      s.execute("checkpoint t");
      assertTrue(Files.exists(table.resolve("_delta_log").resolve("00000000000000000005.checkpoint.parquet")));
      assertTrue(Files.exists(table.resolve("_delta_log").resolve("_last_checkpoint")));
      assertEquals(List.of(), rows(s, "call verify('t')"), "catalog and log agree");
      assertFalse(rows(s, "call reconcile()").stream().anyMatch(r -> r.contains("true")), "nothing diverged");

      Files.delete(table.resolve("_delta_log").resolve("00000000000000000003.json"));
      List<String> findings = rows(s, "call verify('t')");
      assertFalse(findings.isEmpty());
      assertTrue(findings.get(0).startsWith("default.t|"), findings.toString());
      e = assertThrows(SQLException.class, () -> rows(s, "call nope()"));
      assertEquals("42883", e.getSQLState(), e.getMessage());
      e = assertThrows(SQLException.class, () -> rows(s, "optimize t where x = 1"));
      assertEquals("0A000", e.getSQLState(), e.getMessage());
    }
  }

  /**
   * The runbook's repair of a diverged table, in SQL: another engine wrote version 2 of the
   * table's log before deltasql's version 2 was mirrored; writes are refused (55000);
   * clear_divergence is refused while the foreign commit is in the log, naming it, then, with
   * the file moved out, clears the mark and mirrors version 2; writes and verify are back.
   */
  @Test
  void aDivergedTableIsRepairedWithClearDivergence() throws Exception {
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.execute("create table t (x int)");
      s.executeUpdate("insert into t values (1)");
      Path log = warehouse.resolve("default").resolve("t").resolve("_delta_log");
      Path foreign = log.resolve("00000000000000000002.json");
      Files.writeString(foreign, "{\"commitInfo\":{\"operation\":\"WRITE\",\"engineInfo\":\"elsewhere\"}}\n");
      try {
        s.executeUpdate("insert into t values (2)"); // committed in the catalog; its mirror meets the foreign file
      } catch (SQLException expected) {
        // a synchronous mirror may report the divergence on this statement already
      }
      SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate("insert into t values (3)"));
      assertEquals("55000", refused.getSQLState(), refused.getMessage());
      assertTrue(refused.getMessage().contains("A table is diverged"), refused.getMessage());

      SQLException stillForeign = assertThrows(SQLException.class, () -> rows(s, "call clear_divergence('t')"));
      assertEquals("55000", stillForeign.getSQLState(), stillForeign.getMessage());
      assertTrue(stillForeign.getMessage().contains("version 2"), stillForeign.getMessage());
      try (Connection readOnly = connect(";readOnly=true"); Statement r = readOnly.createStatement()) {
        assertEquals("25006", assertThrows(SQLException.class, () -> rows(r, "call clear_divergence('t')")).getSQLState());
      }

      Files.move(foreign, warehouse.resolve("foreign-2.json"));
      assertEquals(List.of("default.t|2|0|false|null"), rows(s, "call clear_divergence('t')"));
      s.executeUpdate("insert into t values (3)");
      assertEquals(List.of("1", "2", "3"), rows(s, "select x from t order by x"));
      assertEquals(List.of(), rows(s, "call verify('t')"), "catalog and log agree again");
      SQLException notDiverged = assertThrows(SQLException.class, () -> rows(s, "call clear_divergence('t')"));
      assertEquals("55000", notDiverged.getSQLState(), notDiverged.getMessage());
      SQLException noTable = assertThrows(SQLException.class, () -> rows(s, "call clear_divergence()"));
      assertEquals("42601", noTable.getSQLState(), noTable.getMessage());
      assertTrue(noTable.getMessage().contains("takes a table name"), noTable.getMessage());
    }
  }

  @Test
  void openTransactionsAndTheirLocksAreListed() throws SQLException {
    try (Connection c = connect(""); Statement s = c.createStatement(); Connection o = connect("");
        Statement other = o.createStatement()) {
      s.execute("create table t (x int)");
      s.execute("begin multi isolation level serializable priority 7");
      s.executeUpdate("insert into t values (1)");
      List<String> txns = rows(other, "select state, isolation, priority, tables from sys.transactions");
      assertTrue(txns.contains("ACTIVE|SERIALIZABLE|7|default.t"), txns.toString());
      List<String> locks = rows(other, "select table_name, \"mode\", granted from sys.locks");
      assertTrue(locks.contains("default.t|EXCLUSIVE|true"), locks.toString());
      s.execute("rollback");
      assertEquals(List.of(), rows(other, "select * from t"));
      SQLException e = assertThrows(SQLException.class, () -> {
        s.execute("begin multi");
        s.execute("create table u (x int)");
      });
      assertEquals("25001", e.getSQLState(), e.getMessage());
      s.execute("rollback");
    }
  }
}
