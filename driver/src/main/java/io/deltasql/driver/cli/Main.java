package io.deltasql.driver.cli;

import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.imports.ImportResult;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import io.deltasql.driver.ConnectionProperty;
import io.deltasql.driver.ConnectionUrl;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The {@code bin/deltasql} command line. For now it imports existing Delta tables into the
 * catalog and prints snapshots; the SQL shell comes with the driver.
 *
 * <pre>
 * deltasql [-u URL] import LOCATION [--name [SCHEMA.]TABLE]
 * deltasql [-u URL] show [SCHEMA.]TABLE [--version V]
 * deltasql [-u URL] tables
 * </pre>
 *
 * Exit status 0 on success, 1 on an error (printed on stderr with its SQLState), 2 on a
 * usage error.
 */
public final class Main {
  static final String DEFAULT_URL = "jdbc:deltasql:warehouse=./lake";

  private final PrintStream out;
  private final PrintStream err;

  Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new Main(System.out, System.err).run(args));
  }

  int run(String[] args) {
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    String url = DEFAULT_URL;
    if (!rest.isEmpty() && (rest.peek().equals("-u") || rest.peek().equals("--url"))) {
      rest.pop();
      if (rest.isEmpty()) {
        return usage("-u needs a URL");
      }
      url = rest.pop();
    }
    if (rest.isEmpty() || rest.peek().equals("-h") || rest.peek().equals("--help")) {
      return usage(null);
    }
    String command = rest.pop();
    try {
      ConnectionUrl parsed = ConnectionUrl.parse(url, new Properties());
      return switch (command) {
        case "import" -> importTable(parsed, rest);
        case "show" -> show(parsed, rest);
        case "tables" -> tables(parsed);
        default -> usage("unknown command '" + command + "'");
      };
    } catch (DeltaException e) {
      err.println("ERROR " + e.sqlState() + ": " + e.getMessage());
      return 1;
    } catch (UsageException e) {
      return usage(e.getMessage());
    }
  }

  private int importTable(ConnectionUrl url, Deque<String> args) {
    if (args.isEmpty()) {
      throw new UsageException("import needs the location of a Delta table");
    }
    Path location = Path.of(args.pop()).toAbsolutePath().normalize();
    String[] name = defaultName(location, url);
    while (!args.isEmpty()) {
      String option = args.pop();
      if (option.equals("--name") && !args.isEmpty()) {
        name = qualified(args.pop(), url);
      } else {
        throw new UsageException("unknown import option '" + option + "'");
      }
    }
    try (CatalogStore catalog = openCatalog(url)) {
      ImportResult result = new TableImporter(catalog, LocalStorage.INSTANCE)
          .importTable(name[0], name[1], location.toString());
      out.printf(Locale.ROOT, "Imported %s.%s from %s: versions %d..%d in %d ms%n", result.schema(),
          result.name(), result.location(), result.oldestVersion(), result.latestVersion(), result.millis());
      print(catalog.snapshot(result.tableId()));
      return 0;
    }
  }

  private int show(ConnectionUrl url, Deque<String> args) {
    if (args.isEmpty()) {
      throw new UsageException("show needs a table name");
    }
    String[] name = qualified(args.pop(), url);
    Long version = null;
    while (!args.isEmpty()) {
      String option = args.pop();
      if (option.equals("--version") && !args.isEmpty()) {
        version = parseVersion(args.pop());
      } else {
        throw new UsageException("unknown show option '" + option + "'");
      }
    }
    try (CatalogStore catalog = openCatalog(url)) {
      TableInfo table = catalog.findTable(name[0], name[1]).orElseThrow(() -> new DeltaException(
          SqlState.UNDEFINED_TABLE, "Table " + name[0] + "." + name[1] + " does not exist"));
      print(version == null ? catalog.snapshot(table.tableId()) : catalog.snapshotAt(table.tableId(), version));
      return 0;
    }
  }

  private int tables(ConnectionUrl url) {
    try (CatalogStore catalog = openCatalog(url)) {
      for (TableInfo t : catalog.listTables()) {
        out.printf(Locale.ROOT, "%s\tversion=%d\t%s%n", t.qualifiedName(), t.currentVersion(), t.location());
      }
      return 0;
    }
  }

  private void print(Snapshot snapshot) {
    long bytes = snapshot.files().values().stream().mapToLong(f -> f.size()).sum();
    out.printf(Locale.ROOT, "version:    %d%n", snapshot.version());
    out.printf(Locale.ROOT, "timestamp:  %s%n", java.time.Instant.ofEpochMilli(snapshot.timestamp()));
    out.printf(Locale.ROOT, "protocol:   reader %d, writer %d%s%n", snapshot.protocol().minReaderVersion(),
        snapshot.protocol().minWriterVersion(), features(snapshot));
    out.printf(Locale.ROOT, "schema:     %s%n", snapshot.metadata().schemaString());
    out.printf(Locale.ROOT, "partitions: %s%n", snapshot.metadata().partitionColumns());
    out.printf(Locale.ROOT, "properties: %s%n", snapshot.metadata().configuration());
    out.printf(Locale.ROOT, "files:      %d (%d bytes)%n", snapshot.files().size(), bytes);
  }

  private static String features(Snapshot snapshot) {
    var p = snapshot.protocol();
    if (p.readerFeatures().isEmpty() && p.writerFeatures().isEmpty()) {
      return "";
    }
    return ", reader features " + p.readerFeatures() + ", writer features " + p.writerFeatures();
  }

  private static CatalogStore openCatalog(ConnectionUrl url) {
    CatalogConfig config = url.get(ConnectionProperty.CATALOG).isPresent()
        ? CatalogConfig.of(url.catalogUrl())
        : CatalogConfig.embedded(createWarehouse(url.warehouse()));
    if (url.get(ConnectionProperty.CATALOG_USER).isPresent()) {
      config = config.withCredentials(url.get(ConnectionProperty.CATALOG_USER).get(),
          url.get(ConnectionProperty.CATALOG_PASSWORD).orElse(""));
    }
    return CatalogStore.open(config);
  }

  private static Path createWarehouse(Path warehouse) {
    try {
      Files.createDirectories(warehouse);
      return warehouse;
    } catch (java.io.IOException e) {
      throw new DeltaException(SqlState.IO_ERROR, "Cannot create warehouse folder " + warehouse + ": " + e.getMessage(), e);
    }
  }

  /** The default name of an imported table: its folder's name (the parent's, for a folder named "delta"). */
  private static String[] defaultName(Path location, ConnectionUrl url) {
    Path named = location.getFileName() != null && location.getFileName().toString().equals("delta")
        && location.getParent() != null ? location.getParent() : location;
    String table = named.getFileName() == null ? "imported" : named.getFileName().toString();
    table = table.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return new String[] {url.get(ConnectionProperty.SCHEMA).orElseThrow(), table};
  }

  private static String[] qualified(String name, ConnectionUrl url) {
    int dot = name.indexOf('.');
    if (dot < 0) {
      return new String[] {url.get(ConnectionProperty.SCHEMA).orElseThrow(), name};
    }
    return new String[] {name.substring(0, dot), name.substring(dot + 1)};
  }

  private static long parseVersion(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new UsageException("--version needs a number, got '" + text + "'");
    }
  }

  private int usage(String problem) {
    if (problem != null) {
      err.println("deltasql: " + problem);
    }
    err.println("usage: deltasql [-u URL] import LOCATION [--name [SCHEMA.]TABLE]");
    err.println("       deltasql [-u URL] show [SCHEMA.]TABLE [--version V]");
    err.println("       deltasql [-u URL] tables");
    err.println("default URL: " + DEFAULT_URL);
    return problem == null ? 0 : 2;
  }

  /** A command line that does not make sense. */
  private static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
