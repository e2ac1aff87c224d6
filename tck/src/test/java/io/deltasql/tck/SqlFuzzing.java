package io.deltasql.tck;

import io.deltasql.core.testing.CatalogBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The SQL fuzzer's generator and oracle. Scripts are short sequences of statements from a small
 * grammar of deltasql's SQL (DDL, DML, queries, time travel, transactions, maintenance), some
 * damaged by a token dropped, swapped, repeated or replaced with a random literal or name. Each
 * statement runs on a real embedded connection and must succeed or fail with an
 * {@link SQLException} that has a 5-character SQLState; the connection must answer afterwards.
 * Failing scripts are kept in {@code sql-fuzz-corpus/} and replayed by {@link SqlFuzzCorpusTest}.
 */
final class SqlFuzzing {
  /** Separates the statements of a script in a corpus file (a statement may hold ';'). */
  static final String SEPARATOR = "----";

  private static final List<String> TABLES = List.of("f1", "f2", "f3", "sys.history", "sys.files", "nope");
  private static final List<String> COLUMNS = List.of("id", "s", "d", "x", "b", "p", "nope", "*");
  private static final List<String> TYPES = List.of("int", "bigint", "string", "date", "timestamp", "decimal(10, 2)",
      "boolean", "double", "tinyint", "binary", "array<int>", "struct<a: int>", "map<string, int>", "time");
  private static final List<String> LITERALS = List.of("1", "-1", "0", "2147483648", "9223372036854775808", "1.5",
      "1e308", "-1e-308", "'x'", "''", "'it''s'", "null", "true", "date '2024-01-01'", "date '2024-02-30'",
      "timestamp '2024-01-01 00:00:00'", "x'0aff'", "interval '1' day", "cast(null as int)", "'2024-01-01'",
      "99999999999999999999.99", "cast('x' as int)", "1 / 0", "-(-2147483648)");
  private static final List<String> NOISE = List.of("(", ")", ",", ";", "'", "\"", "*", "=", "select", "from",
      "where", "table", "values", "null", "as", "of", "version", "begin", "multi", "commit", "--", "/*", "?", ".",
      "\u0000", "é", "in", "and", "not", "case", "end", "partitioned", "by", "location", "'/tmp'", "'..'");

  private SqlFuzzing() {}

  /** A script: one to four statements, each possibly damaged. */
  static Arbitrary<List<String>> scripts() {
    return statement().list().ofMinSize(1).ofMaxSize(4);
  }

