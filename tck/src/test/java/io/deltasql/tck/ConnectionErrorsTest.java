package io.deltasql.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The errors of connecting, which no script can show (a script runs on a connection): a bad
 * URL property and an unreachable catalog, each an SQLException with its SQLState and the
 * culprit named, and nothing created in the warehouse.
 */
class ConnectionErrorsTest {
  /** The URL tests use the default embedded catalog; the unreachable one names a PostgreSQL URL. */
  @RegisterExtension
  final ReportedCases cases = new ReportedCases("connection-errors", () -> "h2");

  @TempDir
  Path dir;

  @Test
  void unknownUrlPropertyIs22023NamingIt() {
    Path warehouse = dir.resolve("lake");
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:deltasql:warehouse=" + warehouse + ";warehuose=x"));
    assertEquals("22023", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains("warehuose"), e.getMessage());
    assertFalse(Files.exists(warehouse), "no warehouse folder for a refused URL");
  }

  @Test
  void malformedUrlPropertyIs22023() {
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:deltasql:warehouse=" + dir + ";isolation=SOMETIMES"));
    assertEquals("22023", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains("SOMETIMES"), e.getMessage());
  }

  @Test
  void unreachableCatalogIs08xxxNamingIt() {
    Path warehouse = dir.resolve("lake2");
    // A port nothing listens on, on this machine.
    String catalog = "jdbc:postgresql://127.0.0.1:1/nowhere?user=postgres&connectTimeout=2";
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:deltasql:warehouse=" + warehouse + ";catalog='" + catalog + "'"));
    assertTrue(e.getSQLState() != null && e.getSQLState().startsWith("08"), e.getSQLState() + " " + e.getMessage());
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
  }
}
