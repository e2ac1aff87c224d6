package io.deltasql.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SQL through {@code bin/deltasql}'s main class, in-process, on an embedded catalog in a temporary warehouse. */
class MainSqlTest extends CapturedMain {
  /** The quick start of the README, from the repository root (the driver module's parent). */
  static final Path QUICKSTART = Path.of("..", "examples", "quickstart.sql");

  private Path script(String name, String text) throws IOException {
    Path file = warehouse.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static final String PEOPLE = "create table people (id int not null, name string, score decimal(5,2), ok boolean);"
      + " insert into people values (1, 'Ann', 1.50, true), (2, 'Bo, \"the\" second', null, false),"
      + " (3, '', 10.00, null)";

  @Test
  void executeInTableFormat() {
    assertEquals(0, run("-u", url(), "-e", PEOPLE + "; select id, name, score from people order by id"), err());
    assertEquals("""
        OK
        3 rows affected
        +----+------------------+-------+
        | id | name             | score |
        +----+------------------+-------+
        |  1 | Ann              |  1.50 |
        |  2 | Bo, "the" second |  NULL |
        |  3 |                  | 10.00 |
        +----+------------------+-------+
        3 rows
        """, out());
    assertEquals("", err());

    assertEquals(0, run("-u", url(), "-e", "update people set score = 0 where id > 1", "-e", "select * from people where id = 9"), err());
    assertEquals("2 rows affected\n"
        + "+----+------+-------+----+\n| id | name | score | ok |\n+----+------+-------+----+\n0 rows\n",
        out());
  }

  @Test
  void csvFormatQuotesAsRfc4180() {
    assertEquals(0, run("-u", url(), "-e", PEOPLE), err());
    assertEquals(0, run("-u", url(), "--format", "csv", "-e",
        "select id, name, score, 'line\nbreak' as \"a,b\" from people order by id; select count(*) as n from people"), err());
    assertEquals("id,name,score,\"a,b\"\r\n"
        + "1,Ann,1.50,\"line\nbreak\"\r\n"
        + "2,\"Bo, \"\"the\"\" second\",,\"line\nbreak\"\r\n"
        + "3,\"\",10.00,\"line\nbreak\"\r\n"
        + "\r\n"
        + "n\r\n3\r\n", out());
    assertEquals(0, run("-u", url(), "--format=csv", "-e", "delete from people where id = 3"), err());
    assertEquals("", out(), "update counts are not data: csv prints none");
  }

  @Test
  void jsonFormatPrintsOneObjectPerLine() {
    assertEquals(0, run("-u", url(), "-e", PEOPLE), err());
    assertEquals(0, run("-u", url(), "--format", "json", "-e",
        "select id, name, score, ok, date '2024-05-01' as d from people order by id"), err());
    assertEquals(List.of(
        "{\"id\":1,\"name\":\"Ann\",\"score\":1.50,\"ok\":true,\"d\":\"2024-05-01\"}",
        "{\"id\":2,\"name\":\"Bo, \\\"the\\\" second\",\"score\":null,\"ok\":false,\"d\":\"2024-05-01\"}",
        "{\"id\":3,\"name\":\"\",\"score\":10.00,\"ok\":null,\"d\":\"2024-05-01\"}"), out().lines().toList());
  }

  @Test
  void fileScriptWithCommentsAndSemicolonsInStrings() throws IOException {
    Path file = script("ok.sql", """
        -- a heading; with a semicolon
        create table notes (id int, body string);
        /* a block comment; also with one */
        insert into notes values (1, 'a; b'), (2, 'it''s -- not a comment');
        select body
          from notes -- a trailing comment;
         order by id;
        """);
    assertEquals(0, run("-u", url(), "-f", file.toString(), "--format", "csv"), err());
    assertEquals("body\r\na; b\r\nit's -- not a comment\r\n", out());
  }

  @Test
  void syntaxErrorStopsTheScriptAfterTheStatementsBeforeIt() throws IOException {
    Path file = script("bad.sql", """
        create table t (x int);
        insert into t values (1);

        select x
          fron t;
        insert into t values (2);
        """);
    assertEquals(1, run("-u", url(), "-f", file.toString()));
    assertEquals("OK\n1 row affected\n", out(), "nothing on stdout for the error");
    List<String> lines = err().lines().toList();
    assertTrue(lines.get(0).startsWith("ERROR 42601: "), err());
    assertEquals("  in statement 3, line 5 of " + file + ": select x fron t", lines.get(1), err());
    assertEquals(2, lines.size(), "Calcite's long list of expected tokens is cut: " + err());

    assertEquals(0, run("-u", url(), "-e", "select x from t"), err());
    assertTrue(out().contains("| 1 |") && !out().contains("| 2 |"), "ran up to the error, not after: " + out());
  }

  @Test
  void unknownTableIsUndefinedTable() {
    assertEquals(1, run("-u", url(), "-e", "select 1", "-e", "select 2; select * from nope"));
    assertTrue(err().startsWith("ERROR 42P01: "), err());
    assertTrue(err().contains("'nope'"), err());
    assertTrue(err().contains("in statement 2 of -e #2: select * from nope"), err());
  }

  @Test
  void badUrlPropertyFailsBeforeAnyStatement() {
    assertEquals(1, run("-u", url() + ";colour=blue", "-e", "select 1"));
    assertTrue(err().startsWith("ERROR 22023: "), err());
    assertTrue(err().contains("colour"), err());
    assertEquals("", out());
    assertEquals(1, run("-u", "jdbc:nothing:here", "-e", "select 1"));
    assertTrue(err().startsWith("ERROR 08001: "), err());
  }

  @Test
  void missingScriptFileIsAnIoError() {
    assertEquals(1, run("-u", url(), "-f", warehouse.resolve("none.sql").toString()));
    assertTrue(err().startsWith("ERROR 58030: Cannot read script"), err());
  }

  @Test
  void scriptFromStdinWhenNotATerminal() {
    assertEquals(0, runWithInput("create table s (x int);\ninsert into s values (7);\nselect x * 6 as y from s;\n",
        "-u", url(), "--format", "json"), err());
    assertEquals("{\"y\":42}\n", out());

    assertEquals(1, runWithInput("select 1;\nselect * from nope;\n", "-u", url(), "-f", "-"));
    assertTrue(err().contains("in statement 2, line 2 of standard input"), err());
  }

  @Test
  void usageErrors() {
    assertEquals(2, run("--format", "xml", "-e", "select 1"));
    assertTrue(err().contains("unknown format 'xml'"), err());
    assertEquals(2, run("-e"));
    assertTrue(err().contains("-e needs a value"), err());
    assertEquals(2, run("-x"));
    assertTrue(err().contains("unknown option '-x'"), err());
    assertEquals(0, run("-u", url(), "--help"));
    assertTrue(out().contains("--format table|csv|json"), "help asked for goes to stdout: " + out());
  }

  @Test
  void quickstartRunsCleanTwice() {
    assertTrue(Files.isRegularFile(QUICKSTART), QUICKSTART.toAbsolutePath().toString());
    assertEquals(0, run("-u", url(), "-f", QUICKSTART.toString()), err());
    assertEquals("", err());
    String first = out();
    assertTrue(first.contains("| Ada   |      2 |   19.75 |"), first);
    assertTrue(first.contains("| UK      |      2 |   20.75 |"), first);
    assertTrue(first.contains("| DELETE "), "history: " + first);
    assertTrue(first.contains("| {order_date=2024-05-04} |"), "sys.files: " + first);

    int second = run("-u", url(), "-f", QUICKSTART.toString());
    assertEquals(0, second, err());
    assertEquals(mask(first), mask(out()), "the second run prints what the first did");
  }

  /** Output without what differs between runs: transaction ids and timestamps. */
  private static String mask(String output) {
    return output.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "TXN")
        .replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)?", "TIME");
  }

  @Test
  void oldSubcommandsStillDispatchBeforeSqlOptions() {
    assertEquals(0, run("-u", url(), "-e", "create table sub (x int)"), err());
    assertEquals(0, run("-u", url(), "tables"), err());
    assertTrue(out().startsWith("default.sub\tversion=0\t"), out());
    assertTrue(Main.commands().containsAll(List.of("import", "show", "tables")));
    assertFalse(Main.commands().contains("-e"));
  }
}
