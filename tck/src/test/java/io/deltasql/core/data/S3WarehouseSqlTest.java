package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.S3TestServer;
import io.deltasql.tck.Lakes;
import io.deltasql.tck.S3Lakes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A warehouse on S3 through SQL, on each catalog backend, against the tests' S3 server on
 * loopback (S3Proxy behind core's gateway): what the scripts cannot show, read from the bucket
 * itself, by Delta Kernel Java, and from the connection's own surfaces.
 */
@ParameterizedClass(name = "S3 warehouse, {0} catalog")
@EnumSource(CatalogBackend.class)
class S3WarehouseSqlTest {
  @Parameter
  CatalogBackend backend;

  /** BEGIN MULTI over two tables commits both in one catalog transaction, each version mirrored to S3. */
  @Test
  void multiTableTransactionCommitsBothTablesOnS3() throws SQLException {
    try (S3Lakes lake = S3Lakes.fresh(backend, "s3multi"); Connection c = lake.connect();
        Statement s = c.createStatement()) {
      s.execute("create table orders (id int, amount double)");
      s.execute("create table audit (id int, note string) partitioned by (note)");
      s.execute("begin multi");
      s.executeUpdate("insert into orders values (1, 10.0), (2, 20.0)");
      s.executeUpdate("insert into audit values (1, 'new'), (2, 'new')");
      s.executeUpdate("update orders set amount = amount + 1 where id = 2");
      s.execute("commit");

      List<String> history = rows(s, "select table_name, version, txn_id from sys.history"
          + " where version = 1 order by table_name");
      assertEquals(2, history.size(), history.toString());
      String txn = history.get(0).split("\\|")[2];
      assertEquals(List.of("audit|1|" + txn, "orders|1|" + txn), history, "one transaction, both tables");
      assertEquals(List.of("1|10.0", "2|21.0"), rows(s, "select id, amount from orders order by id"));

      for (String table : List.of("orders", "audit")) {
        String commit = new String(S3TestServer.get().direct().getObjectAsBytes(r -> r
            .bucket(bucket(lake.location())).key("wh/default/" + table + "/_delta_log/00000000000000000001.json"))
            .asByteArray(), StandardCharsets.UTF_8);
        assertTrue(commit.startsWith("{\"commitInfo\""), commit);
        assertTrue(commit.contains(txn), "commitInfo of " + table + " names the shared transaction: " + commit);
      }
      assertEquals(List.of("default/audit/note=new", "default/orders"), dataFolders(lake));
    }
  }

  /** A rolled-back transaction's data files were on S3 while it ran and are deleted by ROLLBACK. */
  @Test
  void rollbackDeletesTheTransactionsDataFilesFromS3() throws SQLException {
    try (S3Lakes lake = S3Lakes.fresh(backend, "s3rollback"); Connection c = lake.connect();
        Statement s = c.createStatement()) {
      s.execute("create table t (x int, p string) partitioned by (p)");
      s.executeUpdate("insert into t values (1, 'a')");
      List<String> committed = parquet(lake);
      assertEquals(1, committed.size(), committed.toString());

      s.execute("begin multi");
      s.executeUpdate("insert into t values (2, 'a'), (3, 'b'), (4, 'c')");
      s.executeUpdate("delete from t where x = 1");
      List<String> during = parquet(lake);
      assertTrue(during.size() > committed.size(), "the transaction's files are on S3 before commit: " + during);
      s.execute("rollback");

      assertEquals(committed, parquet(lake), "only the committed file is left");
      assertEquals(List.of("1|a"), rows(s, "select x, p from t"));
      assertEquals(List.of("1"), rows(s, "select max(version) from sys.history where table_name = 't'"));
    }
  }

  /** Objects SQL wrote to S3, copied to a local folder, read by Delta Kernel Java: the same rows as SELECT. */
  @Test
  void kernelReadsTheBucketsObjects(@org.junit.jupiter.api.io.TempDir Path copy) throws SQLException {
    try (S3Lakes lake = S3Lakes.fresh(backend, "s3kernel"); Connection c = lake.connect();
        Statement s = c.createStatement()) {
      s.execute("create table facts (id bigint not null, name string, amount decimal(20, 4), d date,"
          + " ts timestamp, tags array<string>, region string) partitioned by (region)");
      s.executeUpdate("insert into facts values"
          + " (1, 'a', 1.5000, date '2024-01-01', timestamp '2024-01-01 10:00:00.123', array['p', 'q'], 'eu'),"
          + " (2, 'b', -2.0000, date '2024-01-02', null, null, 'us'),"
          + " (3, null, 99999.9999, null, timestamp '1999-12-31 23:59:59', array[cast(null as varchar)], null)");
      s.executeUpdate("insert into facts select id + 10, name, amount, d, ts, tags, region from facts where id < 3");
      s.executeUpdate("delete from facts where id = 2");
      s.executeUpdate("update facts set region = 'apac', name = 'moved' where id = 11");
      s.execute("create table summary as select region, count(*) as n, sum(amount) as total from facts group by region");

      for (String table : List.of("facts", "summary")) {
        String location = location(c, table);
        assertTrue(location.startsWith(lake.location() + "/default/"), location);
        Path local = copy.resolve(table);
        S3TestServer.get().download(location, local);
        var snapshot = DeltaLog.open(LocalStorage.INSTANCE, local.toString()).snapshot();
        var schema = TableLayout.of(snapshot.metadata(), local.toString()).schema();
        List<Object[]> sql = JdbcRows.selectAll(c, table, schema);
        List<Object[]> kernel = JdbcRows.millis(KernelScan.rows(local.toString(), schema, null));
        assertFalse(sql.isEmpty(), table);
        assertEquals(Rows.render(Rows.multiset(sql)), Rows.render(Rows.multiset(kernel)), "rows of " + table);
      }
    }
  }

  /** Time travel, OPTIMIZE, VACUUM, CHECKPOINT and DROP on S3 objects. */
  @Test
  void timeTravelAndMaintenanceOnS3() throws SQLException {
    try (S3Lakes lake = S3Lakes.fresh(backend, "s3maint");
        Connection c = DriverManager.getConnection(lake.url(";vacuumRetentionCheck=false"));
        Statement s = c.createStatement()) {
      s.execute("create table t (x int, p string) partitioned by (p)");
      for (int i = 0; i < 4; i++) {
        s.executeUpdate("insert into t values (" + i + ", 'a'), (" + (10 + i) + ", 'b')");
      }
      assertEquals(List.of("0", "10"), rows(s, "select x from t version as of 1 order by x"));
      assertEquals(8, parquet(lake).size());
      assertEquals(1, rows(s, "optimize t where p = 'a'").size());
      assertEquals(9, parquet(lake).size(), "OPTIMIZE adds one file and keeps the old ones");
      assertEquals(4, rows(s, "vacuum t retain 0 hours").size(), "the four compacted files");
      assertEquals(5, parquet(lake).size());
      assertEquals(List.of("0", "1", "2", "3", "10", "11", "12", "13"), rows(s, "select x from t order by x"));
      s.execute("checkpoint t");
      List<String> log = S3Lakes.keys(lake.location() + "/default/t/_delta_log");
      assertTrue(log.contains("00000000000000000005.checkpoint.parquet"), log.toString());
      assertTrue(log.contains("_last_checkpoint"), log.toString());
      assertEquals(List.of(), rows(s, "call verify('t')"), "catalog and the log on S3 agree");

      s.execute("drop table t");
      assertEquals(List.of(), S3Lakes.keys(lake.location() + "/default/t"), "a managed table's objects are deleted");
    }
  }

  /** Storage by location: a local warehouse creates and imports a table on S3, an S3 warehouse imports a local one. */
  @Test
  void localAndS3TablesMix() throws SQLException {
    String external = S3TestServer.get().newBucket("ext") + "/lake";
    try (Lakes local = Lakes.fresh(backend, "mixlocal");
        Connection c = DriverManager.getConnection(local.url("," + external + S3Lakes.s3Properties()));
        Statement s = c.createStatement()) {
      s.execute("create table remote (x int) location '" + external + "/remote/'");
      s.executeUpdate("insert into remote values (1), (2)");
      s.execute("create table here (x int)");
      s.executeUpdate("insert into here select x * 10 from remote");
      assertEquals(List.of("1|10", "2|20"), rows(s, "select r.x, h.x from remote r join here h on h.x = r.x * 10 order by 1"));
      assertEquals(List.of(external + "/remote"), rows(s, "select location from sys.tables where table_name = 'remote'"));
      assertTrue(S3Lakes.keys(external + "/remote").contains("_delta_log/00000000000000000001.json"));
      s.execute("drop table remote");
      s.execute("create table again location '" + external + "/remote'");
      assertEquals(List.of("1", "2"), rows(s, "select x from again order by x"));
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("create table elsewhere (x int) location '" + external + "-not/remote'"));
      assertEquals("42501", e.getSQLState(), e.getMessage());
    }
    try (S3Lakes lake = S3Lakes.fresh(backend, "mixs3");
        Connection c = DriverManager.getConnection(lake.url("," + external)); Statement s = c.createStatement()) {
      s.execute("create table imported location '" + external + "/remote'");
      assertEquals(List.of("2"), rows(s, "select count(*) from imported"));
    }
  }

  /** Credentials never show: not in getURL, sys tables or errors; a warehouse on S3 needs catalog=. */
  @Test
  void credentialsAreMaskedAndSettingsChecked() throws SQLException {
    try (S3Lakes lake = S3Lakes.fresh(backend, "s3creds"); Connection c = lake.connect();
        Statement s = c.createStatement()) {
      s.execute("create table t (x int)");
      s.executeUpdate("insert into t values (1)");
      String url = c.getMetaData().getURL();
      assertFalse(url.contains(S3TestServer.SECRET_KEY) || url.contains(S3TestServer.ACCESS_KEY), url);
      assertTrue(url.contains("s3.secret-key=***"), url);
      for (String table : List.of("tables", "history", "files", "mirror_status", "metrics")) {
        String all = String.join("\n", rows(s, "select * from sys." + table));
        assertFalse(all.contains(S3TestServer.SECRET_KEY) || all.contains(S3TestServer.ACCESS_KEY), table + ": " + all);
      }
    }
    try (S3Lakes lake = S3Lakes.fresh(backend, "s3badkey")) {
      String wrong = "wrong-secret-" + System.nanoTime();
      SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
          lake.url(";s3.secret-key=" + wrong + ";s3.max-attempts=1")));
      assertEquals("58030", e.getSQLState(), e.getMessage());
      assertFalse(messages(e).contains(wrong), messages(e));
      assertFalse(messages(e).contains(S3TestServer.ACCESS_KEY), messages(e));

      String noCatalog = lake.url("").replaceAll(";catalog='[^']*'", "");
      e = assertThrows(SQLException.class, () -> DriverManager.getConnection(noCatalog));
      assertEquals("22023", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("catalog="), e.getMessage());

      e = assertThrows(SQLException.class, () -> DriverManager.getConnection(lake.url(";s3.secretKeyId=x")));
      assertEquals("22023", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("s3.secret-key"), "lists the known keys: " + e.getMessage());
    }
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  private static String bucket(String location) {
    String rest = location.substring("s3://".length());
    return rest.substring(0, rest.indexOf('/'));
  }

  private static List<String> parquet(S3Lakes lake) {
    return lake.warehouseFiles().orElseThrow().stream()
        .filter(k -> k.endsWith(".parquet") && !k.contains("_delta_log")).toList();
  }

  private static List<String> dataFolders(S3Lakes lake) {
    return parquet(lake).stream().map(k -> k.substring(0, k.lastIndexOf('/'))).distinct().sorted().toList();
  }

  private static String location(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select location from sys.tables where table_name = '" + table + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          values.add(rs.getString(i));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }
}
