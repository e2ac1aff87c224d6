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
 */
final class ColumnTest {
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
  boolean test() {
    if (column.isNull()) {
      return false;
    }
    if (column.isDictionaryEncoded()) {
      return dictionaryMatches()[column.dictionaryId()];
    }
    return switch (plain) {
      case INT_AS_LONG -> op.test(Long.compare(column.intValue(), longLiteral));
      case LONG -> op.test(Long.compare(column.longValue(), longLiteral));
      case INT_AS_DOUBLE -> op.test(ValueOrder.compareDouble(column.intValue(), doubleLiteral));
      case DOUBLE -> op.test(ValueOrder.compareDouble(column.doubleValue(), doubleLiteral));
      case DECODED -> op.test(ValueOrder.compare(column.peek(), literal));
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
