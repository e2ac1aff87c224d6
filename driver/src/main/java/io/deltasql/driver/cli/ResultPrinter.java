package io.deltasql.driver.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints query results and update counts in one of the command line's formats.
 *
 * <ul>
 *   <li>{@code table}: an aligned table with a border, numbers right-aligned, {@code NULL} for
 *       nulls, then the row count; update counts as {@code 3 rows affected}, other statements
 *       as {@code OK}.
 *   <li>{@code csv}: RFC 4180 — a header line, then one line per row, CRLF line ends, fields
 *       quoted when they hold a comma, a quote or a line break; a null is an empty field. Two
 *       results are separated by an empty line. Update counts are not printed.
 *   <li>{@code json}: JSON Lines — one object per row, keys the column labels in order;
 *       numbers and booleans as JSON numbers and booleans, arrays, maps and structs as JSON
 *       arrays and objects, everything else as strings. Update counts are not printed.
 * </ul>
 */
final class ResultPrinter {
  /** The output formats of {@code --format}. */
  enum Format {
    TABLE, CSV, JSON;

    static Format of(String name) {
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown format '" + name + "' (table, csv or json)");
      }
    }
  }

  private final PrintStream out;
  private final Format format;
  private int results;

  ResultPrinter(PrintStream out, Format format) {
    this.out = out;
    this.format = format;
  }

  /** Prints the rows of a result set. */
  void print(ResultSet rs) throws SQLException {
    switch (format) {
      case TABLE -> table(rs);
      case CSV -> csv(rs);
      case JSON -> json(rs);
      default -> throw new AssertionError(format);
    }
    results++;
    out.flush();
  }

  /** Prints the outcome of a statement that returned no rows. */
  void printUpdate(long count, boolean dml) {
    if (format == Format.TABLE) {
      out.println(dml ? count + (count == 1 ? " row affected" : " rows affected") : "OK");
      out.flush();
    }
  }

  private void table(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] labels = new String[n];
    boolean[] right = new boolean[n];
    int[] widths = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = md.getColumnLabel(i + 1);
      right[i] = numeric(md.getColumnType(i + 1));
      widths[i] = labels[i].length();
    }
    List<String[]> rows = new ArrayList<>();
    while (rs.next()) {
      String[] row = new String[n];
      for (int i = 0; i < n; i++) {
        String value = rs.getString(i + 1);
        row[i] = value == null ? "NULL" : value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        widths[i] = Math.max(widths[i], row[i].length());
      }
      rows.add(row);
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : widths) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    out.println(rule);
    out.println(line(labels, widths, new boolean[n]));
    out.println(rule);
    for (String[] row : rows) {
      out.println(line(row, widths, right));
    }
    if (!rows.isEmpty()) {
      out.println(rule);
    }
    out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
  }

  private static String line(String[] cells, int[] widths, boolean[] right) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      String pad = " ".repeat(widths[i] - cells[i].length());
      sb.append(' ').append(right[i] ? pad + cells[i] : cells[i] + pad).append(" |");
    }
    return sb.toString();
  }

  private static boolean numeric(int type) {
    return switch (type) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL, Types.NUMERIC,
          Types.REAL, Types.FLOAT, Types.DOUBLE -> true;
      default -> false;
    };
  }

  private void csv(ResultSet rs) throws SQLException {
    if (results > 0) {
      out.print("\r\n");
    }
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(i > 1 ? "," : "").append(csvField(md.getColumnLabel(i)));
    }
    out.print(sb.append("\r\n"));
    while (rs.next()) {
      sb.setLength(0);
      for (int i = 1; i <= n; i++) {
        String value = rs.getString(i);
        sb.append(i > 1 ? "," : "").append(value == null ? "" : csvField(value));
      }
      out.print(sb.append("\r\n"));
    }
  }

  /** A CSV field, quoted when it must be (RFC 4180) or when it is empty (to tell it from a null). */
  static String csvField(String value) {
    if (value.isEmpty()) {
      return "\"\"";
    }
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  private void json(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = jsonString(md.getColumnLabel(i + 1));
    }
    StringBuilder sb = new StringBuilder();
    while (rs.next()) {
      sb.setLength(0);
      sb.append('{');
      for (int i = 0; i < n; i++) {
        sb.append(i > 0 ? "," : "").append(keys[i]).append(':');
        Object value = rs.getObject(i + 1);
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Array
            || value instanceof Collection || value instanceof Map || value instanceof Struct) {
          jsonValue(sb, value);
        } else {
          sb.append(jsonString(rs.getString(i + 1)));
        }
      }
      out.println(sb.append('}'));
    }
  }

  private static void jsonValue(StringBuilder sb, Object value) throws SQLException {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Double d && (d.isNaN() || d.isInfinite())
        || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
      sb.append(jsonString(value.toString()));
    } else if (value instanceof BigDecimal d) {
      sb.append(d.toPlainString());
    } else if (value instanceof Number) {
      sb.append(value);
    } else if (value instanceof Array array) {
      jsonValue(sb, Arrays.asList((Object[]) array.getArray()));
    } else if (value instanceof Struct struct) {
      jsonValue(sb, Arrays.asList(struct.getAttributes()));
    } else if (value instanceof Collection<?> list) {
      sb.append('[');
      boolean first = true;
      for (Object element : list) {
        sb.append(first ? "" : ",");
        jsonValue(sb, element);
        first = false;
      }
      sb.append(']');
    } else if (value instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(first ? "" : ",").append(jsonString(String.valueOf(e.getKey()))).append(':');
        jsonValue(sb, e.getValue());
        first = false;
      }
      sb.append('}');
    } else {
      sb.append(jsonString(value.toString()));
    }
  }

  static String jsonString(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
