package io.deltasql.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver end to end on an embedded catalog: DDL, DML, queries, transactions, errors. */
class DriverTest {
  @TempDir
  Path warehouse;

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:deltasql:warehouse=" + warehouse);
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    return Rows.of(s, sql);
  }

  @Test
  void createInsertQueryDeleteUpdate() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("create table dim (id int not null, name string) ");
      s.execute("create table fact (id bigint, dim_id int, amount decimal(10,2), dt date) partitioned by (dt)");
      assertEquals(2, s.executeUpdate("insert into dim values (1, 'one'), (2, 'two')"));
      assertEquals(3, s.executeUpdate("insert into fact values (10, 1, 1.50, date '2024-01-01'),"
          + " (11, 2, 2.25, date '2024-01-02'), (12, 1, 3.00, date '2024-01-02')"));
      assertEquals(List.of("one|4.50", "two|2.25"),
          rows(s, "select d.name, sum(f.amount) from fact f join dim d on f.dim_id = d.id group by d.name order by 1"));
      assertEquals(1, s.executeUpdate("delete from fact where id = 11"));
      assertEquals(1, s.executeUpdate("update dim set name = 'uno' where id = 1"));
      assertEquals(List.of("uno|4.50"),
          rows(s, "select d.name, sum(f.amount) from fact f join dim d on f.dim_id = d.id group by d.name order by 1"));
      assertEquals(List.of("2|DELETE", "1|WRITE", "0|CREATE TABLE"),
          rows(s, "describe history fact").stream().map(r -> r.split("\\|")[0] + "|" + r.split("\\|")[2]).toList());
      try (PreparedStatement p = c.prepareStatement("insert into dim values (?, ?)")) {
        p.setInt(1, 3);
        p.setString(2, "three");
        assertEquals(1, p.executeUpdate());
      }
      assertEquals(List.of("1|uno", "2|two", "3|three"), rows(s, "select * from dim order by id"));
      try (PreparedStatement p = c.prepareStatement("update dim set name = ?, id = ? where id = ?")) {
        p.setString(1, "drei");
        p.setInt(2, 30);
        p.setInt(3, 3);
        assertEquals(1, p.executeUpdate(), "a parameter as the new value of a column");
        p.setString(1, "deux");
        p.setInt(2, 20);
        p.setInt(3, 2);
        assertEquals(1, p.executeUpdate());
      }
      assertEquals(List.of("1|uno", "20|deux", "30|drei"), rows(s, "select * from dim order by id"));
      try (PreparedStatement p = c.prepareStatement("insert into dim values (?, ?)")) {
        p.setNull(1, java.sql.Types.INTEGER);
        p.setString(2, "x");
        SQLException e = assertThrows(SQLException.class, p::executeUpdate);
        assertEquals("23502", e.getSQLState(), "a prepared statement's failure keeps its SQLState: " + e.getMessage());
      }
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("select * from nope"));
      assertEquals("42P01", e.getSQLState(), e.getMessage());
      SQLException prepared = assertThrows(SQLException.class, () -> c.prepareStatement("select * from nope"));
      assertEquals("42P01", prepared.getSQLState(), "prepareStatement fails as executing does: " + prepared.getMessage());
      e = assertThrows(SQLException.class, () -> s.executeUpdate("insert into dim values (null, 'x')"));
      assertEquals("23502", e.getSQLState(), e.getMessage());
    }
  }

  @Test
  void longValuesListsInsertEveryRow() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("create table wide (id int, name string, x double, dt date, d decimal(10,2), ok boolean,"
          + " ts timestamp, b binary, n bigint)");
      StringBuilder sql = new StringBuilder("insert into wide values ");
      int count = 1_000;
      for (int i = 0; i < count; i++) {
        sql.append(i == 0 ? "" : ", ").append('(').append(i).append(", 'n").append(i).append("', ").append(i)
            .append(".5, date '2024-01-0").append(i % 9 + 1).append("', ").append(i).append(".25, ")
            .append(i % 2 == 0).append(", timestamp '2024-02-03 04:05:0").append(i % 10).append("', x'0")
            .append(i % 10).append("', ").append(i % 7 == 0 ? "null" : String.valueOf(i * 1_000_000_000L))
            .append(')');
      }
      assertEquals(count, s.executeUpdate(sql.toString()));
      long ids = (long) count * (count - 1) / 2;
      assertEquals(List.of(count + "|" + ids + "|" + (ids + count * 0.5) + "|2024-01-01|2024-01-09|"
          + new java.math.BigDecimal(ids).add(new java.math.BigDecimal(count).multiply(new java.math.BigDecimal("0.25")))
          + "|" + count / 2 + "|" + (count - (count + 6) / 7)),
          rows(s, "select count(*), sum(id), sum(x), min(dt), max(dt), sum(d), sum(case when ok then 1 else 0 end),"
              + " count(n) from wide"));
      assertEquals(List.of("7|n7|7.5|2024-01-08|7.25|false|2024-02-03 04:05:07.000|07|null",
              "999|n999|999.5|2024-01-01|999.25|false|2024-02-03 04:05:09.000|09|999000000000"),
          rows(s, "select id, name, x, dt, d, ok, ts, b, n from wide where id in (7, 999) order by id"));
      StringBuilder values = new StringBuilder("select sum(a), count(distinct b) from (values ");
      for (int i = 0; i < 200; i++) {
        values.append(i == 0 ? "" : ", ").append('(').append(i).append(", 'v").append(i % 5).append("')");
      }
      assertEquals(List.of("19900|5"), rows(s, values.append(") as t(a, b)").toString()));
      StringBuilder in = new StringBuilder("select count(*) from wide where id in (-1");
      for (int i = 0; i < 2_000; i += 2) {
        in.append(", ").append(i);
      }
      assertEquals(List.of("500"), rows(s, in.append(')').toString()), "a long IN list (a join with its values)");
    }
  }

  @Test
  void statementsTooLargeOrTooDeepToPlanFailWithProgramLimitStates() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("create table t (id int)");
      StringBuilder wide = new StringBuilder("select id");
      for (int i = 0; i < 3_000; i++) {
        wide.append(", id * ").append(i).append(" + ").append(i); // distinct, so not computed once
      }
      SQLException tooLarge = assertThrows(SQLException.class, () -> s.executeQuery(wide.append(" from t").toString()));
      assertEquals("54000", tooLarge.getSQLState(), tooLarge.getMessage());
      assertTrue(tooLarge.getMessage().startsWith("Statement too complex"), tooLarge.getMessage());
      SQLException tooDeep = assertThrows(SQLException.class,
          () -> s.executeQuery("select case id " + "when 1 then 'a' ".repeat(12_000) + "end from t"));
      assertEquals("54001", tooDeep.getSQLState(), tooDeep.getMessage());
      assertEquals(List.of("0"), rows(s, "select count(*) from t"), "the connection stays usable");
    }
  }

  @Test
  void timestampNtzColumnsListTheirTableFeature() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("create table wall (id int, wall_time timestamp_ntz)");
      s.execute("create table plain (id int)");
      s.execute("alter table plain add column wall_time timestamp_ntz");
      s.executeUpdate("insert into plain values (1, timestamp '2024-01-02 03:04:05')");
      assertEquals(List.of("1|2024-01-02 03:04:05.000"), rows(s, "select id, wall_time from plain"));
      assertEquals("3/7 [timestampNtz] [inCommitTimestamp, timestampNtz]", protocolAt(warehouse, "wall", 0));
      assertEquals("1/7 [] [inCommitTimestamp]", protocolAt(warehouse, "plain", 0));
      assertEquals("3/7 [timestampNtz] [inCommitTimestamp, timestampNtz]", protocolAt(warehouse, "plain", 1));
    }
  }

  /** The protocol action of a mirrored commit: versions, then reader and writer features, sorted. */
  private static String protocolAt(Path warehouse, String table, long version) throws Exception {
    Path log = warehouse.resolve("default").resolve(table).resolve("_delta_log");
    Path commit = log.resolve(String.format("%020d.json", version));
    for (int i = 0; i < 100 && !java.nio.file.Files.exists(commit); i++) {
      Thread.sleep(100); // the mirror writes the commit file just after the commit
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : java.nio.file.Files.readAllLines(commit)) {
      var protocol = json.readTree(line).get("protocol");
      if (protocol != null) {
        return protocol.get("minReaderVersion").asInt() + "/" + protocol.get("minWriterVersion").asInt() + " "
            + features(protocol.get("readerFeatures")) + " " + features(protocol.get("writerFeatures"));
      }
    }
    return "none";
  }

  private static List<String> features(com.fasterxml.jackson.databind.JsonNode list) {
    List<String> features = new ArrayList<>();
    if (list != null) {
      list.forEach(f -> features.add(f.asText()));
    }
    java.util.Collections.sort(features);
    return features;
  }

  @Test
  void multiTableTransaction() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("create table a (x int)");
      s.execute("create table b (x int)");
      s.execute("begin multi isolation level serializable");
      s.executeUpdate("insert into a values (1)");
      s.executeUpdate("insert into b values (1)");
      assertEquals(List.of("1"), rows(s, "select x from a"));
      try (Connection other = connect(); Statement o = other.createStatement()) {
        assertEquals(List.of(), rows(o, "select x from a"));
      }
      s.execute("commit");
      try (Connection other = connect(); Statement o = other.createStatement()) {
        assertEquals(List.of("1|1"), rows(o, "select a.x, b.x from a, b"));
      }
      c.setAutoCommit(false);
      s.executeUpdate("insert into a values (2)");
      c.rollback();
      assertEquals(List.of("1"), rows(s, "select x from a"));
      assertTrue(c.getAutoCommit() == false);
    }
  }

  @Test
  void schemas() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.execute("create table nowhere.t (x int)"));
      assertEquals("3F000", e.getSQLState(), e.getMessage());
      s.execute("create schema mart");
      e = assertThrows(SQLException.class, () -> s.execute("create schema mart"));
      assertEquals("42P06", e.getSQLState(), e.getMessage());
      s.execute("create schema if not exists mart");
      assertTrue(rows(s, "show schemas").contains("mart"));
      s.execute("create table mart.t (x int)");
      s.executeUpdate("insert into mart.t values (1)");
      e = assertThrows(SQLException.class, () -> s.execute("drop schema mart"));
      assertEquals("2BP01", e.getSQLState(), e.getMessage());
      s.execute("drop schema mart cascade");
      assertTrue(!rows(s, "show schemas").contains("mart"));
      try (var files = java.nio.file.Files.walk(warehouse.resolve("mart"))) {
        assertEquals(List.of(), files.filter(java.nio.file.Files::isRegularFile).toList(), "managed table files deleted");
      }
    }
  }

  @Test
  void filtersSkipFilesByStatisticsAndPartitions() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("create table events (id bigint, kind string, dt date) partitioned by (dt)");
      for (int batch = 0; batch < 4; batch++) {
        s.executeUpdate("insert into events values (" + (batch * 10) + ", 'a', date '2024-01-0" + (batch + 1) + "'), ("
            + (batch * 10 + 5) + ", 'b', date '2024-01-0" + (batch + 1) + "')");
      }
      double read = metric(s, "read");
      double skipped = metric(s, "skipped");
      assertEquals(List.of("25|b"), rows(s, "select id, kind from events where id = 25"));
      assertEquals(3, metric(s, "skipped") - skipped, "three files ruled out by min/max of id");
      assertEquals(1, metric(s, "read") - read);
      skipped = metric(s, "skipped");
      assertEquals(List.of("0", "5"), rows(s, "select id from events where dt = date '2024-01-01' order by id"));
      assertEquals(3, metric(s, "skipped") - skipped, "three partitions ruled out");
      String plan = String.join("\n", rows(s, "explain plan for select id from events where id > 20"));
      assertTrue(plan.contains("filters=[[>($0, 20)]]"), plan);
    }
  }

  private static double metric(Statement s, String outcome) throws SQLException {
    try (ResultSet rs = s.executeQuery("select sum(\"value\") from sys.metrics where name = 'deltasql.scan.files'"
        + " and tags like '%" + outcome + "%' and statistic = 'COUNT'")) {
      rs.next();
      return rs.getDouble(1);
    }
  }

  /**
   * A READ COMMITTED UPDATE that waits for another transaction's lock on the table finds its rows
   * in the version that transaction committed: it neither rewrites the file as it was before
   * (which doubled the rows its next statement saw, and failed the commit) nor loses the update.
   */
  @Test
  void readCommittedUpdateWaitingForALockReadsTheCommittedVersion() throws Exception {
    try (Connection a = connect(); Statement sa = a.createStatement(); Connection b = connect();
        Statement sb = b.createStatement()) {
      sa.execute("create table t (k int, v int)");
      sa.executeUpdate("insert into t values (1, 10), (2, 20)");
      sb.execute("begin multi");
      assertEquals(1, sb.executeUpdate("update t set v = v + 1 where k = 1"));
      sa.execute("begin multi isolation level read committed");
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        java.util.concurrent.Future<Integer> waiting = pool.submit(() -> sa.executeUpdate("update t set v = v + 100 where k = 1"));
        try (Connection o = connect(); Statement so = o.createStatement()) {
          long deadline = System.nanoTime() + 10_000_000_000L;
          while (!rows(so, "select granted from sys.locks where table_name = 'default.t'").contains("false")) {
            assertTrue(System.nanoTime() < deadline, "the second UPDATE waits for the lock");
            Thread.sleep(10);
          }
        }
        sb.execute("commit");
        assertEquals(1, waiting.get(10, java.util.concurrent.TimeUnit.SECONDS));
      } finally {
        pool.shutdownNow();
      }
      assertEquals(1, sa.executeUpdate("update t set v = v + 1000 where k = 2"));
      assertEquals(List.of("1|111", "2|1020"), rows(sa, "select * from t order by k"));
      sa.execute("commit");
      assertEquals(List.of("1|111", "2|1020"), rows(sb, "select * from t order by k"));
    }
  }
}
