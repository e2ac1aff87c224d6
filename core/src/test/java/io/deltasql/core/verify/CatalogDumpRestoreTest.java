package io.deltasql.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.imports.ImportProgress;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.mirror.MirrorEngine;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.deltasql.core.testing.Postgres;
import io.deltasql.core.testing.SharedTables;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.TableRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup and restore of {@code docs/runbook.md}, done for real: a catalog holding written
 * and imported tables is dumped ({@code pg_dump} to a file; H2's {@code SCRIPT TO}), restored
 * into a new database ({@code psql -f} into a database this test creates; {@code RUNSCRIPT
 * FROM} into a new H2 file), and then every table verifies clean against its
 * {@code _delta_log}, and the restored catalog commits again: to an existing table, and a new
 * table whose id does not collide with a restored one.
 */
class CatalogDumpRestoreTest {
  private static final List<String> IMPORTED = List.of("dv-partitioned-with-checkpoint",
      "v2-checkpoint-parquet", "cdc_ict_table");

  @TempDir
  Path dir;

  @Test
  @Timeout(120)
  void h2ScriptAndRunscript() throws Exception {
    try (CatalogFixture original = CatalogBackend.H2.fresh("dump")) {
      List<TableRef> written = fill(original.store());
      Path script = dir.resolve("catalog.sql");
      try (Connection c = original.rawConnection(); PreparedStatement ps = c.prepareStatement("SCRIPT TO ?")) {
        ps.setString(1, script.toString());
        ps.execute();
      }
      original.closeStore();
      String restoredUrl = "jdbc:h2:file:" + dir.resolve("restored/catalog").toAbsolutePath();
      try (Connection c = DriverManager.getConnection(restoredUrl);
          PreparedStatement ps = c.prepareStatement("RUNSCRIPT FROM ?")) {
        ps.setString(1, script.toString());
        ps.execute();
      }
      checkRestored(restoredUrl, written);
    }
  }

  @Test
  @Timeout(120)
  void postgresqlDumpAndRestore() throws Exception {
    try (CatalogFixture original = CatalogBackend.POSTGRESQL.fresh("dump")) {
      List<TableRef> written = fill(original.store());
      PgServer server = PgServer.parse(Postgres.url());
      String schema = query(original.url(), "currentSchema");
      Path dump = dir.resolve("catalog.sql");
      run(List.of("pg_dump", "--no-owner", "--no-privileges", "-h", server.host(), "-p", server.port(),
          "-U", server.user(), "-n", schema, "-f", dump.toString(), server.database()));
      assertTrue(Files.readString(dump, StandardCharsets.UTF_8).contains("delta_files"), "the dump holds the catalog");
      original.closeStore();
      String database = "deltasql_restore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      execute(Postgres.url(), "CREATE DATABASE " + database);
      try {
        run(List.of("psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", server.host(), "-p", server.port(),
            "-U", server.user(), "-d", database, "-f", dump.toString()));
        checkRestored(server.url(database) + "&currentSchema=" + schema, written);
      } finally {
        execute(Postgres.url(), "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }

  /** Two written tables (mirrored, with checkpoints) and the imported shared tables. */
  private List<TableRef> fill(CatalogStore store) {
    List<TableRef> written;
    try (MirrorEngine mirror = MirrorEngine.open(store, LocalStorage.INSTANCE, WrittenTables.MIRROR,
        new SimpleMeterRegistry()); MultiTableWriter writer = WrittenTables.writer(store, mirror)) {
      written = WrittenTables.history(writer, "w", dir.resolve("lake").toString());
    }
    TableImporter importer = new TableImporter(store, LocalStorage.INSTANCE, ImportProgress.SILENT);
    for (String name : IMPORTED) {
      importer.importTable("shared", name.replace('-', '_'), SharedTables.table(name).toString());
    }
    List<VerifyReport> before = new TableVerifier(store, LocalStorage.INSTANCE).verifyAll();
    assertEquals(written.size() + IMPORTED.size(), before.size());
    before.forEach(r -> assertTrue(r.clean(), r::toString));
    return written;
  }

  private void checkRestored(String url, List<TableRef> written) {
    try (CatalogStore restored = CatalogStore.open(CatalogConfig.of(url).withPoolSize(4))) {
      TableVerifier verifier = new TableVerifier(restored, LocalStorage.INSTANCE);
      List<VerifyReport> reports = verifier.verifyAll();
      assertEquals(written.size() + IMPORTED.size(), reports.size(), "every table restored");
      reports.forEach(r -> assertTrue(r.clean(), r::toString));

      try (MirrorEngine mirror = MirrorEngine.open(restored, LocalStorage.INSTANCE, WrittenTables.MIRROR,
          new SimpleMeterRegistry()); MultiTableWriter writer = WrittenTables.writer(restored, mirror)) {
        TableRef a = writer.table("w", "a");
        WrittenTables.append(writer, a, "after-restore.parquet", "x");
        TableRef created = WrittenTables.create(writer, "w", "c", dir.resolve("lake/c").toString());
        WrittenTables.append(writer, created, "c-1.parquet", "x");
        assertTrue(written.stream().noneMatch(t -> t.tableId() == created.tableId()), "a new table id");
        assertNotEquals(a.tableId(), created.tableId());
        assertEquals(WrittenTables.LATEST + 1, restored.currentVersion(a.tableId()));
      }
      List<VerifyReport> after = verifier.verifyAll();
      assertEquals(written.size() + IMPORTED.size() + 1, after.size());
      after.forEach(r -> assertTrue(r.clean(), r::toString));
      TableInfo a = restored.findTable("w", "a").orElseThrow();
      assertEquals(WrittenTables.LATEST + 1, after.stream().filter(r -> r.table().tableId() == a.tableId())
          .findFirst().orElseThrow().logLatestVersion());
    }
  }

  /** Runs a command to completion; a missing client is a skip locally and a failure in CI. */
  private void run(List<String> command) throws IOException, InterruptedException {
    Path out = dir.resolve("command.log");
    Process process;
    try {
      process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
    } catch (IOException e) {
      String why = command.get(0) + " is not installed: " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(why + " (CI=true: the dump and restore test must run)", e);
      }
      Assumptions.abort(why);
      return;
    }
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " finished");
    assertEquals(0, process.exitValue(), () -> command + " failed: " + read(out));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String query(String url, String parameter) {
    int at = url.indexOf(parameter + "=");
    String rest = url.substring(at + parameter.length() + 1);
    int end = rest.indexOf('&');
    return end < 0 ? rest : rest.substring(0, end);
  }

  /** Host, port, user and database of the test server's JDBC URL, for the command-line clients. */
  private record PgServer(String host, String port, String user, String database, String query) {
    static PgServer parse(String jdbcUrl) {
      URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
      String query = uri.getQuery() == null ? "" : uri.getQuery();
      String user = "postgres";
      for (String pair : query.split("&")) {
        if (pair.startsWith("user=")) {
          user = pair.substring("user=".length());
        }
      }
      return new PgServer(uri.getHost(), String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()), user,
          uri.getPath().substring(1), query);
    }

    String url(String otherDatabase) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + otherDatabase + "?" + (query.isEmpty()
          ? "user=" + user : query);
    }
  }
}
