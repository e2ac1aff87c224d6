package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.types.StructType;
import io.deltasql.tck.Lakes;
import io.deltasql.tck.TckReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two tables (one partitioned) with many versions (inserts, updates, deletes, a multi-table
 * commit), compacted ({@code OPTIMIZE}), checkpointed, changed again, appended to and vacuumed
 * with no retention, then read from their {@code _delta_log} by both independent readers
 * ({@link IndependentReaders}: Delta Kernel Java and delta-standalone):
 *
 * <ul>
 *   <li>before VACUUM, at every version both read the same schema, active files and rows as
 *       deltasql's log and {@code SELECT * FROM t VERSION AS OF n};
 *   <li>a version is <em>retained</em> when every data file of its snapshot still exists; after
 *       {@code VACUUM RETAIN 0 HOURS} these are exactly the versions whose files are all in the
 *       latest snapshot, and no other data file is left;
 *   <li>at every retained version both read the same as {@code SELECT * FROM t VERSION AS OF n};
 *       at every other version deltasql's time travel fails with {@code 58030} naming the
 *       version and VACUUM;
 *   <li>at the commit timestamp of every retained version ({@code sys.history}, the in-commit
 *       timestamp, which the mirror gives the commit file as its modification time),
 *       {@code SELECT * FROM t TIMESTAMP AS OF ts} and both readers' timestamp time travel read
 *       that version;
 *   <li>{@code CALL verify} finds no difference between catalog and log;
 *   <li>checkpoints exist, {@code _last_checkpoint} names the latest, and Kernel loads the table
 *       from that checkpoint (in a copy without the commits before it).
 * </ul>
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class ReadersAfterMaintenanceTest {
  private static final Logger LOG = LoggerFactory.getLogger(ReadersAfterMaintenanceTest.class);
  private static final Pattern LAST_CHECKPOINT_VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");

  @Parameter
  CatalogBackend backend;

  @TempDir
  Path copies;

  @Test
  void readersReadEveryRetainedVersion() throws Exception {
    try (Lakes lake = Lakes.fresh(backend, "maint");
        Connection c = DriverManager.getConnection(lake.url(";vacuumRetentionCheck=false"));
        Statement s = c.createStatement()) {
      s.execute("create table events (id bigint not null, region string, amount decimal(12, 2), note string,"
          + " d date) partitioned by (region)");
      s.execute("create table plain (k int not null, v string, score double)");
      String[] regions = {"eu", "us", "apac"};
      for (int i = 0; i < 6; i++) {
        s.executeUpdate("insert into events values (" + i + ", '" + regions[i % 3] + "', " + i + ".25, 'n" + i
            + "', date '2024-01-" + String.format("%02d", i + 1) + "'), (" + (100 + i) + ", '" + regions[(i + 1) % 3]
            + "', -" + i + ".50, null, null)");
        s.executeUpdate("insert into plain values (" + i + ", 'v" + i + "', " + (i * 1.5) + ")");
        if (i % 3 == 2) {
          s.executeUpdate("update events set amount = amount + 1, note = 'u" + i + "' where id = " + (i - 1));
          s.executeUpdate("delete from plain where k = " + (i - 2));
        }
        if (i % 4 == 3) {
          s.executeUpdate("update plain set v = 'w" + i + "' where k = " + i);
          s.executeUpdate("delete from events where id = " + (100 + i - 1));
        }
      }
      s.execute("begin multi");
      s.executeUpdate("insert into events values (50, 'eu', 5.00, 'multi', date '2024-02-01')");
      s.executeUpdate("update plain set score = -1 where k > 8");
      s.executeUpdate("delete from events where region = 'us' and id < 3");
      s.execute("commit");
      s.executeUpdate("update events set region = 'apac' where id = 4");

      for (String table : List.of("events", "plain")) {
        String[] optimized = rows(s, "optimize " + table).get(0).split("\\|");
        assertEquals(String.valueOf(currentVersion(s, table)), optimized[1], "OPTIMIZE " + table + " committed");
        assertTrue(Long.parseLong(optimized[2]) > Long.parseLong(optimized[3]), "OPTIMIZE " + table + " compacted "
            + optimized[2] + " files into " + optimized[3]);
      }
      Map<String, Long> checkpointed = new HashMap<>();
      for (String table : List.of("events", "plain")) {
        s.execute("checkpoint " + table);
        checkpointed.put(table, currentVersion(s, table));
      }

      s.executeUpdate("insert into events values (60, 'us', 6.00, 'after', date '2024-03-01')");
      s.executeUpdate("update events set amount = 0 where id = 60");
      s.executeUpdate("delete from events where id = 5");
      s.executeUpdate("insert into plain values (60, 'after', 6.0)");
      s.executeUpdate("update plain set v = 'changed' where k = 60");
      s.executeUpdate("delete from plain where k = 10");
      for (int i = 0; i < 3; i++) {
        // Appends last: their versions keep only files the latest version has, so VACUUM keeps them.
        s.executeUpdate("insert into events values (" + (70 + i) + ", 'eu', 7.00, 'tail', null)");
        s.executeUpdate("insert into plain values (" + (70 + i) + ", 'tail', 7.0)");
      }

      for (String table : List.of("events", "plain")) {
        String location = location(s, table);
        long latest = currentVersion(s, table);
        assertTrue(latest >= 15, table + " has many versions: " + latest);
        StructType schema = TableLayout.of(DeltaLog.open(LocalStorage.INSTANCE, location).snapshot().metadata(),
            location).schema();
        for (long v = 0; v <= latest; v++) {
          assertReadersAgree(c, table, location, v);
        }
        Set<String> latestFiles = files(location, latest);
        List<String> vacuumed = rows(s, "vacuum " + table + " retain 0 hours");
        assertFalse(vacuumed.isEmpty(), "VACUUM of " + table + " deleted files");
        assertEquals(latestFiles, dataFilesOnDisk(location), "the data files left in " + table);

        List<Long> retained = new ArrayList<>();
        for (long v = 0; v <= latest; v++) {
          Set<String> files = files(location, v);
          boolean allExist = files.stream().allMatch(f -> Files.exists(Path.of(f)));
          assertEquals(latestFiles.containsAll(files), allExist, table + " version " + v + " retained");
          String asOf = table + " version as of " + v;
          if (allExist) {
            retained.add(v);
            assertReadersAgree(c, table, location, v);
          } else {
            SQLException e = assertThrows(SQLException.class, () -> JdbcRows.selectAll(c, asOf, schema));
            assertEquals("58030", e.getSQLState(), asOf + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("version " + v) && e.getMessage().contains("VACUUM"),
                asOf + ": " + e.getMessage());
          }
        }
        LOG.info("after VACUUM backend={} table={} latest={} vacuumedFiles={} retainedVersions={}", backend, table,
            latest, vacuumed.size(), retained);
        assertTrue(retained.contains(latest), table + ": the latest version is retained " + retained);
        assertTrue(retained.containsAll(List.of(latest - 3, latest - 2, latest - 1)),
            table + ": the versions of the last appends are retained " + retained);
        assertTrue(retained.size() < latest + 1, table + ": VACUUM removed the files of older versions " + retained);

        assertTimeTravelByTimestamp(c, s, table, location, retained);
        IndependentReaders.ALL.forEach(reader -> TckReport.tableVerified(reader.name(), table, true));

        assertEquals(List.of(), rows(s, "call verify('" + table + "')"), "catalog and log of " + table + " agree");
        assertCheckpointLoads(c, table, location, schema, checkpointed.get(table), latest);
      }
    }
  }

  /**
   * Both readers read the same schema, active files and rows (a multiset) at {@code version} as
   * deltasql's log and {@code SELECT * FROM table VERSION AS OF version}; a disagreement is
   * recorded with {@link TckReport}.
   */
  private static void assertReadersAgree(Connection c, String table, String location, long version)
      throws SQLException {
    IndependentReaders.Reading sql = IndependentReaders.deltasql(c, table, location, version);
    for (IndependentReaders.Reader reader : IndependentReaders.ALL) {
      agreeing(reader, table, () -> IndependentReaders.assertAgree(sql, reader.atVersion(location, version),
          reader.name() + " " + table + " version " + version));
    }
  }

  /**
   * Timestamp time travel to each retained version, at the version's commit timestamp in
   * {@code sys.history} (its in-commit timestamp): deltasql's {@code TIMESTAMP AS OF} and both
   * readers read that version. Delta Kernel 4.0.0 and delta-standalone 3.3.2 resolve a timestamp
   * on these tables by the commit files' modification times (standalone knows no in-commit
   * timestamps; Kernel checks the earliest commit's file time even with them); the mirror sets
   * each commit file's modification time to its in-commit timestamp (local storage can; S3
   * cannot, see docs/compatibility.md), so all three resolve the same timestamp alike.
   */
  private static void assertTimeTravelByTimestamp(Connection c, Statement s, String table, String location,
      List<Long> retained) throws Exception {
    Map<Long, Timestamp> committed = new HashMap<>();
    try (ResultSet rs = s.executeQuery("select version, \"timestamp\" from sys.history where table_name = '" + table
        + "'")) {
      while (rs.next()) {
        committed.put(rs.getLong(1), rs.getTimestamp(2));
      }
    }
    for (long v : retained) {
      IndependentReaders.Reading sql = IndependentReaders.deltasql(c, table, location, v);
      Instant commitTime = committed.get(v).toInstant();
      Instant fileTime = Files.getLastModifiedTime(Path.of(location, "_delta_log", String.format("%020d.json", v)))
          .toInstant();
      assertEquals(commitTime, fileTime, table + " version " + v + ": the commit file's modification time is its"
          + " in-commit timestamp");
      String asOf = table + " timestamp as of timestamp '" + committed.get(v) + "'";
      assertEquals(Rows.render(Rows.multiset(sql.rows())),
          Rows.render(Rows.multiset(JdbcRows.selectAll(c, asOf, sql.schema()))), asOf + " reads version " + v);
      for (IndependentReaders.Reader reader : IndependentReaders.ALL) {
        agreeing(reader, table, () -> IndependentReaders.assertAgree(sql, reader.atTimestamp(location, commitTime),
            reader.name() + " " + table + " at " + commitTime + ", the in-commit timestamp of version " + v));
      }
    }
  }

  /** Runs {@code check}; a failure is recorded as {@code reader} disagreeing on {@code table}. */
  private static void agreeing(IndependentReaders.Reader reader, String table, Runnable check) {
    try {
      check.run();
    } catch (RuntimeException | AssertionError e) {
      TckReport.tableVerified(reader.name(), table, false);
      throw e;
    }
  }

  /**
   * Checkpoint files exist, {@code _last_checkpoint} names the latest, and Kernel reads the latest
   * version of a copy of the table whose log has no commit before that checkpoint (so the state
   * up to it can only come from the checkpoint).
   */
  private void assertCheckpointLoads(Connection c, String table, String location, StructType schema,
      long checkpointed, long latest) throws Exception {
    Path log = Path.of(location).resolve("_delta_log");
    TreeSet<Long> checkpoints = new TreeSet<>();
    try (Stream<Path> files = Files.list(log)) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".checkpoint.parquet"))
          .forEach(n -> checkpoints.add(Long.parseLong(n.substring(0, 20))));
    }
    assertTrue(checkpoints.contains(checkpointed), "CHECKPOINT " + table + " at version " + checkpointed
        + " wrote a checkpoint: " + checkpoints);
    Matcher m = LAST_CHECKPOINT_VERSION.matcher(Files.readString(log.resolve("_last_checkpoint")));
    assertTrue(m.find(), "_last_checkpoint of " + table + " names a version");
    long last = Long.parseLong(m.group(1));
    assertEquals(checkpoints.last(), last, "_last_checkpoint of " + table + " in " + checkpoints);

    // The copy keeps the commit at the checkpoint's version: Kernel requires it ("Missing delta
    // file for version N" otherwise).
    Path copy = copies.resolve(table);
    copyTree(Path.of(location), copy);
    try (Stream<Path> files = Files.list(copy.resolve("_delta_log"))) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".json") && !name.startsWith("_") && Long.parseLong(name.substring(0, 20)) < last) {
          Files.delete(f);
        }
      }
    }
    assertEquals(latest, KernelScan.latestVersion(copy.toString()), "Kernel's latest version of " + table
        + " from checkpoint " + last);
    String sql = Rows.render(Rows.multiset(JdbcRows.selectAll(c, table, schema)));
    for (IndependentReaders.Reader reader : IndependentReaders.ALL) {
      List<Object[]> fromCheckpoint = JdbcRows.millis(reader.atVersion(copy.toString(), latest).rows());
      agreeing(reader, table, () -> assertEquals(sql, Rows.render(Rows.multiset(fromCheckpoint)),
          reader.name() + ": rows of " + table + " from checkpoint " + last));
    }
  }

  private static Set<String> files(String location, long version) {
    Set<String> files = new HashSet<>();
    for (String path : KernelScan.filesAsOf(location, version)) {
      files.add(path.startsWith("file:") ? Path.of(URI.create(path)).toString() : path);
    }
    return files;
  }

  private static Set<String> dataFilesOnDisk(String location) throws IOException {
    try (Stream<Path> files = Files.walk(Path.of(location))) {
      Set<String> data = new HashSet<>();
      files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !Path.of(location).relativize(p).toString().startsWith("_"))
          .forEach(p -> data.add(p.toString()));
      return data;
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private static long currentVersion(Statement s, String table) throws SQLException {
    return Long.parseLong(rows(s, "select current_version from sys.tables where table_name = '" + table + "'").get(0));
  }

  private static String location(Statement s, String table) throws SQLException {
    return rows(s, "select location from sys.tables where table_name = '" + table + "'").get(0);
  }
}
