package io.deltasql.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.hydromatic.quidem.AbstractCommand;
import net.hydromatic.quidem.Command;
import net.hydromatic.quidem.CommandHandler;
import net.hydromatic.quidem.Quidem;

/**
 * Runs the Quidem scripts of {@code io/deltasql/tck/sql/} against a {@link ScriptTarget}.
 * A script passes when Quidem's output (the script with every result block recomputed) equals
 * the script. Besides Quidem's commands ({@code !ok}, {@code !update}, {@code !error},
 * {@code !plan}, {@code !use}), scripts may say {@code !files}, after the lines it expects: the
 * warehouse folders that hold data files, each with its number of Parquet files (what a failed
 * statement must not change).
 * SQLExceptions read {@code [SQLSTATE] message}, so {@code !error} blocks assert SQLStates.
 * Known bugs are pinned with {@code !error} and a "KNOWN BUG" comment saying what to expect once
 * fixed (Quidem 0.11 cannot skip an {@code !update} inside {@code !if}).
 * {@code !if (CONDITION) {} … {@code !}} runs a block only where the target has that
 * capability ({@link ScriptTarget#conditions}); elsewhere the block is echoed as written.
 */
public final class ScriptRunner {
  /** The scripts of the suite, in the order they are best read. */
  public static final List<String> SCRIPTS = List.of(
      "ddl.iq", "dml.iq", "transactions.iq", "concurrency.iq", "queries.iq", "types.iq", "introspection.iq",
      "pruning.iq", "errors.iq", "arithmetic.iq", "aggregates.iq");

  private ScriptRunner() {}

  /**
   * One script's run: its text as given to Quidem, what Quidem wrote back, and each case of it
   * (see {@link #cases}).
   */
  public record Result(String script, String expected, String actual, List<Case> cases) {
    public Result {
      cases = List.copyOf(cases);
    }

    public boolean passed() {
      return expected.equals(actual);
    }
  }

  /**
   * One check of a script ({@code !ok}, {@code !update}, {@code !error}, {@code !plan},
   * {@code !type}, {@code !files}) with the statement before it.
   *
   * @param line the script line of the statement, counting from 1
   * @param statement the statement's first line
   */
  public record Case(int line, String statement, boolean passed) {}

  /** A line that ends a case: the check of what came before it. */
  private static final Pattern CHECK = Pattern.compile("!(ok|update|error|plan|type|files)\\b.*");
  private static final Pattern IF = Pattern.compile("!if \\((\\w+)\\) \\{");

  /** Runs a script of the suite by name. */
  public static Result run(String script, ScriptTarget target) {
    return runText(script, read(script), target);
  }

  /** Runs a script given as text ({@code ${name}} placeholders are replaced first). */
  public static Result runText(String name, String text, ScriptTarget target) {
    String expected = text;
    for (Map.Entry<String, String> v : target.variables().entrySet()) {
      expected = expected.replace("${" + v.getKey() + "}", v.getValue());
    }
    StringWriter out = new StringWriter();
    // Quidem closes the connection it leaves on "!use": each name keeps one open connection
    // (and its transaction) for the whole script instead, closed at the end.
    Map<String, Connection> opened = new LinkedHashMap<>();
    Quidem.ConnectionFactory factory = (connectionName, reference) -> {
      if (reference) {
        return null;
      }
      Connection c = opened.get(connectionName);
      if (c == null) {
        c = target.connect(connectionName);
        opened.put(connectionName, c);
      }
      return SqlStateConnections.wrap(c);
    };
    try {
      new Quidem(Quidem.configBuilder()
          .withReader(new StringReader(expected))
          .withWriter(out)
          .withConnectionFactory(factory)
          .withCommandHandler(new Commands(target))
          .withEnv(condition -> condition(target, condition))
          .withStackLimit(4096)
          .build()).execute();
    } finally {
      for (Connection c : opened.values()) {
        try {
          c.close();
        } catch (Exception e) {
          // the script's own failure is what matters
        }
      }
    }
    String actual = out.toString();
    return new Result(name, expected, actual, cases(expected, actual, c -> condition(target, c)));
  }

