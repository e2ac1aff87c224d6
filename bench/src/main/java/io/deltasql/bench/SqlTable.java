package io.deltasql.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warehouse with one Delta table {@code t} (schema {@code default}) of data, written through deltasql itself
 * (SQL over {@code jdbc:deltasql:} on the embedded H2 catalog), for the query benchmarks:
 *
 * <pre>
 *   t (id BIGINT, qty INT, amount DOUBLE, category STRING, note STRING, dt DATE) PARTITIONED BY (dt)
 * </pre>
 *
 * <ul>
 *   <li>{@code rows} rows spread evenly over {@code days} partitions from 2024-01-01: one
 *       {@code INSERT … SELECT} per day, so one Parquet file (one row group) per partition;
 *   <li>{@code id}: 0 to rows - 1, ascending with the day (files have disjoint id ranges);
 *   <li>{@code qty}: 0–99; {@code amount}: 0.00–999.99, a permutation within each day, so
 *       {@code amount < 1} holds for exactly 0.1% of the rows of every day, spread through the
 *       file (no statistics can skip it);
 *   <li>{@code category}: 8 values ({@code cat-0}…{@code cat-7}); {@code note}: about 10^6
 *       distinct strings.
 * </ul>
 *
 * <p>The rows of a day come from a helper table {@code seq} of {@code rows / days}
 * numbers (a cross join of a ten-row table with itself), so rows per day must be a power of
 * ten. Cached under {@code ROOT/s1-r<rows>-d<days>/} (the catalog there holds absolute paths,
 * so the folder cannot move): a folder without its {@code READY} file is generated anew.
 */
public final class SqlTable {
  private static final Logger LOG = LoggerFactory.getLogger(SqlTable.class);
  /** Bump when the generated data changes, so that old caches are not reused. */
  static final String FORMAT = "s1";
  static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);
  static final String TABLE = "t";
  /** The file that marks a complete table. */
  static final String READY = "READY";

  private final Path warehouse;
  private final long rows;
  private final int days;

  private SqlTable(Path warehouse, long rows, int days) {
    this.warehouse = warehouse;
    this.rows = rows;
    this.days = days;
  }

  /** The warehouse holding the table, generated into {@code root} unless already there. */
  public static SqlTable cached(Path root, long rows, int days) {
    long perDay = perDay(rows, days);
    Path target = root.resolve(FORMAT + "-r" + rows + "-d" + days);
    Path ready = target.resolve(READY);
    if (Files.exists(ready)) {
      return new SqlTable(target, rows, days);
    }
    // The catalog holds absolute locations: the table is generated in place, not moved there.
    deleteTree(target);
    try {
      Files.createDirectories(target);
      long started = System.nanoTime();
      generate(target, perDay, days);
      LOG.info("generated {} rows in {} partitions through deltasql in {} s", rows, days,
          (System.nanoTime() - started) / 1_000_000_000);
      Files.writeString(ready, "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("generating the SQL table failed: " + e.getMessage(), e);
    }
    return new SqlTable(target, rows, days);
  }

  private static long perDay(long rows, int days) {
    if (days < 1 || rows % days != 0) {
      throw new IllegalArgumentException("rows (" + rows + ") must be a multiple of days (" + days + ")");
    }
    long perDay = rows / days;
    long p = 1;
    while (p < perDay) {
      p *= 10;
    }
    if (p != perDay) {
      throw new IllegalArgumentException("rows per day must be a power of ten, not " + perDay);
    }
    return perDay;
  }

  private static void generate(Path warehouse, long perDay, int days) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(warehouse)); Statement s = c.createStatement()) {
      s.execute("create table d10 (x bigint)");
      s.executeUpdate("insert into d10 values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)");
      // CREATE TABLE seq AS SELECT would do, but CTAS does not resolve unqualified names yet.
      s.execute("create table seq (n bigint)");
      StringBuilder select = new StringBuilder("insert into seq select ");
      StringBuilder from = new StringBuilder();
      int digits = Long.toString(perDay).length() - 1;
      if (digits == 0) {
        select.append("x from d10 where x = 0");
      } else {
        for (int i = 0; i < digits; i++) {
          select.append(i > 0 ? " + " : "").append("d").append(i).append(".x * ").append(pow10(i));
          from.append(i > 0 ? ", " : "").append("d10 d").append(i);
        }
        select.append(" from ").append(from);
      }
      s.executeUpdate(select.toString());
      s.execute("create table " + TABLE + " (id bigint, qty int, amount double, category string,"
          + " note string, dt date) partitioned by (dt)");
      for (int day = 0; day < days; day++) {
        long base = day * perDay;
        long started = System.nanoTime();
        s.executeUpdate("insert into " + TABLE + " select"
            + " n + " + base + ","
            + " cast(mod(n * 7 + " + day + ", 100) as int),"
            + " cast(mod(n * 7919 + " + (day * 104729L % perDay) + ", " + perDay + ") as double) * 100000.0 / "
            + perDay + " / 100.0,"
            + " 'cat-' || cast(mod(n * 13 + " + day + ", 8) as varchar),"
            + " 'note-' || cast(mod((n + " + base + ") * 2654435761, 1000003) as varchar),"
            + " date '" + FIRST_DAY.plusDays(day) + "'"
            + " from seq");
        LOG.info("day {} of {}: {} rows inserted in {} ms", day + 1, days, perDay,
            (System.nanoTime() - started) / 1_000_000);
      }
      // seq and d10 stay: DROP TABLE fails here now and then (the mirror may be writing their
      // _delta_log), and they are tiny; t's folder holds only t's files.
    }
  }

  private static long pow10(int n) {
    long p = 1;
    for (int i = 0; i < n; i++) {
      p *= 10;
    }
    return p;
  }

  static String url(Path warehouse) {
    return "jdbc:deltasql:warehouse=" + warehouse;
  }

  /** The deltasql URL of the warehouse. */
  public String url() {
    return url(warehouse);
  }

  public Path warehouse() {
    return warehouse;
  }

  /** The table's folder, holding {@code _delta_log/} and one {@code dt=…/} folder per day. */
  public Path tableFolder() {
    return warehouse.resolve("default").resolve(TABLE);
  }

  /** A glob matching every data file of the table (and nothing in {@code _delta_log/}). */
  public String dataFileGlob() {
    return tableFolder() + "/dt=*/*.parquet";
  }

  public long rows() {
    return rows;
  }

  public int days() {
    return days;
  }

  /** Deletes a folder and everything in it. */
  static void deleteTree(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code SqlTable ROOT ROWS DAYS}: generates (or finds) the table and prints its folder. */
  public static void main(String[] args) {
    SqlTable table = cached(Path.of(args[0]), Long.parseLong(args[1]), Integer.parseInt(args[2]));
    System.out.println(table.tableFolder());
  }
}
