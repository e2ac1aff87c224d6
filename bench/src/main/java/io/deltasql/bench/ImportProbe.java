package io.deltasql.bench;

import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.imports.ImportProgress;
import io.deltasql.core.imports.ImportResult;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.storage.LocalStorage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The import of a generated table ({@link TableImporter}, every version replayed in one catalog
 * transaction) into a fresh catalog, timed: a new H2 file under {@code target/NAME}, or a
 * PostgreSQL schema {@code NAME} dropped and created again ({@code import_probe} by default). Prints the wall time, the
 * time a version and this JVM's CPU time (not the catalog server's).
 *
 * <pre>
 *   java -cp ... io.deltasql.bench.ImportProbe postgresql|h2 COMMITS FILES [CHECKPOINT_INTERVAL [NAME]]
 * </pre>
 */
public final class ImportProbe {
  private ImportProbe() {}

  public static void main(String[] args) throws Exception {
    String catalog = args[0];
    int commits = Integer.parseInt(args[1]);
    int files = Integer.parseInt(args[2]);
    int interval = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    String name = args.length > 4 ? args[4] : "import_probe";
    GeneratedTable table = TableGenerator.cached(GeneratedTableState.cacheRoot(),
        new TableSpec(commits, files, interval, false, Checksums.NONE));
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (CatalogStore store = CatalogStore.open(freshCatalog(catalog, name))) {
      long cpu0 = os.getProcessCpuTime();
      ImportResult result = new TableImporter(store, LocalStorage.INSTANCE, ImportProgress.LOGGING)
          .importTable("bench", "t", table.path());
      long cpu = os.getProcessCpuTime() - cpu0;
      long versions = result.latestVersion() - result.oldestVersion() + 1;
      System.out.printf(Locale.ROOT, "import %s %dx%d cp%d: %d versions in %.1f s (%.2f ms a version), "
          + "CPU of this JVM %.1f s; load %s%n", catalog, commits, files, interval, versions, result.millis() / 1e3,
          (double) result.millis() / versions, cpu / 1e9, Files.readString(Path.of("/proc/loadavg")).trim());
    }
  }

  private static CatalogConfig freshCatalog(String catalog, String name) throws Exception {
    if (catalog.equals("h2")) {
      Path dir = GeneratedTableState.cacheRoot().resolveSibling(name);
      if (Files.exists(dir)) {
        try (var paths = Files.walk(dir)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      return CatalogConfig.of("jdbc:h2:file:" + dir.resolve("catalog"));
    }
    try (Connection c = DriverManager.getConnection(CatalogOpenBenchmark.PG_URL); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      s.execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL not reachable at " + CatalogOpenBenchmark.PG_URL, e);
    }
    return CatalogConfig.of(CatalogOpenBenchmark.PG_URL + "&currentSchema=" + name);
  }
}