  /** Writes a failing script to {@code target/sql-fuzz-failures/} in the corpus format. */
  static void keep(List<String> script, String failure) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "sql-fuzz-failures"));
      String text = "# " + failure.replace('\n', ' ') + "\n"
          + String.join("\n" + SEPARATOR + "\n", script.stream().map(s -> s.replace("\u0000", "\\0")).toList())
          + "\n";
      Files.writeString(dir.resolve(Integer.toHexString(text.hashCode()) + ".sql"), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Arbitrary<String> statement() {
    return Combinators.combine(clean(), Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 999),
        Arbitraries.integers().between(0, 999), Arbitraries.of(NOISE), Arbitraries.of(LITERALS))
        .as(SqlFuzzing::damage);
  }

  /** A statement of the grammar, undamaged (it may still be wrong: unknown names, bad types). */
  static Arbitrary<String> clean() {
    Arbitrary<String> table = Arbitraries.of(TABLES);
    Arbitrary<String> column = Arbitraries.of(COLUMNS);
    Arbitrary<String> literal = Arbitraries.oneOf(Arbitraries.of(LITERALS),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.strings().ofMaxLength(6).map(s -> "'" + s.replace("'", "''") + "'"));
    Arbitrary<String> op = Arbitraries.of("=", "<", ">=", "<>", "is not", "in", "like", "+");
    Arbitrary<String> where = Combinators.combine(column, op, literal).as((c, o, l) ->
        o.equals("in") ? c + " in (" + l + ", " + l + ")" : c + " " + o + " " + l);
    Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of("f1", "f2", "f3", "g1"),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5).map(s -> "g_" + s));
    Arbitrary<String> columnDef = Combinators.combine(Arbitraries.of("id", "s", "d", "x", "b", "p", "q"),
        Arbitraries.of(TYPES), Arbitraries.of("", " not null")).as((c, t, n) -> c + " " + t + n);
    Arbitrary<String> values = literal.list().ofMinSize(1).ofMaxSize(5).map(l -> "(" + String.join(", ", l) + ")");
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.of("", "if not exists "), name, columnDef.list().ofMinSize(1).ofMaxSize(4),
            Arbitraries.of("", " partitioned by (p)", " partitioned by (id)"))
            .as((ine, n, cols, part) -> "create table " + ine + n + " (" + String.join(", ", cols) + ")" + part),
        Combinators.combine(name, table, where).as((n, t, w) -> "create table " + n + " as select * from " + t
            + " where " + w),
        Combinators.combine(table, values.list().ofMinSize(1).ofMaxSize(3))
            .as((t, v) -> "insert into " + t + " values " + String.join(", ", v)),
        Combinators.combine(table, table, where).as((t, u, w) -> "insert into " + t + " select * from " + u
            + " where " + w),
        Combinators.combine(table, column, literal, where).as((t, c, l, w) -> "update " + t + " set " + c + " = "
            + l + " where " + w),
        Combinators.combine(table, where).as((t, w) -> "delete from " + t + " where " + w),
        Combinators.combine(column, table, where, Arbitraries.of("", " order by 1", " group by id", " limit 2"))
            .as((c, t, w, tail) -> "select " + c + " from " + t + " where " + w + tail),
        Combinators.combine(table, Arbitraries.integers().between(-2, 20))
            .as((t, v) -> "select count(*) from " + t + " version as of " + v),
        Combinators.combine(table, literal).as((t, l) -> "select * from " + t + " timestamp as of " + l),
        Combinators.combine(table, columnDef).as((t, c) -> "alter table " + t + " add columns (" + c + ")"),
        Combinators.combine(Arbitraries.of("", " if exists"), name).as((ie, n) -> "drop table" + ie + " " + n),
        Arbitraries.of("begin multi", "begin multi isolation level serializable", "begin multi priority 3",
            "begin multi isolation level repeatable read", "commit", "rollback", "show tables"),
        table.map(t -> "describe history " + t),
        table.map(t -> "optimize " + t),
        table.map(t -> "checkpoint " + t),
        Combinators.combine(table, Arbitraries.integers().between(-1, 200))
            .as((t, h) -> "vacuum " + t + " retain " + h + " hours"),
        table.map(t -> "call verify('" + t + "')"));
  }

  /** {@code how}: 0-4 keep the statement; 5 drop a token; 6 swap two; 7 repeat one; 8 noise; 9 literal. */
  static String damage(String sql, int how, int at, int other, String noise, String literal) {
    List<String> tokens = new ArrayList<>(Arrays.asList(sql.split(" ")));
    int i = at % tokens.size();
    int j = other % tokens.size();
    switch (how) {
      case 5 -> tokens.remove(i);
      case 6 -> {
        String t = tokens.get(i);
        tokens.set(i, tokens.get(j));
        tokens.set(j, t);
      }
      case 7 -> tokens.add(i, tokens.get(i));
      case 8 -> tokens.add(i, noise);
      case 9 -> tokens.set(i, literal);
      default -> {
        return sql;
      }
    }
    return String.join(" ", tokens);
  }

  /**
   * Runs a script on {@code connection}: each statement succeeds or fails with an SQLException
   * of a 5-character SQLState, and the connection answers after each. An open transaction is
   * rolled back at the end. Returns null, or what went wrong.
   */
  static String run(Connection connection, List<String> script) {
    try {
      for (String sql : script) {
        try (Statement s = connection.createStatement()) {
          if (s.execute(sql)) {
            try (ResultSet rs = s.getResultSet()) {
              while (rs.next()) {
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                  rs.getObject(c);
                }
              }
            }
          }
        } catch (SQLException e) {
          if (e.getSQLState() == null || e.getSQLState().length() != 5) {
            return "SQLState " + e.getSQLState() + " for " + abbreviate(sql) + ": " + e;
          }
          if (e.getMessage() == null || e.getMessage().isBlank()) {
            return "no message for " + abbreviate(sql) + " [" + e.getSQLState() + "]";
          }
        } catch (Throwable t) {
          return t + " instead of an SQLException for " + abbreviate(sql);
        }
        String dead = deadConnection(connection);
        if (dead != null) {
          return "after " + abbreviate(sql) + ": " + dead;
        }
      }
      return null;
    } finally {
      try (Statement s = connection.createStatement()) {
        s.execute("rollback");
      } catch (SQLException e) {
        // no transaction was open
      }
    }
  }

  private static String deadConnection(Connection connection) {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("select count(*) from sys.history")) {
      return rs.next() ? null : "the connection answers no row";
    } catch (Throwable t) {
      return "the connection no longer answers: " + t;
    }
  }

  /** A lake with tables f1, f2 (partitioned) and f3, each with a row, for the fuzzer. */
  static Lakes lake(CatalogBackend backend) throws SQLException {
    Lakes lake = Lakes.fresh(backend, "sqlfuzz");
    try (Connection c = lake.connect(); Statement s = c.createStatement()) {
      s.execute("create table f1 (id int not null, s string, d date, x decimal(10, 2), b boolean, p int)");
      s.execute("insert into f1 values (1, 'a', date '2024-01-01', 1.50, true, 1)");
      s.execute("create table f2 (id bigint, s string, d date, x decimal(10, 2), b boolean, p int) partitioned by (p)");
      s.execute("insert into f2 values (2, 'b', date '2024-01-02', 2.50, false, 2)");
      s.execute("create table f3 (id int, s string)");
      s.execute("insert into f3 values (3, 'c')");
    }
    return lake;
  }

  /** The scripts of the corpus: one file each, statements separated by {@link #SEPARATOR} lines. */
  static List<Path> corpus() {
    try {
      Path dir = Path.of(SqlFuzzing.class.getResource("/sql-fuzz-corpus").toURI());
      try (var files = Files.list(dir)) {
        return files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> read(Path file) throws IOException {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("#")) {
        continue;
      }
      if (line.equals(SEPARATOR)) {
        statements.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(current.length() == 0 ? "" : "\n").append(line);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements.stream().map(s -> s.replace("\\0", "\u0000")).toList();
  }

  static String abbreviate(String sql) {
    String printable = sql.replace("\u0000", "\\0");
    return printable.length() <= 300 ? printable : printable.substring(0, 300) + "…";
  }
}
