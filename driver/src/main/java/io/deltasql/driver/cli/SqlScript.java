package io.deltasql.driver.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script into statements at the semicolons that end them: a semicolon inside a
 * string ({@code '...'} with {@code ''} escapes), a quoted identifier ({@code "..."}), a
 * {@code --} line comment or a {@code /* ... *}{@code /} block comment ends nothing. A
 * statement's text starts at its first token (leading blanks and comments dropped) and has no
 * terminating semicolon; statements that are only blanks and comments are skipped. The text
 * after the last semicolon is a statement too ({@link #complete} tells whether there is such
 * a tail).
 */
final class SqlScript {
  /** One statement of a script: its text, its number (from 1) and the line where it starts (from 1). */
  record Statement(String sql, int number, int line) {
    /** The statement on one line, shortened, to name it in an error. */
    String excerpt() {
      String flat = sql.replaceAll("\\s+", " ");
      return flat.length() > 60 ? flat.substring(0, 57) + "..." : flat;
    }
  }

  private final List<Statement> statements = new ArrayList<>();
  private boolean complete = true;

  private SqlScript() {}

  /** The statements of a script. */
  static List<Statement> split(String script) {
    return scan(script).statements;
  }

  /**
   * Whether the script ends where a statement can end: after a semicolon, or with blanks and
   * comments only, and outside any string, quoted identifier or block comment. The shell keeps
   * reading lines until this holds.
   */
  static boolean complete(String script) {
    return scan(script).complete;
  }

  private static SqlScript scan(String s) {
    SqlScript script = new SqlScript();
    int n = s.length();
    int line = 1;
    int start = -1; // index of the current statement's first token, -1 before it
    int startLine = 0;
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
        while (i < n && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int end = s.indexOf("*/", i + 2);
        int stop = end < 0 ? n : end + 2;
        line += count(s, i, stop);
        i = stop;
        if (end < 0) {
          script.complete = false;
          break;
        }
      } else if (c == ';') {
        if (start >= 0) {
          script.add(s.substring(start, i), startLine);
          start = -1;
        }
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else {
        if (start < 0) {
          start = i;
          startLine = line;
        }
        if (c == '\'' || c == '"') {
          int end = closing(s, i, c);
          int stop = end < 0 ? n : end + 1;
          line += count(s, i, stop);
          i = stop;
          if (end < 0) {
            break;
          }
        } else {
          i++;
        }
      }
    }
    if (start >= 0) {
      script.add(s.substring(start), startLine);
      script.complete = false;
    }
    return script;
  }

  private void add(String sql, int line) {
    statements.add(new Statement(sql.strip(), statements.size() + 1, line));
  }

  /** The index of the quote closing the one at {@code open} (a doubled quote is an escape), or -1. */
  private static int closing(String s, int open, char quote) {
    int i = open + 1;
    while (i < s.length()) {
      if (s.charAt(i) == quote) {
        if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i;
      }
      i++;
    }
    return -1;
  }

  private static int count(String s, int from, int to) {
    int lines = 0;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
