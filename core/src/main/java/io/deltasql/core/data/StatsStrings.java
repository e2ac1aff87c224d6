package io.deltasql.core.data;

/**
 * How Delta shortens string bounds in file statistics: a minimum is cut to a prefix (which is
 * still a lower bound); a maximum is cut and given a tie-breaker character so that it is still
 * an upper bound in UTF-8 order: U+007F if the character cut off is below it, else U+10FFFF
 * (skipping over U+10FFFF characters, up to twice the prefix); when no such bound exists within
 * that length there is no maximum.
 */
final class StatsStrings {
  private static final char ASCII_MAX = '\u007F';
  private static final String UNICODE_MAX = new String(Character.toChars(Character.MAX_CODE_POINT));

  private StatsStrings() {}

  /** The first {@code prefix} characters, not splitting a surrogate pair. */
  static String truncateMin(String value, int prefix) {
    if (value.length() <= prefix) {
      return value;
    }
    int end = Character.isHighSurrogate(value.charAt(prefix - 1)) ? prefix + 1 : prefix;
    return value.substring(0, end);
  }

  /** An upper bound of at most about {@code 2 * prefix} characters, or null if there is none. */
  static String truncateMax(String value, int prefix) {
    if (value.length() <= prefix) {
      return value;
    }
    int length = truncateMin(value, prefix).length();
    while (length <= 2 * prefix) {
      if (length >= value.length()) {
        return value;
      }
      if (value.startsWith(UNICODE_MAX, length)) {
        length += UNICODE_MAX.length();
      } else if (value.charAt(length) < ASCII_MAX) {
        return value.substring(0, length) + ASCII_MAX;
      } else {
        return value.substring(0, length) + UNICODE_MAX;
      }
    }
    return null;
  }
}
