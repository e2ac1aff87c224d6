package io.deltasql.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.SharedTables;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The command line, run in-process against an embedded H2 catalog in a temporary warehouse. */
class MainTest extends CapturedMain {
  @Test
  void importsATableAndShowsItsSnapshots() {
    String location = SharedTables.table("basic-with-inserts-deletes-checkpoint").toString();
    assertEquals(0, run("-u", url(), "import", location), err());
    assertTrue(out().contains("Imported default.basic_with_inserts_deletes_checkpoint"), out());
    assertTrue(out().contains("versions 0..13"), out());
    assertTrue(out().contains("files:      7"), out());
    assertTrue(Files.isDirectory(warehouse.resolve("_catalog")), "embedded catalog inside the warehouse");

    assertEquals(0, run("-u", url(), "show", "basic_with_inserts_deletes_checkpoint", "--version", "3"), err());
    assertTrue(out().contains("version:    3"), out());

    assertEquals(0, run("-u", url(), "tables"), err());
    assertTrue(out().contains("default.basic_with_inserts_deletes_checkpoint\tversion=13"), out());
  }

  @Test
  void refusedTableIsAnErrorWithItsSqlState() {
    String location = SharedTables.table("deltalog-invalid-protocol-version").toString();
    assertEquals(1, run("-u", url(), "import", location));
    assertTrue(err().startsWith("ERROR 0A000: "), err());
    assertTrue(err().contains("reader version 99"), err());
    assertEquals(0, run("-u", url(), "tables"));
    assertEquals("", out(), "nothing registered");
  }

  @Test
  void unknownTableIsAnError() {
    assertEquals(1, run("-u", url(), "show", "nope"));
    assertTrue(err().startsWith("ERROR 42P01: "), err());
  }

  @Test
  void badUrlPropertyIsAnError() {
    assertEquals(1, run("-u", "jdbc:deltasql:warehouse=" + warehouse + ";colour=blue", "tables"));
    assertTrue(err().startsWith("ERROR 22023: "), err());
    assertTrue(err().contains("colour"), err());
  }

  @Test
  void unreachableCatalogIsAConnectionError() {
    assertEquals(1, run("-u", url() + ";catalog=jdbc:postgresql://127.0.0.1:1/none;catalog.user=u;catalog.password=secret", "tables"));
    assertTrue(err().startsWith("ERROR 08"), err());
    assertTrue(!err().contains("secret"), "password must not be printed: " + err());
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, run("frobnicate"));
    assertTrue(err().contains("unknown command"), err());
    assertEquals(2, run("import"));
    assertEquals(0, run("--help"));
  }
}
