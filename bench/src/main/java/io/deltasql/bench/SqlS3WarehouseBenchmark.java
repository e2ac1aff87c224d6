package io.deltasql.bench;

import io.deltasql.core.storage.s3.S3Property;
import io.deltasql.core.testing.S3TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same SQL through {@code jdbc:deltasql:} on a warehouse on S3 and on a local folder, the
 * catalog an H2 file in a local temporary folder for both (given with {@code catalog=}, as an S3
 * warehouse requires), auto-commit, mirror synchronous (the driver's defaults):
 *
 * <ul>
 *   <li>{@link #insert10Rows}: one prepared 10-row {@code INSERT ... VALUES}: Calcite, one
 *       Parquet file, the catalog commit, the {@code _delta_log} commit file put-if-absent (and a
 *       checkpoint every 10th version).</li>
 *   <li>{@link #scan}: {@code SELECT count(*), sum(amount), max(note)} over a table of 10 files
 *       of 2,000 rows written by SQL: on S3, a HEAD and ranged GETs per file.</li>
 * </ul>
 *
 * <p>S3 is S3Proxy 2.6.0 (in-memory back end) on loopback behind the tests' gateway, as in
 * {@link S3WarehouseBenchmark}: no network latency, so a lower bound of what a real bucket costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 5, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class SqlS3WarehouseBenchmark {
  static final int SCAN_FILES = 10;
  static final int SCAN_ROWS_PER_FILE = 2_000;
  static final int SEED_ROWS = SCAN_ROWS_PER_FILE / 8;

  /** Where the warehouse is: {@code local} (a temporary folder) or {@code s3} (loopback S3Proxy). */
  @Param({"local", "s3"})
  public String storage;

  private Path dir;
  private Connection connection;
  private PreparedStatement insert;
  private long nextId;

  @Setup(Level.Trial)
  public void open() throws SQLException, IOException {
    dir = Files.createTempDirectory("deltasql-bench-sql-s3-");
    String catalog = ";catalog='jdbc:h2:file:" + dir.resolve("catalog") + "'";
    String url;
    if (storage.equals("s3")) {
      S3TestServer server = S3TestServer.get();
      url = "jdbc:deltasql:warehouse=" + server.newBucket("bench-sql") + "/warehouse" + catalog
          + ";" + S3Property.ENDPOINT.key() + "=" + server.endpoint()
          + ";" + S3Property.REGION.key() + "=" + S3TestServer.REGION
          + ";" + S3Property.PATH_STYLE.key() + "=true"
          + ";" + S3Property.ACCESS_KEY.key() + "=" + S3TestServer.ACCESS_KEY
          + ";" + S3Property.SECRET_KEY.key() + "=" + S3TestServer.SECRET_KEY;
    } else {
      url = "jdbc:deltasql:warehouse=" + dir.resolve("warehouse") + catalog;
    }
    connection = DriverManager.getConnection(url);
    try (Statement s = connection.createStatement()) {
      s.execute("create table ins (id bigint, qty int, amount double, note string)");
      s.execute("create table scan_t (id bigint, qty int, amount double, note string)");
      // 250 seed rows in one VALUES (Calcite compiles a VALUES list into one method: keep it small),
      // then each file 2,000 rows: the seed times 8, with ids shifted.
      s.execute("create table seed (id bigint, qty int, amount double, note string)");
      StringBuilder seed = new StringBuilder("insert into seed values ");
      for (int r = 0; r < SEED_ROWS; r++) {
        seed.append(r > 0 ? ", " : "").append('(').append(r).append(", ").append(r % 100).append(", ")
            .append(r * 0.5).append(", 'note-").append(r).append("')");
      }
      s.executeUpdate(seed.toString());
      for (int f = 0; f < SCAN_FILES; f++) {
        s.executeUpdate("insert into scan_t select id + k * " + SEED_ROWS + " + " + f * SCAN_ROWS_PER_FILE
            + ", qty, amount + k, note from seed cross join (values 0, 1, 2, 3, 4, 5, 6, 7) as m(k)");
      }
      nextId = (long) SCAN_FILES * SCAN_ROWS_PER_FILE;
    }
    StringBuilder sql = new StringBuilder("insert into ins values ");
    for (int r = 0; r < 10; r++) {
      sql.append(r > 0 ? ", " : "").append("(?, ?, ?, ?)");
    }
    insert = connection.prepareStatement(sql.toString());
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    insert.close();
    connection.close();
    SqlTable.deleteTree(dir);
  }

  /** One 10-row INSERT, auto-committed and mirrored. */
  @Benchmark
  public int insert10Rows() throws SQLException {
    int p = 1;
    for (int r = 0; r < 10; r++) {
      long id = nextId++;
      insert.setLong(p++, id);
      insert.setInt(p++, (int) (id % 100));
      insert.setDouble(p++, id * 0.5);
      insert.setString(p++, "note-" + id);
    }
    int inserted = insert.executeUpdate();
    if (inserted != 10) {
      throw new IllegalStateException("INSERT reported " + inserted + " rows, not 10");
    }
    return inserted;
  }

  /** Every row of a 20,000-row table of 10 files, aggregated. */
  @Benchmark
  public long scan() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select count(*), sum(amount), max(note) from scan_t")) {
      rs.next();
      long rows = rs.getLong(1);
      if (rows != (long) SCAN_FILES * SCAN_ROWS_PER_FILE) {
        throw new IllegalStateException("scanned " + rows + " rows, expected " + SCAN_FILES * SCAN_ROWS_PER_FILE);
      }
      return rows;
    }
  }
}