  /**
   * The cases of a script: the text up to and including each check line, compared with the same
   * stretch of Quidem's output. Once the output has fewer or more checks than the script, the
   * cases from the first difference on fail. Cases inside an {@code !if} block whose condition
   * is false are echoed, not run, and left out. The text after the last check is a case of its
   * own ({@code line} 0) only when it alone differs, so a script passes exactly when all its
   * cases pass.
   */
  static List<Case> cases(String expected, String actual, Predicate<String> condition) {
    List<Block> want = blocks(expected, condition);
    List<Block> got = blocks(actual, c -> true);
    List<Case> cases = new ArrayList<>();
    boolean sameShape = got.size() == want.size();
    boolean lost = false;
    boolean anyFailed = false;
    for (int i = 0; i < want.size(); i++) {
      Block w = want.get(i);
      boolean same = i < got.size() && w.text().equals(got.get(i).text());
      lost |= (!same || i == want.size() - 1) && !sameShape;
      boolean passed = same && !lost;
      if (w.statement() == null) {
        if (!passed && !anyFailed) {
          cases.add(new Case(0, "(after the last check)", false));
        }
      } else if (w.run()) {
        cases.add(new Case(w.line(), w.statement(), passed));
        anyFailed |= !passed;
      }
    }
    return cases;
  }

  /**
   * A stretch of a script ending with a check line, or the text after the last check (no
   * statement); {@code run} unless in a skipped {@code !if}.
   */
  private record Block(String text, int line, String statement, boolean run) {}

  private static List<Block> blocks(String text, Predicate<String> condition) {
    List<Block> blocks = new ArrayList<>();
    Deque<Boolean> ifs = new ArrayDeque<>();
    StringBuilder block = new StringBuilder();
    int statementLine = 0;
    String statement = "";
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      block.append(line).append(i < lines.length - 1 ? "\n" : "");
      Matcher ifLine = IF.matcher(line);
      if (ifLine.matches()) {
        ifs.push(condition.test(ifLine.group(1)));
      } else if (line.equals("!}") && !ifs.isEmpty()) {
        ifs.pop();
      } else if (CHECK.matcher(line).matches()) {
        blocks.add(new Block(block.toString(), statementLine, statement, !ifs.contains(false)));
        block.setLength(0);
        statement = "";
      } else if (statement.isEmpty() && !line.isBlank() && !line.startsWith("#") && !line.startsWith("!")) {
        statementLine = i + 1;
        statement = line.strip();
      }
    }
    blocks.add(new Block(block.toString(), 0, null, true));
    return blocks;
  }

  private static Boolean condition(ScriptTarget target, String name) {
    if (!ScriptTarget.CONDITIONS.contains(name)) {
      throw new IllegalArgumentException("Unknown script condition '" + name + "'; known: " + ScriptTarget.CONDITIONS);
    }
    return target.conditions().getOrDefault(name, Boolean.TRUE);
  }

  private static String read(String script) {
    try (InputStream in = ScriptRunner.class.getResourceAsStream("sql/" + script)) {
      if (in == null) {
        throw new IllegalArgumentException("No script " + script);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code !files} command. */
  private static final class Commands implements CommandHandler {
    private final ScriptTarget target;

    Commands(ScriptTarget target) {
      this.target = target;
    }

    @Override
    public Command parseCommand(List<String> lines, List<String> content, String line) {
      if (!line.equals("files")) {
        return null;
      }
      return new AbstractCommand() {
        @Override
        public void execute(Context x, boolean execute) {
          var files = execute ? target.warehouseFiles() : java.util.Optional.<List<String>>empty();
          if (files.isPresent()) {
            dataFolders(files.get()).forEach((folder, n) -> x.writer().println(folder + ": " + n));
          } else {
            x.echo(content);
          }
          x.writer().println("!files");
        }
      };
    }
  }

  /** Each folder of the warehouse holding Parquet data files, with their number. */
  static Map<String, Integer> dataFolders(List<String> files) {
    Map<String, Integer> folders = new TreeMap<>();
    for (String file : files) {
      int slash = file.lastIndexOf('/');
      String folder = slash < 0 ? "" : file.substring(0, slash);
      if (file.endsWith(".parquet") && !folder.startsWith("_catalog") && !folder.contains("_delta_log")) {
        folders.merge(folder, 1, Integer::sum);
      }
    }
    return folders;
  }
}
