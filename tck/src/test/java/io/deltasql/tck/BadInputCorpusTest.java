package io.deltasql.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus ({@code src/test/resources/bad-input/*.cases}) on a lake of each catalog
 * backend, through the embedded driver. Each case must end as its corpus entry says, and
 * whatever it does:
 *
 * <ul>
 *   <li>a failure is an {@link SQLException} with the expected SQLState (never another
 *       throwable) and a message;
 *   <li>a failed case leaves the catalog database exactly as it was (every row of every table);
 *   <li>no file appears, changes or disappears in the warehouse (its catalog database aside)
 *       or in the folder beside it ({@code ${outside}}, which holds the import sources);
 *   <li>the connection still answers afterwards.
 * </ul>
 *
 * One lake per backend serves every case, so a case that damaged it shows in the next ones
 * too. Cases marked {@code known} are failures we know of: each is reported as aborted with its
 * reason, and fails the test once it passes (so that the mark is removed).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class BadInputCorpusTest {
  private static final Map<CatalogBackend, Fixture> FIXTURES = new EnumMap<>(CatalogBackend.class);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z]+)(?::(\\d+):([^}]*))?}");
  private static final Pattern PARAMETER = Pattern.compile("\\?\\s+(\\d+)\\s+(\\w+)(?:\\s(.*))?");

  @Parameter
  CatalogBackend backend;

  static List<BadInputCase> cases() {
    return BadInputCase.all();
  }

  @AfterAll
  static void closeLakes() {
    FIXTURES.values().forEach(Fixture::close);
    FIXTURES.clear();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInput(BadInputCase c) throws Exception {
    Fixture lake = fixture(backend);
    String problem;
    try {
      problem = lake.run(c);
    } catch (org.opentest4j.TestAbortedException e) {
      throw e;
    } catch (Exception | AssertionError e) {
      problem = "the test's own step failed: " + e;
    }
    boolean passed = problem == null;
    if (c.known().isPresent()) {
      TckReport.knownCaseRun(backend.name().toLowerCase(), "embedded", "bad-input", c.toString(), passed);
    } else {
      TckReport.caseRun(backend.name().toLowerCase(), "embedded", "bad-input", c.toString(), passed);
    }
    if (c.known().isPresent()) {
      if (passed) {
        fail(c + " is marked known-failing (" + c.known().get() + ") but passes now: remove its 'known' line");
      }
      Assumptions.abort("KNOWN FAILURE " + c + ": " + c.known().get() + " -- now: " + problem);
    }
    if (!passed) {
      fail(c + " on " + backend + ": " + problem);
    }
  }

  private static boolean mayChangeOnSuccess(String relative) {
    return relative.startsWith("outside/imports/") || relative.startsWith("lake/");
  }

  /** The innermost cause and its first frames, to find where a non-SQL throwable came from. */
  private static String where(Throwable thrown) {
    Throwable root = thrown;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    StringBuilder at = new StringBuilder(root.toString());
    StackTraceElement[] frames = root.getStackTrace();
    for (int i = 0; i < Math.min(8, frames.length); i++) {
      at.append(" <- ").append(frames[i]);
    }
    return at.toString();
  }

  private static synchronized Fixture fixture(CatalogBackend backend) throws Exception {
    Fixture lake = FIXTURES.get(backend);
    if (lake == null) {
      lake = new Fixture(backend);
      FIXTURES.put(backend, lake);
    }
    return lake;
  }

  /**
   * A lake ({@code ROOT/lake}) with a table {@code t} of one row and a table {@code made} with a
   * checkpoint, and the folder beside it ({@code ROOT/outside}) whose {@code imports/} may hold
   * tables to import.
   */
  static final class Fixture implements AutoCloseable {
    private final CatalogBackend backend;
    private final Path root;
    private final Path warehouse;
    private final Path outside;
    private final Path imports;
    private final Lakes lake;
    private Connection connection;

    Fixture(CatalogBackend backend) throws IOException, SQLException {
      this.backend = backend;
      this.root = Files.createTempDirectory("deltasql-badinput-");
      this.warehouse = Files.createDirectories(root.resolve("lake"));
      this.outside = Files.createDirectories(root.resolve("outside"));
      this.imports = Files.createDirectories(outside.resolve("imports"));
      this.lake = Lakes.at(backend, "badinput", warehouse, List.of(imports));
      this.connection = lake.connect();
      try (Statement s = connection.createStatement()) {
        s.execute("create table t (id int not null, name string, amount decimal(5, 2), small tinyint, dt date)");
        s.execute("insert into t values (1, 'one', 1.00, 1, date '2024-01-01')");
        s.execute("create table made (id bigint, v string) partitioned by (v)");
        for (int i = 0; i < 3; i++) {
          s.execute("insert into made values (" + i + ", 'p" + i % 2 + "')");
        }
        s.execute("checkpoint made");
        s.execute("insert into made values (9, 'p1')");
      }
    }

    /** Runs a case; null if it ended as expected, else what went wrong. */
    String run(BadInputCase c) throws Exception {
      Path source = imports.resolve(c.kind() + "-" + c.name());
      Map<String, String> vars = Map.of("warehouse", warehouse.toString(), "outside", outside.toString(),
          "imports", imports.toString(), "source", source.toString(), "shared", SharedTables.root().toString(),
          "lake", lake.url(";lockTimeout=2000").substring("jdbc:deltasql:".length()));
      for (String step : c.setup()) {
        setUp(expand(step, vars), source);
      }
      if (c.setup().stream().anyMatch(s -> s.startsWith("unreadable")) && Files.isReadable(outside.resolve("locked"))) {
        Assumptions.abort("this user reads folders without read permission (root): " + c + " cannot be made");
      }
      Map<String, String> catalogBefore = catalogDump();
      Map<String, String> filesBefore = listing(root);

      Throwable thrown = null;
      try {
        execute(c, expand(c.payload(), vars));
      } catch (Throwable t) {
        thrown = t;
      }
      List<String> problems = new ArrayList<>();
      if (thrown == null && !c.allowsSuccess()) {
        problems.add("succeeded, expected " + c.expected());
      } else if (thrown != null && !(thrown instanceof SQLException)) {
        problems.add("threw " + thrown + " instead of an SQLException, at " + where(thrown));
      } else if (thrown instanceof SQLException e) {
        if (c.expected().equals(List.of("ok"))) {
          problems.add("failed: [" + e.getSQLState() + "] " + e.getMessage());
        } else if (e.getSQLState() == null || e.getSQLState().length() != 5) {
          problems.add("SQLState " + e.getSQLState() + " is not 5 characters: " + e.getMessage() + " at " + where(e));
        } else if (!c.accepts(e.getSQLState())) {
          problems.add("SQLState " + e.getSQLState() + ", expected " + c.expected() + ": " + e.getMessage()
              + (e.getSQLState().startsWith("XX0") ? " at " + where(e) : ""));
        } else if (e.getMessage() == null || e.getMessage().isBlank()) {
          problems.add("no message");
        } else if (c.message().isPresent() && !e.getMessage().contains(c.message().get())) {
          problems.add("message does not name '" + c.message().get() + "': " + e.getMessage());
        }
      }
      if (thrown == null) {
        for (String check : c.checks()) {
          String[] sqlAndValue = expand(check, vars).split(" = (?=[^=]*$)");
          String actual = scalar(sqlAndValue[0]);
          if (!sqlAndValue[1].trim().equals(actual)) {
            problems.add(sqlAndValue[0] + " gave " + actual + ", expected " + sqlAndValue[1].trim());
          }
        }
      }
      for (String statement : c.after()) {
        try (Statement s = usableConnection().createStatement()) {
          s.execute(expand(statement, vars));
        } catch (SQLException e) {
          if (thrown == null) {
            problems.add("after: " + statement + ": [" + e.getSQLState() + "] " + e.getMessage());
          }
        }
      }
      if (thrown != null && !catalogDump().equals(catalogBefore)) {
        problems.add("the catalog changed: " + difference(catalogBefore, catalogDump()));
      }
      Map<String, String> filesAfter = listing(root);
      if (thrown == null) {
        // what a successful case creates in the lake or imports from the allowed location is its business
        filesBefore.keySet().removeIf(BadInputCorpusTest::mayChangeOnSuccess);
        filesAfter.keySet().removeIf(BadInputCorpusTest::mayChangeOnSuccess);
      }
      if (!filesAfter.equals(filesBefore)) {
        problems.add("files changed: " + difference(filesBefore, filesAfter));
      }
      try {
        if (connection.isClosed()) {
          problems.add("the connection was closed");
        } else {
          scalar("select count(*) from t");
        }
      } catch (SQLException e) {
        problems.add("the connection no longer answers: [" + e.getSQLState() + "] " + e.getMessage());
      }
      deleteTree(source);
      return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private Connection usableConnection() throws SQLException {
      if (connection.isClosed()) {
        connection = lake.connect();
      }
      return connection;
    }

    private void execute(BadInputCase c, String payload) throws SQLException {
      switch (c.kind()) {
        case "url" -> {
          try (Connection ignored = DriverManager.getConnection("jdbc:deltasql:" + payload)) {
            // connected: the case fails unless it expects success
          }
        }
        case "prepared" -> {
          List<String> lines = payload.lines().toList();
          try (PreparedStatement ps = usableConnection().prepareStatement(lines.get(0))) {
            for (String line : lines.subList(1, lines.size())) {
              Matcher m = PARAMETER.matcher(line.trim());
              if (!m.matches()) {
                throw new IllegalArgumentException("parameter line '" + line + "' is not '? N TYPE [VALUE]'");
              }
              setParameter(ps, Integer.parseInt(m.group(1)), m.group(2), m.group(3));
            }
            if (ps.execute()) {
              drain(ps.getResultSet());
            }
          }
        }
        default -> {
          try (Statement s = usableConnection().createStatement()) {
            if (s.execute(payload)) {
              drain(s.getResultSet());
            }
          }
        }
      }
    }

    private static void setParameter(PreparedStatement ps, int index, String type, String value) throws SQLException {
      switch (type) {
        case "null" -> ps.setNull(index, java.sql.Types.INTEGER);
        case "int" -> ps.setInt(index, Integer.parseInt(value));
        case "long" -> ps.setLong(index, Long.parseLong(value));
        case "string" -> ps.setString(index, value);
        case "decimal" -> ps.setBigDecimal(index, new java.math.BigDecimal(value));
        case "double" -> ps.setDouble(index, Double.parseDouble(value));
        case "date" -> ps.setDate(index, java.sql.Date.valueOf(value));
        case "bytes" -> ps.setBytes(index, value.getBytes(StandardCharsets.UTF_8));
        case "boolean" -> ps.setBoolean(index, Boolean.parseBoolean(value));
        case "object" -> ps.setObject(index, new Object());
        default -> throw new IllegalArgumentException("parameter type " + type);
      }
    }

    private static void drain(ResultSet rs) throws SQLException {
      try (rs) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= columns; i++) {
            rs.getObject(i);
          }
        }
      }
    }

    private String scalar(String sql) throws SQLException {
      try (Statement s = usableConnection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
        return rs.next() ? String.valueOf(rs.getObject(1)) : "(no row)";
      }
    }

    /** The setup actions of the corpus README. */
    private void setUp(String step, Path source) throws Exception {
      String[] w = step.split("\\s+", 3);
      switch (w[0]) {
        case "file" -> {
          Files.createDirectories(Path.of(w[1]).getParent());
          Files.writeString(Path.of(w[1]), w.length > 2 ? w[2] : "not a folder");
        }
        case "mkdir" -> Files.createDirectories(Path.of(w[1]));
        case "symlink" -> {
          Files.createDirectories(Path.of(w[1]).getParent());
          Files.createSymbolicLink(Path.of(w[1]), Path.of(w[2]));
        }
        case "unreadable" -> {
          Path dir = Files.createDirectories(outside.resolve("locked"));
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("---------"));
        }
        case "copy" -> copyTree(SharedTables.table(w[1]), w.length > 2 ? Path.of(w[2]) : source);
        case "copy-made" -> copyTree(warehouse.resolve("default").resolve("made"), source);
        case "sql" -> {
          try (Statement s = usableConnection().createStatement()) {
            s.execute(step.substring("sql ".length()));
          }
        }
        default -> LogDamage.apply(source.resolve("_delta_log"), step);
      }
    }

    /** Every row of every table of the catalog database, by table, rows sorted. */
    Map<String, String> catalogDump() throws SQLException {
      Map<String, String> dump = new TreeMap<>();
      try (Connection c = lake.rawCatalog()) {
        DatabaseMetaData meta = c.getMetaData();
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
          while (rs.next()) {
            tables.add(rs.getString("TABLE_NAME"));
          }
        }
        for (String table : tables) {
          List<String> rows = new ArrayList<>();
          try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              StringBuilder row = new StringBuilder();
              for (int i = 1; i <= columns; i++) {
                row.append(i > 1 ? "|" : "").append(rs.getString(i));
              }
              rows.add(row.toString());
            }
          }
          rows.sort(Comparator.naturalOrder());
          dump.put(table, String.join("\n", rows));
        }
      }
      return dump;
    }

    /**
     * Every file under {@code dir} with its size, but the embedded catalog database's files and
     * the contents of folders that cannot be read.
     */
    private static Map<String, String> listing(Path dir) throws IOException {
      Map<String, String> files = new TreeMap<>();
      Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult preVisitDirectory(Path p, java.nio.file.attribute.BasicFileAttributes a) {
          if (p.getFileName().toString().equals("_catalog")) {
            return java.nio.file.FileVisitResult.SKIP_SUBTREE;
          }
          files.put(dir.relativize(p).toString(), "dir");
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a) {
          files.put(dir.relativize(p).toString(), a.isSymbolicLink() ? "link" : String.valueOf(a.size()));
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) {
          files.put(dir.relativize(p).toString(), "unreadable");
          return java.nio.file.FileVisitResult.CONTINUE;
        }
      });
      return files;
    }

    private static String difference(Map<String, String> before, Map<String, String> after) {
      List<String> changes = new ArrayList<>();
      before.forEach((k, v) -> {
        if (!after.containsKey(k)) {
          changes.add("-" + k);
        } else if (!after.get(k).equals(v)) {
          changes.add("~" + k + ": " + abbreviate(v) + " -> " + abbreviate(after.get(k)));
        }
      });
      after.keySet().stream().filter(k -> !before.containsKey(k)).forEach(k -> changes.add("+" + k));
      return changes.toString();
    }

    private static String abbreviate(String s) {
      return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    /** The text with {@code ${name}}, {@code ${repeat:N:TEXT}}, {@code ${nul}} and {@code ${char:HEX}} replaced. */
    static String expand(String text, Map<String, String> vars) {
      Matcher m = PLACEHOLDER.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String replacement = switch (m.group(1)) {
          case "repeat" -> m.group(3).repeat(Integer.parseInt(m.group(2)));
          case "nul" -> "\u0000";
          case "char" -> Character.toString(Integer.parseInt(m.group(3), 16));
          default -> {
            String value = vars.get(m.group(1));
            if (value == null) {
              throw new IllegalArgumentException("unknown placeholder ${" + m.group(1) + "} in: " + text);
            }
            yield value;
          }
        };
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(out);
      return out.toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
      try (Stream<Path> files = Files.walk(from)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Path dest = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(dest);
          } else {
            Files.copy(p, dest);
            dest.toFile().setWritable(true);
          }
        }
      }
    }

    static void deleteTree(Path dir) {
      if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      dir.toFile().setReadable(true);
      dir.toFile().setExecutable(true);
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clean " + dir, e);
      }
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (SQLException e) {
        // the lake goes anyway
      }
      lake.close();
      deleteTree(root);
    }
  }
}
