package io.deltasql.driver.cli;

import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.imports.ImportResult;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.storage.RoutingStorage;
import io.deltasql.core.storage.Storages;
import io.deltasql.core.table.Snapshot;
import io.deltasql.driver.ConnectionProperty;
import io.deltasql.driver.ConnectionUrl;
import io.deltasql.driver.JdbcErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The {@code bin/deltasql} command line: SQL through the {@code jdbc:deltasql:} driver, and a few
 * subcommands that work on the catalog directly.
 *
 * <pre>
 * deltasql [-u URL] [-f FILE | -e SQL]... [--format table|csv|json]
 * deltasql [-u URL] import LOCATION [--name [SCHEMA.]TABLE]
 * deltasql [-u URL] show [SCHEMA.]TABLE [--version V]
 * deltasql [-u URL] tables
 * </pre>
 *
 * A first word that names a subcommand ({@link #commands}) runs it; anything else is SQL
 * options. Without {@code -f} or {@code -e}, SQL comes from an interactive shell when stdin is a
 * terminal, else from stdin as a script. Scripts run their {@code ;}-terminated statements in
 * order and stop at the first error.
 *
 * <p>Exit status 0 on success, 1 on an error (printed on stderr as {@code ERROR <SQLState>:
 * message}, with the failing statement's place in its script), 2 on a usage error.
 */
public final class Main {
  static final String DEFAULT_URL = "jdbc:deltasql:warehouse=./lake";
  /** Where the shell keeps its history, unless {@code -Ddeltasql.history=FILE} says otherwise. */
  static final String HISTORY = ".deltasql_history";

  /** A subcommand: runs with the URL given before it (or the default) and its own arguments. */
  @FunctionalInterface
  interface Command {
    int run(Main main, String url, Deque<String> args);
  }

  /** The subcommands by name; {@code server} will join them. */
  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("import", (main, url, args) -> main.importTable(ConnectionUrl.parse(url, new Properties()), args));
    COMMANDS.put("show", (main, url, args) -> main.show(ConnectionUrl.parse(url, new Properties()), args));
    COMMANDS.put("tables", (main, url, args) -> main.tables(ConnectionUrl.parse(url, new Properties())));
  }

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;

  Main(PrintStream out, PrintStream err) {
    this(InputStream.nullInputStream(), out, err, false);
  }

  /**
   * @param interactive whether stdin and stdout are a terminal, for the shell (else SQL without
   *     {@code -f} or {@code -e} is read from {@code in})
   */
  Main(InputStream in, PrintStream out, PrintStream err, boolean interactive) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  public static void main(String[] args) {
    System.exit(new Main(System.in, System.out, System.err, terminal()).run(args));
  }

  /** Whether stdin and stdout are a terminal: {@code bin/deltasql} tells with {@code -Ddeltasql.tty}. */
  private static boolean terminal() {
    String told = System.getProperty("deltasql.tty");
    return told != null ? Boolean.parseBoolean(told) : System.console() != null;
  }

  /** The subcommands' names. */
  static Set<String> commands() {
    return Collections.unmodifiableSet(COMMANDS.keySet());
  }

  int run(String[] args) {
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    String url = DEFAULT_URL;
    if (rest.size() >= 2 && (rest.peek().equals("-u") || rest.peek().equals("--url"))) {
      rest.pop();
      url = rest.pop();
    }
    try {
      String first = rest.peek();
      if (first != null && !first.startsWith("-")) {
        Command command = COMMANDS.get(first);
        if (command == null) {
          return usage("unknown command '" + first + "'");
        }
        rest.pop();
        return command.run(this, url, rest);
      }
      return sql(url, rest);
    } catch (DeltaException e) {
      err.println("ERROR " + e.sqlState() + ": " + e.getMessage());
      return 1;
    } catch (UsageException e) {
      return usage(e.getMessage());
    }
  }

  /** What to run: the text of {@code -e}, or a file ({@code -} for stdin) of {@code -f}. */
  private record Input(String text, String file) {
    SqlRunner.Source source(int executes, int number) {
      if (file == null) {
        return SqlRunner.Source.arguments(executes > 1 ? "-e #" + number : "-e");
      }
      return SqlRunner.Source.file(file.equals("-") ? "standard input" : file);
    }
  }

  private int sql(String defaultUrl, Deque<String> args) {
    String url = defaultUrl;
    ResultPrinter.Format format = ResultPrinter.Format.TABLE;
    List<Input> inputs = new ArrayList<>();
    int executes = 0;
    while (!args.isEmpty()) {
      String option = args.pop();
      String value = null;
      int eq = option.indexOf('=');
      if (option.startsWith("--") && eq > 0) {
        value = option.substring(eq + 1);
        option = option.substring(0, eq);
      }
      switch (option) {
        case "-h", "--help" -> {
          return usage(null);
        }
        case "-u", "--url" -> url = value(option, value, args);
        case "--format" -> {
          try {
            format = ResultPrinter.Format.of(value(option, value, args));
          } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
          }
        }
        case "-e", "--execute" -> {
          inputs.add(new Input(value(option, value, args), null));
          executes++;
        }
        case "-f", "--file" -> inputs.add(new Input(null, value(option, value, args)));
        default -> throw new UsageException("unknown option '" + option + "'");
      }
    }
    ResultPrinter printer = new ResultPrinter(out, format);
    try (Connection connection = connect(url)) {
      SqlRunner runner = new SqlRunner(connection, printer, err);
      if (inputs.isEmpty()) {
        if (interactive) {
          return shell(runner, url);
        }
        inputs.add(new Input(null, "-"));
      }
      int number = 0;
      for (Input input : inputs) {
        String text = input.file() == null ? input.text() : read(input.file());
        if (!runner.runScript(text, input.source(executes, input.file() == null ? ++number : number))) {
          return 1;
        }
      }
      return 0;
    } catch (SQLException e) {
      err.println(SqlRunner.line(e));
      return 1;
    }
  }

  private static String value(String option, String inline, Deque<String> args) {
    if (inline != null) {
      return inline;
    }
    if (args.isEmpty()) {
      throw new UsageException(option + " needs a value");
    }
    return args.pop();
  }

  private static Connection connect(String url) throws SQLException {
    try {
      return DriverManager.getConnection(url);
    } catch (RuntimeException e) {
      throw JdbcErrors.toSqlException(e);
    }
  }

  /** A script's text: a file, or stdin for {@code -}. */
  private String read(String file) throws SQLException {
    try {
      if (file.equals("-")) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new SQLException("Cannot read script " + file + ": " + e, SqlState.IO_ERROR.code(), e);
    }
  }

  private int shell(SqlRunner runner, String url) {
    String history = System.getProperty("deltasql.history",
        Path.of(System.getProperty("user.home"), HISTORY).toString());
    try (Terminal terminal = TerminalBuilder.builder().name("deltasql").system(true).build()) {
      new Shell(runner, out).run(terminal, Path.of(history), ConnectionUrl.redact(url));
      return 0;
    } catch (IOException e) {
      err.println("ERROR " + SqlState.IO_ERROR.code() + ": terminal: " + e.getMessage());
      return 1;
    }
  }

  private int importTable(ConnectionUrl url, Deque<String> args) {
    if (args.isEmpty()) {
      throw new UsageException("import needs the location of a Delta table");
    }
    String given = args.pop();
    String location = Storages.isObjectStore(given) ? given.replaceAll("/+$", "")
        : Path.of(Storages.localPath(given)).toAbsolutePath().normalize().toString();
    String[] name = defaultName(location, url);
    while (!args.isEmpty()) {
      String option = args.pop();
      if (option.equals("--name") && !args.isEmpty()) {
        name = qualified(args.pop(), url);
      } else {
        throw new UsageException("unknown import option '" + option + "'");
      }
    }
    try (CatalogStore catalog = openCatalog(url);
        RoutingStorage storage = RoutingStorage.open(url.warehouse(), url.storageProperties())) {
      ImportResult result = new TableImporter(catalog, storage).importTable(name[0], name[1], location);
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
    String catalogUrl = url.catalogUrl(); // refuses an S3 warehouse without catalog=
    CatalogConfig config = url.get(ConnectionProperty.CATALOG).isPresent()
        ? CatalogConfig.of(catalogUrl)
        : CatalogConfig.embedded(createWarehouse(Path.of(url.warehouse())));
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
  private static String[] defaultName(String location, ConnectionUrl url) {
    List<String> segments = new ArrayList<>();
    for (String segment : location.substring(location.indexOf("://") < 0 ? 0 : location.indexOf("://") + 3)
        .split("[/\\\\]")) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    int last = segments.size() - 1;
    if (last > 0 && segments.get(last).equals("delta")) {
      last--;
    }
    String table = last < 0 ? "imported" : segments.get(last);
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

  /** Prints the usage: on stdout when asked for, on stderr after a problem. */
  private int usage(String problem) {
    PrintStream to = problem == null ? out : err;
    if (problem != null) {
      to.println("deltasql: " + problem);
    }
    to.println("usage: deltasql [-u URL] [-f FILE | -e SQL]... [--format table|csv|json]");
    to.println("       deltasql [-u URL] import LOCATION [--name [SCHEMA.]TABLE]");
    to.println("       deltasql [-u URL] show [SCHEMA.]TABLE [--version V]");
    to.println("       deltasql [-u URL] tables");
    to.println("Without -f or -e: an interactive shell on a terminal, else a script from stdin (also -f -).");
    to.println("Scripts stop at the first error. --format json prints JSON Lines, csv RFC 4180.");
    to.println("default URL: " + DEFAULT_URL);
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
