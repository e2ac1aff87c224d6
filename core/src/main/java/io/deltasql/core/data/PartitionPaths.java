package io.deltasql.core.data;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Hive-style partition folders, {@code col=value/}, as Delta writers name them: characters that
 * cannot appear in a path segment are escaped as {@code %XX}, a null value is
 * {@code __HIVE_DEFAULT_PARTITION__}. The folder is only a convention (readers take partition
 * values from the log); the {@code add} path is the URI-encoded relative path.
 */
final class PartitionPaths {
  /** The folder name of a null partition value. */
  static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";

  private PartitionPaths() {}

  /** The path segment {@code name=value} with both parts escaped. */
  static String segment(String name, String serializedValue) {
    String value = serializedValue == null || serializedValue.isEmpty()
        ? NULL_VALUE : escape(serializedValue);
    return escape(name) + "=" + value;
  }

  /** Escapes what Hive escapes in partition folder names. */
  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (needsEscape(c)) {
        if (out == null) {
          out = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        out.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || c == 0x7F || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0;
  }

  /** The relative path as a URI path, as the log stores it ({@code a b} becomes {@code a%20b}). */
  static String toUriPath(String relativePath) {
    try {
      return new URI(null, null, relativePath, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + relativePath + "' cannot be a URI path", e);
    }
  }
}
