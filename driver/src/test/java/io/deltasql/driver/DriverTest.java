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
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        rows.add(sb.toString());
      }
    }
    return rows;
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
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("select * from nope"));
      assertEquals("42P01", e.getSQLState(), e.getMessage());
      e = assertThrows(SQLException.class, () -> s.executeUpdate("insert into dim values (null, 'x')"));
      assertEquals("23502", e.getSQLState(), e.getMessage());
    }
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
}
