package io.deltasql.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive shell, typed into through a dumb JLine terminal. */
class MainShellTest {
  @TempDir
  Path dir;

  @Test
  void multiLineStatementsErrorsThatDoNotStopItHistoryAndQuit() throws Exception {
    String typed = String.join("\n",
        "create table t (x int);",
        "insert into t",
        "  values (1), (2);",
        "select 'a;b' as s,",
        "  sum(x) as total",
        "  from t;",
        "selec 1;",
        "select * from nope;",
        "",
        "help",
        "quit",
        "select 'never run';",
        "");
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path history = dir.resolve("history");
    String url = "jdbc:deltasql:warehouse=" + dir.resolve("lake");
    try (Connection connection = DriverManager.getConnection(url);
        Terminal terminal = new DumbTerminal(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen)) {
      PrintStream printOut = new PrintStream(out, true, StandardCharsets.UTF_8);
      SqlRunner runner = new SqlRunner(connection, new ResultPrinter(printOut, ResultPrinter.Format.TABLE),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      new Shell(runner, printOut).run(terminal, history, url);
    }
    String results = out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    assertTrue(results.startsWith("OK\n2 rows affected\n"), results);
    assertTrue(results.contains("| a;b |     3 |"), results);
    assertTrue(results.contains("Type SQL statements ending with ';'"), "help: " + results);
    assertTrue(!results.contains("never run"), "quit leaves: " + results);

    String errors = err.toString(StandardCharsets.UTF_8);
    assertTrue(errors.startsWith("ERROR 42601: "), errors);
    assertTrue(errors.contains("\nERROR 42P01: "), "the shell goes on after an error: " + errors);
    assertTrue(!errors.contains(" in statement "), "no script places in the shell: " + errors);

    assertTrue(screen.toString(StandardCharsets.UTF_8).contains(Shell.PROMPT), screen.toString(StandardCharsets.UTF_8));
    String saved = Files.readString(history);
    assertTrue(saved.contains("insert into t\\n  values (1), (2);"), "a statement is one history entry: " + saved);
    assertEquals(1, saved.lines().filter(l -> l.contains("create table t")).count(), saved);
  }
}
