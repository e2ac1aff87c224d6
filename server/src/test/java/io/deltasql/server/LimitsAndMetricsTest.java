package io.deltasql.server;

import static io.deltasql.server.Remote.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.Meta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maximum connections, idle expiry (an abandoned transaction is rolled back, and its client is
 * told rather than silently reconnected), rows per frame, and the server's meters in
 * {@code sys.metrics}.
 */
class LimitsAndMetricsTest {
  @TempDir
  Path warehouse;

  @Test
  void maximumConnections() throws SQLException {
    try (Remote remote = Remote.start(warehouse, c -> c.with(ServerProperty.MAX_CONNECTIONS, "2"))) {
      try (Connection a = remote.connect(); Connection b = remote.connect()) {
        a.createStatement().executeQuery("select 1").close();
        b.createStatement().executeQuery("select 1").close();
        // Avatica's client opens the connection in getConnection and throws what the server said unchecked.
        AvaticaClientRuntimeException e = assertThrows(AvaticaClientRuntimeException.class, remote::connect);
        assertEquals("53300", e.getSqlState(), e.getMessage());
      }
      try (Connection c = remote.connect(); Statement s = c.createStatement()) {
        assertEquals(List.of("1"), rows(s, "select 1"), "closed connections make room");
        assertEquals(List.of("1.0"), rows(s, "select \"value\" from sys.metrics"
            + " where name = 'deltasql.server.connections.refused' and statistic = 'COUNT'"));
      }
    }
  }

  @Test
  void idleConnectionExpiresAndItsTransactionRollsBack() throws Exception {
    try (Remote remote = Remote.start(warehouse, c -> c.with(ServerProperty.CONNECTION_IDLE_TIMEOUT, "1"))) {
      try (Connection setup = remote.embedded(); Statement s = setup.createStatement()) {
        s.execute("create table t (x int)");
      }
      Connection abandoned = remote.connect();
      Statement a = abandoned.createStatement();
      a.execute("begin multi");
      a.executeUpdate("insert into t values (1)");
      try (Connection other = remote.connect(); Statement o = other.createStatement()) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (remote.server.openConnections() > 1 && System.nanoTime() < deadline) {
          o.executeQuery("select 1").close(); // keeps this one busy, lets the other expire
          Thread.sleep(200);
        }
        assertEquals(1, remote.server.openConnections(), "the idle connection was closed");
        assertEquals(List.of("0"), rows(o, "select count(*) from t"), "its transaction was rolled back");
        assertEquals(List.of("0"), rows(o, "select count(*) from sys.transactions where tables like '%default.t%'"),
            "and its locks released");
      }
      SQLException e = assertThrows(SQLException.class, () -> {
        a.executeUpdate("insert into t values (2)");
        a.execute("commit");
      });
      assertEquals("25P03", e.getSQLState(), "told, not silently reconnected: " + e.getMessage());
      try (Connection check = remote.embedded(); Statement s = check.createStatement()) {
        assertEquals(List.of("0"), rows(s, "select count(*) from t"), "no half of the transaction committed");
      }
    }
  }

  @Test
  void framesHoldAtMostMaxRowsPerFetch() throws Exception {
    try (Remote remote = Remote.start(warehouse, c -> c.with(ServerProperty.MAX_ROWS_PER_FETCH, "10"));
         Connection c = remote.connect(); Statement s = c.createStatement()) {
      s.setFetchSize(1000);
      List<String> rows = rows(s, "select * from (values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10),"
          + " (11), (12), (13), (14), (15), (16), (17), (18), (19), (20), (21), (22), (23), (24), (25)) as v(x)");
      assertEquals(25, rows.size(), "every row arrives, in several frames");
      assertEquals("25", rows.get(24));
    }
    ServerMeta meta = new ServerMeta(ServerConfig.defaults().with(ServerProperty.URL, "jdbc:deltasql:warehouse=" + warehouse)
        .with(ServerProperty.MAX_ROWS_PER_FETCH, "10"), new ServerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), java.util.Map.of());
    Meta.ConnectionHandle ch = new Meta.ConnectionHandle("direct");
    meta.openConnection(ch, java.util.Map.of());
    try {
      Meta.StatementHandle h = meta.createStatement(ch);
      Meta.ExecuteResult result = meta.prepareAndExecute(h, "select * from (values (1), (2), (3), (4), (5), (6),"
          + " (7), (8), (9), (10), (11), (12)) as v(x)", -1, 1000, null);
      assertEquals(10, size(result.resultSets.get(0).firstFrame));
      Meta.Frame next = meta.fetch(h, 10, 1000);
      assertEquals(2, size(next));
      assertTrue(next.done);
    } finally {
      meta.closeConnection(ch);
    }
  }

  private static int size(Meta.Frame frame) {
    int n = 0;
    for (Object ignored : frame.rows) {
      n++;
    }
    return n;
  }

  @Test
  void serverMetricsInSysMetrics() throws SQLException {
    try (Remote remote = Remote.start(warehouse, c -> c);
         Connection c = remote.connect(); Statement s = c.createStatement()) {
      assertThrows(SQLException.class, () -> s.executeQuery("select * from nope"));
      rows(s, "select 1");
      List<String> metrics = rows(s, "select name, tags, statistic from sys.metrics where name like 'deltasql.server.%'");
      assertTrue(metrics.contains("deltasql.server.connections|[]|VALUE"), metrics.toString());
      assertTrue(metrics.contains("deltasql.server.requests|[tag(status=200)]|COUNT"), metrics.toString());
      assertTrue(metrics.contains("deltasql.server.requests|[tag(status=500)]|TOTAL_TIME"), metrics.toString());
      assertTrue(metrics.contains("deltasql.server.errors|[tag(sqlstate=42P01)]|COUNT"), metrics.toString());
      assertEquals(List.of("1.0"), rows(s, "select \"value\" from sys.metrics where name = 'deltasql.server.connections'"));
      try (Connection e = remote.embedded(); Statement es = e.createStatement()) {
        assertEquals(List.of("1.0"), rows(es, "select \"value\" from sys.metrics where name = 'deltasql.server.connections'"),
            "the same registry as the driver's, seen from an embedded connection too");
      }
    }
  }
}
