package io.deltasql.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
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
 * Queries over one Delta table ({@link SqlTable}: 10M rows, 100 date partitions, written by
 * deltasql) through {@code jdbc:deltasql:}, next to DuckDB's {@code read_parquet} over the
 * same Parquet files ({@code t/dt=*}{@code /*.parquet}, {@code hive_partitioning=1}) in the same
 * run:
 *
 * <ul>
 *   <li>{@link #numericFilter}: {@code SELECT id, amount, category … WHERE amount < 1}, 0.1% of
 *       the rows spread through every file (no file or row group can be skipped);
 *   <li>{@link #partitionFilter}: the same columns {@code WHERE dt = DATE '2024-01-05'}, one
 *       partition of {@code days};
 *   <li>{@link #groupedAggregate}: {@code SELECT category, COUNT(*), SUM(qty), SUM(amount) …
 *       GROUP BY category} over every row (8 groups).
 * </ul>
 *
 * <p>Each invocation is a new {@link Statement} executing the SQL text (parse, plan and run:
 * what an ad-hoc query pays) and reads every value of every row through {@code getObject}.
 * {@code engine} is {@code deltasql} or DuckDB in memory with {@code SET threads=1} or
 * {@code 2} ({@code duckdb-1}, {@code duckdb-2}). In every trial, DuckDB (its default
 * threads) computes each query's result first; every measured invocation, of either engine,
 * must return the same rows (compared as a {@link ResultSummary}) or the benchmark fails.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 5, timeUnit = TimeUnit.SECONDS)
public class SqlQueryBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(SqlQueryBenchmark.class);
  /** System property naming the folder that caches generated tables (shared with the open benchmarks). */
  static final String TABLES_PROPERTY = GeneratedTableState.TABLES_PROPERTY;

  /** The three queries, in deltasql's SQL and DuckDB's. */
  enum Query {
    NUMERIC_FILTER("select id, amount, category from %s where amount < 1"),
    PARTITION_FILTER("select id, amount, category from %s where dt = date '2024-01-05'"),
    GROUPED_AGGREGATE("select category, count(*), sum(qty), sum(amount) from %s group by category");

    private final String template;

    Query(String template) {
      this.template = template;
    }

    String sql(String from) {
      return template.formatted(from);
    }
  }

  /** The table, both engines' connections and the expected results. */
  @State(Scope.Benchmark)
  public static class Tables {
    /** Rows of the table. */
    @Param("10000000")
    public long rows;

    /** Date partitions (one data file each); rows / days must be a power of ten. */
    @Param("100")
    public int days;

    /** {@code deltasql}, {@code duckdb-1} or {@code duckdb-2} (DuckDB with that many threads). */
    @Param({"deltasql", "duckdb-2", "duckdb-1"})
    public String engine;

    SqlTable table;
    Connection connection;
    String from;
    final Map<Query, ResultSummary> expected = new EnumMap<>(Query.class);

    /** Generates the table (or finds it cached), opens the engine, computes the expected results. */
    @Setup(Level.Trial)
    public void open() throws SQLException {
      Path root = Path.of(System.getProperty(TABLES_PROPERTY, "target/tables")).toAbsolutePath().resolveSibling("sql-tables");
      table = SqlTable.cached(root, rows, days);
      String parquet = "read_parquet('" + table.dataFileGlob() + "', hive_partitioning = 1)";
      try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
        for (Query q : Query.values()) {
          try (ResultSet rs = s.executeQuery(q.sql(parquet))) {
            expected.put(q, ResultSummary.of(rs));
          }
          LOG.info("expected {}: {}", q, expected.get(q));
        }
      }
      if (engine.equals("deltasql")) {
        connection = DriverManager.getConnection(table.url());
        from = SqlTable.TABLE;
      } else if (engine.startsWith("duckdb-")) {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = connection.createStatement()) {
          s.execute("set threads = " + Integer.parseInt(engine.substring("duckdb-".length())));
        }
        from = parquet;
      } else {
        throw new IllegalArgumentException("engine: deltasql, duckdb-1 or duckdb-2, not " + engine);
      }
    }

    ResultSummary run(Query q) throws SQLException {
      ResultSummary actual;
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(q.sql(from))) {
        actual = ResultSummary.of(rs);
      }
      expected.get(q).require(engine + " " + q, actual);
      return actual;
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      if (connection != null) {
        connection.close();
      }
    }
  }

  /** {@code WHERE amount < 1}: 0.1% of the rows, from every file. */
  @Benchmark
  public ResultSummary numericFilter(Tables t) throws SQLException {
    return t.run(Query.NUMERIC_FILTER);
  }

  /** {@code WHERE dt = DATE '2024-01-05'}: one partition. */
  @Benchmark
  public ResultSummary partitionFilter(Tables t) throws SQLException {
    return t.run(Query.PARTITION_FILTER);
  }

  /** {@code GROUP BY category} with COUNT and two SUMs over every row. */
  @Benchmark
  public ResultSummary groupedAggregate(Tables t) throws SQLException {
    return t.run(Query.GROUPED_AGGREGATE);
  }
}
