package io.deltasql.driver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive shell: JLine line editing and a history file; a statement runs when a line
 * ends it with {@code ;} (Enter before that continues it on the next line, and the whole
 * statement is one history entry). {@code quit}, {@code exit} or {@code \q} (or Ctrl-D) leave,
 * Ctrl-C drops the statement being typed. Errors are printed and the shell goes on.
 */
final class Shell {
  private static final Set<String> QUIT = Set.of("quit", "exit", "\\q");
  private static final Set<String> HELP = Set.of("help", "\\?", "\\h");
  static final String PROMPT = "deltasql> ";
  static final String CONTINUATION = "       -> ";

  private final SqlRunner runner;
  private final PrintStream out;

  Shell(SqlRunner runner, PrintStream out) {
    this.runner = runner;
    this.out = out;
  }

  /** Reads and runs statements until the user leaves. */
  void run(Terminal terminal, Path history, String url) throws IOException {
    LineReader reader = LineReaderBuilder.builder()
        .appName("deltasql")
        .terminal(terminal)
        .parser(new StatementParser())
        .variable(LineReader.HISTORY_FILE, history)
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
    terminal.writer().println("deltasql shell on " + url + "; statements end with ';', 'help' for help, 'quit' to leave.");
    terminal.flush();
    try {
      while (true) {
        String text;
        try {
          text = reader.readLine(PROMPT);
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        String command = command(text);
        if (QUIT.contains(command)) {
          break;
        }
        if (HELP.contains(command)) {
          help();
        } else if (!command.isEmpty()) {
          runner.runScript(text, null);
        }
      }
    } finally {
      reader.getHistory().save();
    }
  }

  private void help() {
    out.println("Type SQL statements ending with ';' (Enter before the ';' continues the statement).");
    out.println("  SHOW TABLES;  DESCRIBE t;  DESCRIBE HISTORY t;  SELECT * FROM sys.history;  BEGIN MULTI; ... COMMIT;");
    out.println("  quit, exit or \\q (or Ctrl-D) leaves; Ctrl-C drops the statement being typed.");
    out.flush();
  }

  /** A shell command word, lower case, without a trailing ';', or the text itself. */
  private static String command(String text) {
    String word = text.strip();
    while (word.endsWith(";")) {
      word = word.substring(0, word.length() - 1).strip();
    }
    return word.toLowerCase(Locale.ROOT);
  }

  /** Asks JLine for another line while the statement is not ended by a semicolon. */
  private static final class StatementParser extends DefaultParser {
    StatementParser() {
      escapeChars(null);
      quoteChars(new char[0]);
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
      if (context == ParseContext.ACCEPT_LINE && !SqlScript.complete(line)) {
        String command = command(line);
        if (!QUIT.contains(command) && !HELP.contains(command)) {
          throw new EOFError(-1, cursor, "statement not ended by ;");
        }
      }
      return super.parse(line, cursor, context);
    }
  }
}
