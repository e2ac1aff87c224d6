package io.deltasql.core.data;

/**
 * {@code column op literal} on the next record of one {@link PageColumn}, answered from the
 * page's arrays: a record ruled out costs array loads, no decoding and no boxing. A dictionary
 * page is answered by its id, each dictionary entry tested once per row group; a plain page of
 * a column whose values are its physical numbers ({@link ValueDecoder#number}) compared as
 * {@code long}s or {@code double}s; any other page decodes the value and compares it as before.
 *
 * <p>Every path gives the answer of {@link ValueOrder#compare} on the decoded value: NULL
 * matches nothing, NaN equals NaN and is above every number, -0.0 equals 0.0.
 *
 * <p>{@link #ruledOut} tests a run of the page's records in one loop over its arrays, so that a
 * reader passes over the records ruled out at once instead of one by one.
 */
final class ColumnTest implements RowFilter.RecordTest {
  /** How a plain (not dictionary-encoded) page's value is compared. */
  private enum Plain {
    /** INT32 values of an {@code Integer} or {@code Long} column against an integer literal. */
    INT_AS_LONG,
    /** INT64 values of a {@code Long} column. */
    LONG,
    /** INT32 values of a {@code Double} column. */
    INT_AS_DOUBLE,
    /** FLOAT (widened) or DOUBLE values of a {@code Float} or {@code Double} column. */
    DOUBLE,
    /** Decoded and compared through {@link ValueOrder}. */
    DECODED
  }

  private final PageColumn column;
  private final Predicate.Op op;
  private final Object literal;
  private final Plain plain;
  private final long longLiteral;
  private final double doubleLiteral;
  /** Whether each entry of the column's dictionary matches; computed on first use. */
  private boolean[] dictionaryMatches;

  ColumnTest(PageColumn column, Predicate.Op op, Object literal) {
    this.column = column;
    this.op = op;
    this.literal = literal;
    this.plain = plain(column.decoder(), literal);
    this.longLiteral = literal instanceof Long || literal instanceof Integer
        ? ((Number) literal).longValue() : 0;
    this.doubleLiteral = literal instanceof Double || literal instanceof Float
        ? ((Number) literal).doubleValue() : 0;
  }

  /**
   * The primitive comparison that gives {@link ValueOrder}'s answer for this decoder's values: only
   * when the decoded value is the physical number itself and the literal is of the same class
   * ({@code ValueOrder} compares values of one class).
   */
  private static Plain plain(ValueDecoder decoder, Object literal) {
    Class<? extends Number> number = decoder.number();
    if (number == null || literal.getClass() != number) {
      return Plain.DECODED;
    }
    return switch (decoder.physical()) {
      case INT32 -> number == Double.class ? Plain.INT_AS_DOUBLE : Plain.INT_AS_LONG;
      case INT64 -> Plain.LONG;
      case FLOAT, DOUBLE -> Plain.DOUBLE;
      default -> Plain.DECODED;
    };
  }

  /** Whether the next record's value is not NULL and compares to the literal as {@code op} asks. */
  @Override
  public boolean mayMatch() {
    if (column.isNull()) {
      return false;
    }
    if (!column.isDictionaryEncoded() && plain == Plain.DECODED) {
      return op.test(ValueOrder.compare(column.peek(), literal));
    }
    return matches(column.valueIndex());
  }

  /**
   * How many of the next {@code n} records (in the current page) are NULL or do not compare as
   * {@code op} asks, up to the first that does. A page whose values would have to be decoded is
   * not tested here (0).
   */
  @Override
  public int ruledOut(int n) {
    if (!column.isDictionaryEncoded() && plain == Plain.DECODED) {
      return 0;
    }
    int k = column.valueIndex();
    if (!column.isAllDefined()) {
      for (int i = 0; i < n; i++) {
        if (!column.isNullAhead(i) && matches(k++)) {
          return i;
        }
      }
      return n;
    }
    if (column.isDictionaryEncoded()) {
      boolean[] matches = dictionaryMatches();
      int[] ids = column.intValues();
      for (int i = 0; i < n; i++) {
        if (matches[ids[k + i]]) {
          return i;
        }
      }
      return n;
    }
    switch (plain) {
      case DOUBLE -> {
        double[] values = column.doubleValues();
        for (int i = 0; i < n; i++) {
          if (op.test(ValueOrder.compareDouble(values[k + i], doubleLiteral))) {
            return i;
          }
        }
      }
      case LONG -> {
        long[] values = column.longValues();
        for (int i = 0; i < n; i++) {
          if (op.test(Long.compare(values[k + i], longLiteral))) {
            return i;
          }
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          if (matches(k + i)) {
            return i;
          }
        }
      }
    }
    return n;
  }

  /** Whether value {@code k} of the current page (dictionary-encoded, or plain and not {@code DECODED}) matches. */
  private boolean matches(int k) {
    if (column.isDictionaryEncoded()) {
      return dictionaryMatches()[column.dictionaryIdAt(k)];
    }
    return switch (plain) {
      case INT_AS_LONG -> op.test(Long.compare(column.intAt(k), longLiteral));
      case LONG -> op.test(Long.compare(column.longAt(k), longLiteral));
      case INT_AS_DOUBLE -> op.test(ValueOrder.compareDouble(column.intAt(k), doubleLiteral));
      case DOUBLE -> op.test(ValueOrder.compareDouble(column.doubleAt(k), doubleLiteral));
      case DECODED -> throw new IllegalStateException("a decoded value is compared by mayMatch");
    };
  }

  private boolean[] dictionaryMatches() {
    if (dictionaryMatches == null) {
      Object[] entries = column.dictionary();
      boolean[] matches = new boolean[entries.length];
      for (int id = 0; id < entries.length; id++) {
        matches[id] = op.test(ValueOrder.compare(entries[id], literal));
      }
      dictionaryMatches = matches;
    }
    return dictionaryMatches;
  }
}
