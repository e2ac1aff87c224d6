package io.deltasql.core.data;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * The order of non-null primitive values of one type (see the package documentation): the
 * order Parquet statistics use, with Spark's rules for floating point.
 */
final class ValueOrder {
  private ValueOrder() {}

  /**
   * Compares two non-null values of the same primitive Delta type.
   *
   * @throws IllegalArgumentException for values that have no order here (structs, lists, maps)
   */
  static int compare(Object a, Object b) {
    if (a instanceof Double x) {
      return compareDouble(x, (Double) b);
    }
    if (a instanceof Float x) {
      return compareDouble(x, (Float) b);
    }
    if (a instanceof String x) {
      return compareStrings(x, (String) b);
    }
    if (a instanceof byte[] x) {
      return Arrays.compareUnsigned(x, (byte[]) b);
    }
    if (a instanceof Long x) {
      return x.compareTo((Long) b);
    }
    if (a instanceof Integer x) {
      return x.compareTo((Integer) b);
    }
    if (a instanceof Short x) {
      return x.compareTo((Short) b);
    }
    if (a instanceof Byte x) {
      return x.compareTo((Byte) b);
    }
    if (a instanceof BigDecimal x) {
      return x.compareTo((BigDecimal) b);
    }
    if (a instanceof Boolean x) {
      return x.compareTo((Boolean) b);
    }
    if (a instanceof LocalDate x) {
      return x.compareTo((LocalDate) b);
    }
    if (a instanceof Instant x) {
      return x.compareTo((Instant) b);
    }
    if (a instanceof LocalDateTime x) {
      return x.compareTo((LocalDateTime) b);
    }
    throw new IllegalArgumentException("values of " + a.getClass().getSimpleName()
        + " have no order");
  }

  /** NaN equals NaN and is greater than everything else; -0.0 equals 0.0. */
  static int compareDouble(double a, double b) {
    boolean aNaN = Double.isNaN(a);
    boolean bNaN = Double.isNaN(b);
    if (aNaN || bNaN) {
      return aNaN == bNaN ? 0 : aNaN ? 1 : -1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** By code point, which is the order of the UTF-8 bytes. */
  static int compareStrings(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** Whether a string is valid UTF-16, so that its UTF-8 bytes say the same. */
  static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
