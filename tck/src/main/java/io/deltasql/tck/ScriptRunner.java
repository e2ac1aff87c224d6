package io.deltasql.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
      "pruning.iq", "errors.iq");

  private ScriptRunner() {}

  /** One script's run: its text as given to Quidem and what Quidem wrote back. */
  public record Result(String script, String expected, String actual) {
    public boolean passed() {
      return expected.equals(actual);
    }
  }

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
    return new Result(name, expected, out.toString());
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
