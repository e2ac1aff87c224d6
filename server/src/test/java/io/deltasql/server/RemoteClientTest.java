package io.deltasql.server;

import static io.deltasql.server.Remote.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.calcite.avatica.AvaticaSqlException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Avatica remote driver against the server over loopback HTTP, in both wire formats and on
 * both catalogs: what an embedded connection does, a remote one does too, transactions and
 * SQLStates included.
 */
class RemoteClientTest {
  @TempDir
  Path warehouse;

  /** Each wire format and each catalog, crossed over the two tests (each case costs seconds here). */
  static Stream<Arguments> browseMatrix() {
    return Stream.of(Arguments.of("protobuf", "h2"), Arguments.of("json", "postgresql"));
  }

  static Stream<Arguments> conflictMatrix() {
    return Stream.of(Arguments.of("json", "h2"), Arguments.of("protobuf", "postgresql"));
  }

  private Remote start(String serialization, String catalog) throws SQLException {
    String catalogUrl = null;
    if (catalog.equals("postgresql")) {
      String schema = Postgres.uniqueSchema("server");
      catalogUrl = Postgres.freshSchemaUrl(schema);
    }
    return Remote.start(warehouse, catalogUrl, c -> c.with(ServerProperty.SERIALIZATION, serialization));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("browseMatrix")
  void browseQueryChangeAndCommit(String serialization, String catalog) throws SQLException {
    try (Remote remote = start(serialization, catalog);
         Connection c = remote.connect(); Statement s = c.createStatement()) {
      s.execute("create table dim (id int not null, name string)");
      s.execute("create table fact (id bigint, dim_id int, amount decimal(10,2), dt date) partitioned by (dt)");
      assertEquals(2, s.executeUpdate("insert into dim values (1, 'one'), (2, 'two')"));
      assertEquals(3, s.executeUpdate("insert into fact values (10, 1, 1.50, date '2024-01-01'),"
          + " (11, 2, 2.25, date '2024-01-02'), (12, 1, 3.00, date '2024-01-02')"));

      DatabaseMetaData md = c.getMetaData();
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, md.getDefaultTransactionIsolation(), "from the server");
      assertTrue(names(md.getSchemas(), 1).contains("default"), "schemas");
      assertEquals(List.of("dim", "fact"), names(md.getTables(null, "default", "%", null), 3).stream().sorted().toList());
      assertEquals(List.of("id", "dim_id", "amount", "dt"), names(md.getColumns(null, "default", "fact", null), 4));

      assertEquals(List.of("one|4.50", "two|2.25"),
          rows(s, "select d.name, sum(f.amount) from fact f join dim d on f.dim_id = d.id group by d.name order by 1"));
      assertEquals(1, s.executeUpdate("delete from fact where id = 11"));
      assertEquals(1, s.executeUpdate("update dim set name = 'uno' where id = 1"));
      try (PreparedStatement p = c.prepareStatement("insert into dim values (?, ?)")) {
        p.setInt(1, 3);
        p.setString(2, "three");
        assertEquals(1, p.executeUpdate());
      }
      try (PreparedStatement p = c.prepareStatement("select name from dim where id > ? order by id")) {
        p.setInt(1, 1);
        try (ResultSet rs = p.executeQuery()) {
          List<String> names = new ArrayList<>();
          while (rs.next()) {
            names.add(rs.getString(1));
          }
          assertEquals(List.of("two", "three"), names);
        }
      }

      // A multi-table transaction over the wire: invisible to another client until COMMIT.
      s.execute("begin multi isolation level serializable");
      s.executeUpdate("insert into dim values (4, 'four')");
      s.executeUpdate("insert into fact values (13, 4, 4.00, date '2024-01-03')");
      assertEquals(List.of("4"), rows(s, "select count(*) from dim"), "reads its own writes");
      try (Connection other = remote.connect(); Statement o = other.createStatement()) {
        assertEquals(List.of("3|2"), rows(o, "select (select count(*) from dim), (select count(*) from fact)"));
        s.execute("commit");
        assertEquals(List.of("4|3"), rows(o, "select (select count(*) from dim), (select count(*) from fact)"));
      }

      // JDBC transactions: auto-commit off, isolation, rollback and commit pass through.
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      assertEquals(Connection.TRANSACTION_REPEATABLE_READ, c.getTransactionIsolation());
      s.executeUpdate("insert into dim values (5, 'five')");
      assertEquals(List.of("REPEATABLE READ"), rows(s, "select isolation from sys.transactions"));
      c.rollback();
      assertEquals(List.of("4"), rows(s, "select count(*) from dim"));
      s.executeUpdate("insert into dim values (6, 'six')");
      c.commit();
      c.setAutoCommit(true);
      assertTrue(c.getAutoCommit());
      try (Connection e = remote.embedded(); Statement es = e.createStatement()) {
        assertEquals(List.of("1|uno", "2|two", "3|three", "4|four", "6|six"), rows(es, "select * from dim order by id"));
      }

      // Errors keep their SQLState on the way to the client.
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("select * from nope"));
      assertEquals("42P01", e.getSQLState(), e.getMessage());
      assertTrue(e instanceof AvaticaSqlException);
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
      e = assertThrows(SQLException.class, () -> s.executeUpdate("insert into dim values (null, 'x')"));
      assertEquals("23502", e.getSQLState(), e.getMessage());
      e = assertThrows(SQLException.class, () -> s.execute("selec 1"));
      assertEquals("42601", e.getSQLState(), e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("conflictMatrix")
  void conflictReachesTheClientAs40001(String serialization, String catalog) throws SQLException {
    try (Remote remote = start(serialization, catalog);
         Connection a = remote.connect(); Statement sa = a.createStatement();
         Connection b = remote.connect(); Statement sb = b.createStatement()) {
      sa.execute("create table t (id int, v string)");
      sa.executeUpdate("insert into t values (1, 'a')");
      // B pins its snapshot; A deletes the row's file and commits; B then removes the same file.
      sb.execute("begin multi isolation level repeatable read");
      assertEquals(List.of("1"), rows(sb, "select count(*) from t"));
      assertEquals(1, sa.executeUpdate("delete from t where id = 1"));
      SQLException e = assertThrows(SQLException.class, () -> {
        sb.executeUpdate("delete from t where id = 1");
        sb.execute("commit");
      });
      assertEquals("40001", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("t"), e.getMessage());
      assertFalse(b.isClosed());
      assertEquals(List.of("0"), rows(sb, "select count(*) from t"), "the connection goes on after the conflict");
      assertEquals(List.of("0"), rows(sa, "select count(*) from t"));
    }
  }

  private static List<String> names(ResultSet rs, int column) throws SQLException {
    List<String> names = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        names.add(rs.getString(column));
      }
    }
    return names;
  }
}
