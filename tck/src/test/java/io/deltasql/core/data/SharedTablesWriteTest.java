package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.SharedTables;
import io.deltasql.tck.Lakes;
import io.deltasql.tck.TckReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every readable shared Delta table, copied to a temporary folder, imported through SQL and
 * written to ({@code INSERT INTO t SELECT * FROM t LIMIT 2}). Where deltasql writes, both
 * independent readers read the new version as deltasql does (or cannot read the table at all,
 * {@link IndependentReaders.Reader#cannotRead}); where it refuses, the refusal carries an
 * SQLState of its own and the table keeps its version and log. The outcome of each table is
 * logged as one line of a table.
 */
class SharedTablesWriteTest {
  private static final Logger LOG = LoggerFactory.getLogger(SharedTablesWriteTest.class);

  /**
   * Tables a reader fails on for what their data holds (its schema and protocol do not tell):
   * delta-standalone parses a timestamp partition value only as {@code yyyy-mm-dd hh:mm:ss}.
   */
  private static final Map<String, String> STANDALONE_FAILS = Map.of("kernel-timestamp-partition-col-ISO8601",
      "ISO-8601 timestamp partition values");

  @TempDir
  Path copies;

  @Test
  void writesToImportedSharedTablesAreReadAsDeltasqlReadsThem() throws Exception {
    List<String> outcomes = new ArrayList<>();
    List<String> disagreements = new ArrayList<>();
    try (Lakes lake = Lakes.fresh(CatalogBackend.H2, "sharedwrite");
        Connection c = DriverManager.getConnection(lake.url(";allowedLocations=*"));
        Statement s = c.createStatement()) {
      for (String table : SharedTables.readable()) {
        String name = "\"" + table.replaceAll("[^A-Za-z0-9]", "_") + "\"";
        String location = SharedTables.copyToTemp(table, copies).toString();
        try {
          s.execute("create table " + name + " location '" + location + "'");
        } catch (SQLException e) {
          outcomes.add(table + " | import refused " + e.getSQLState() + " | - | - | -");
          continue;
        }
        long before = currentVersion(s, name);
        Set<String> logBefore = logFiles(location);
        int inserted;
        try {
          inserted = s.executeUpdate("insert into " + name + " select * from " + name + " limit 2");
        } catch (SQLException e) {
          assertTrue(e.getSQLState() != null && !e.getSQLState().equals("XX000"), table + ": " + e.getSQLState()
              + " " + e.getMessage());
          assertEquals(before, currentVersion(s, name), table + ": version after a refused write");
          assertEquals(logBefore, logFiles(location), table + ": _delta_log after a refused write");
          outcomes.add(table + " | ok | refused " + e.getSQLState() + " | - | -");
          continue;
        }
        long after = currentVersion(s, name);
        if (inserted == 0) {
          // An empty table: inserting no rows commits nothing.
          assertEquals(before, after, table + ": an insert of no rows commits no version");
          outcomes.add(table + " | ok | empty, nothing inserted | - | -");
          continue;
        }
        assertEquals(before + 1, after, table + ": the insert committed one version");
        StringBuilder line = new StringBuilder(table + " | ok | ok");
        IndependentReaders.Reading sql = IndependentReaders.deltasql(c, name, location, after);
        for (IndependentReaders.Reader reader : IndependentReaders.ALL) {
          if (reader.name().equals("standalone") && STANDALONE_FAILS.containsKey(table)) {
            assertThrows(RuntimeException.class, () -> reader.atVersion(location, after), table);
            line.append(" | cannot read: ").append(STANDALONE_FAILS.get(table));
            continue;
          }
          try {
            Optional<String> cannot = IndependentReaders.assertAgreeOrCannotRead(reader,
                IndependentReaders.protocol(location, after), sql, () -> reader.atVersion(location, after),
                table + " version " + after);
            line.append(" | ").append(cannot.map(r -> "cannot read: " + r).orElse("agrees"));
            if (cannot.isEmpty()) {
              TckReport.tableVerified(reader.name(), table, true);
            }
          } catch (Exception | AssertionError e) {
            TckReport.tableVerified(reader.name(), table, false);
            line.append(" | DISAGREES");
            disagreements.add(reader.name() + " " + table + ": " + e);
          }
        }
        outcomes.add(line.toString());
      }
    }
    LOG.info("table | read | write | kernel | standalone\n{}", String.join("\n", outcomes));
    assertEquals(List.of(), disagreements);
  }

  private static long currentVersion(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("select current_version from sys.tables where table_name = '"
        + name.replace("\"", "") + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Set<String> logFiles(String location) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(location, "_delta_log"))) {
      Set<String> names = new TreeSet<>();
      files.forEach(f -> names.add(f.getFileName().toString()));
      return names;
    }
  }
}
