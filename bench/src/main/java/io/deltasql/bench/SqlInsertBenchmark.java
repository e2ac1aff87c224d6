package io.deltasql.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 10-row INSERT end to end through {@code jdbc:deltasql:} on the embedded H2 catalog, in
 * auto-commit, mirroring on (the driver's defaults): JDBC, Calcite's preparation, the Parquet
 * file, the catalog commit and the {@code _delta_log} mirror. Latency per statement
 * ({@link Mode#SampleTime}: JMH records every invocation, so p50 and p99 are in the result).
 *
 * <ul>
 *   <li>{@code values}: one {@code PreparedStatement} with a 10-row {@code VALUES} list (60
 *       parameters), prepared once per iteration, executed per invocation: one statement, one
 *       commit, one data file;
 *   <li>{@code batch}: {@code INSERT INTO … VALUES (?, ?, ?, ?, ?, ?)} with 10
 *       {@code addBatch} and one {@code executeBatch}, as a JDBC application would write it.
 *       The driver runs the batch as one transaction and writes its rows together: one commit
 *       and one data file (the iteration log line shows the commits per statement).
 * </ul>
 *
 * <p>Each iteration also logs the mean wall time and the mean CPU time of the benchmark
 * thread per statement (the commit and the mirror run on that thread): on a shared machine
 * the CPU time shows what the statement costs when the wall time is inflated by waiting for
 * a core.
 *
 * <p>The table ({@code id BIGINT, qty INT, amount DOUBLE, category STRING, note STRING,
 * dt DATE} partitioned by {@code dt}, as {@link SqlTable}; every row of a statement in one
 * partition) is created anew for every iteration, so it grows only by the commits of one
 * iteration (hundreds to a few thousand versions, a checkpoint every 10), in a new
 * warehouse per trial.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 5, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class SqlInsertBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(SqlInsertBenchmark.class);
  static final int ROWS = 10;
  static final int COLUMNS = 6;

  /** {@code values} (one 10-row VALUES statement) or {@code batch} (10 rows, executeBatch). */
  @Param({"values", "batch"})
  public String statement;

  private Path warehouse;
  private Connection connection;
  private PreparedStatement insert;
  private String table;
  private int tables;
  private long nextId;
  private long invocations;
  /** CPU time of the benchmark thread in this iteration's invocations, nanoseconds. */
  private long cpuNanos;
  private long wallNanos;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  /** A new warehouse on the embedded catalog. */
  @Setup(Level.Trial)
  public void open() throws SQLException, IOException {
    Path root = Path.of(System.getProperty(GeneratedTableState.TABLES_PROPERTY, "target/tables"))
        .toAbsolutePath().resolveSibling("sql-insert");
    Files.createDirectories(root);
    warehouse = Files.createTempDirectory(root, statement + "-");
    connection = DriverManager.getConnection(SqlTable.url(warehouse));
  }

  /** A new table, and the statement prepared on it. */
  @Setup(Level.Iteration)
  public void createTable() throws SQLException {
    table = "ins_" + ++tables;
    try (Statement s = connection.createStatement()) {
      s.execute("create table " + table + " (id bigint, qty int, amount double, category string,"
          + " note string, dt date) partitioned by (dt)");
    }
    StringBuilder sql = new StringBuilder("insert into " + table + " values ");
    int rows = statement.equals("values") ? ROWS : 1;
    for (int r = 0; r < rows; r++) {
      sql.append(r > 0 ? ", " : "").append("(?, ?, ?, ?, ?, ?)");
    }
    insert = connection.prepareStatement(sql.toString());
    invocations = 0;
    cpuNanos = 0;
    wallNanos = 0;
  }

  /** Checks the table holds every row inserted, and logs the commits they took. */
  @TearDown(Level.Iteration)
  public void check() throws SQLException {
    insert.close();
    try (Statement s = connection.createStatement()) {
      long rows;
      try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
        rs.next();
        rows = rs.getLong(1);
      }
      long versions = 0;
      try (ResultSet rs = s.executeQuery("describe history " + table)) {
        while (rs.next()) {
          versions++;
        }
      }
      if (rows != invocations * ROWS) {
        throw new IllegalStateException(table + " has " + rows + " rows after " + invocations + " inserts of " + ROWS);
      }
      LOG.info(String.format(Locale.ROOT, "%s %s: %d statements, %d rows, %d versions (%d commits per statement);"
          + " mean per statement: %.2f ms wall, %.2f ms CPU of the benchmark thread; load average %s", statement,
          table, invocations, rows, versions, invocations == 0 ? 0 : (versions - 1) / invocations,
          wallNanos / 1e6 / Math.max(1, invocations), cpuNanos / 1e6 / Math.max(1, invocations), loadAverage()));
    }
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    connection.close();
    SqlTable.deleteTree(warehouse);
  }

  /** One 10-row INSERT, auto-committed. */
  @Benchmark
  public int insert10Rows() throws SQLException {
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    Date day = Date.valueOf(SqlTable.FIRST_DAY.plusDays(invocations % 30));
    int inserted = 0;
    if (statement.equals("values")) {
      int p = 1;
      for (int r = 0; r < ROWS; r++) {
        p = bindRow(p, day);
      }
      inserted = insert.executeUpdate();
    } else {
      for (int r = 0; r < ROWS; r++) {
        bindRow(1, day);
        insert.addBatch();
      }
      for (int count : insert.executeBatch()) {
        inserted += count;
      }
    }
    if (inserted != ROWS) {
      throw new IllegalStateException("INSERT reported " + inserted + " rows, not " + ROWS);
    }
    invocations++;
    cpuNanos += threads.getCurrentThreadCpuTime() - cpu;
    wallNanos += System.nanoTime() - wall;
    return inserted;
  }

  static String loadAverage() {
    try {
      return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private int bindRow(int p, Date day) throws SQLException {
    long id = nextId++;
    insert.setLong(p++, id);
    insert.setInt(p++, (int) (id % 100));
    insert.setDouble(p++, (id * 7919 % 100_000) / 100.0);
    insert.setString(p++, "cat-" + id % 8);
    insert.setString(p++, "note-" + id);
    insert.setDate(p++, day);
    return p;
  }
}
