package io.deltasql.core.data;

import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * One column as an {@link Aggregator} reads it, a run of records at a time (records of the
 * current page of every column read, see {@link PageColumn#remainingInPage}): from the arrays
 * of a {@link PageColumn}'s current page, or a value constant over the file (a partition value,
 * or NULL for a column the file does not store). Record {@code i} of a run is the i-th from the
 * page column's next record; value {@code k} is the k-th value of the page that is not NULL,
 * starting at {@link #firstValue}. Numbers come from the page's arrays without decoding where
 * the decoded value is the physical number itself ({@link ValueDecoder#number}), from the
 * decoded dictionary entries, or else from the decoded value.
 */
final class AggregatedColumn {
  private PageColumn page;
  private Object constant;
  /** Whether a plain page's physical numbers are the values themselves. */
  private boolean physicalIsValue;
  private PrimitiveTypeName physical;
  /** Whether the current page holds dictionary ids; set by {@link #firstValue}. */
  private boolean dictionaryEncoded;
  private Object[] dictionary;
  /** {@link #entryLongs} and the dictionary it was computed from. */
  private long[] entryLongs;
  private Object[] entriesOfLongs;
  /** {@link #entryDoubles} and the dictionary it was computed from. */
  private double[] entryDoubles;
  private Object[] entriesOfDoubles;

  /** Reads the records of {@code column} (one row group's). */
  void onPage(PageColumn column) {
    page = column;
    constant = null;
    physical = column.decoder().physical();
    physicalIsValue = column.decoder().number() != null;
  }

  /** Reads {@code value} for every record (of one file). */
  void constant(Object value) {
    page = null;
    constant = value;
  }

  /** Whether the column is constant over the file (read from no page). */
  boolean isConstant() {
    return page == null;
  }

  /** The page column read, or null when constant. */
  PageColumn page() {
    return page;
  }

  /** The index of the run's first value (call once per run, before reading values). */
  int firstValue() {
    if (page == null) {
      return 0;
    }
    dictionaryEncoded = page.isDictionaryEncoded();
    dictionary = page.dictionary();
    return page.valueIndex();
  }

  /** Whether record {@code i} of the run is NULL. */
  boolean isNull(int i) {
    return page == null ? constant == null : page.isNullAhead(i);
  }

  /** Whether no record of the run is NULL. */
  boolean hasNoNulls() {
    return page == null ? constant != null : page.isAllDefined();
  }

  /** The run's dictionary ids by value index, or null when its page is not dictionary-encoded. */
  int[] dictionaryIds() {
    return page != null && dictionaryEncoded ? page.intValues() : null;
  }

  /** Each dictionary entry of an integer column as a {@code long}, or null when the page has no dictionary ids. */
  long[] entryLongs() {
    if (dictionaryIds() == null) {
      return null;
    }
    if (entryLongs == null || entriesOfLongs != dictionary) {
      entryLongs = new long[dictionary.length];
      for (int id = 0; id < dictionary.length; id++) {
        entryLongs[id] = ((Number) dictionary[id]).longValue();
      }
      entriesOfLongs = dictionary;
    }
    return entryLongs;
  }

  /** Each dictionary entry of a DOUBLE column as a {@code double}, or null when the page has no dictionary ids. */
  double[] entryDoubles() {
    if (dictionaryIds() == null) {
      return null;
    }
    if (entryDoubles == null || entriesOfDoubles != dictionary) {
      entryDoubles = new double[dictionary.length];
      for (int id = 0; id < dictionary.length; id++) {
        entryDoubles[id] = ((Number) dictionary[id]).doubleValue();
      }
      entriesOfDoubles = dictionary;
    }
    return entryDoubles;
  }

  /** The run's values by value index, when its page holds them as plain INT64 numbers; else null. */
  long[] plainLongs() {
    return isPlainNumber() && physical == PrimitiveTypeName.INT64 ? page.longValues() : null;
  }

  /** The run's values by value index, when its page holds them as plain INT32 numbers; else null. */
  int[] plainInts() {
    return isPlainNumber() && physical == PrimitiveTypeName.INT32 ? page.intValues() : null;
  }

  /** The run's values by value index, when its page holds them as plain FLOAT or DOUBLE numbers; else null. */
  double[] plainDoubles() {
    return isPlainNumber() && (physical == PrimitiveTypeName.DOUBLE || physical == PrimitiveTypeName.FLOAT)
        ? page.doubleValues() : null;
  }

  private boolean isPlainNumber() {
    return page != null && !dictionaryEncoded && physicalIsValue;
  }

  /** Whether the run's page holds dictionary ids (of {@link #dictionaryId}). */
  boolean isDictionaryEncoded() {
    return page != null && dictionaryEncoded;
  }

  /** Value {@code k}'s dictionary id, on a dictionary-encoded page. */
  int dictionaryId(int k) {
    return page.dictionaryIdAt(k);
  }

  /** The decoded dictionary entries of the page, or null. */
  Object[] dictionary() {
    return dictionary;
  }

  /** Value {@code k} of an integer column. */
  long longValue(int k) {
    if (page == null) {
      return ((Number) constant).longValue();
    }
    if (dictionaryEncoded) {
      return ((Number) dictionary[page.dictionaryIdAt(k)]).longValue();
    }
    if (physicalIsValue) {
      return physical == PrimitiveTypeName.INT64 ? page.longAt(k) : page.intAt(k);
    }
    return ((Number) page.valueAt(k)).longValue();
  }

  /** Value {@code k} of a DOUBLE column. */
  double doubleValue(int k) {
    if (page == null) {
      return ((Number) constant).doubleValue();
    }
    if (dictionaryEncoded) {
      return ((Number) dictionary[page.dictionaryIdAt(k)]).doubleValue();
    }
    if (physicalIsValue) {
      return physical == PrimitiveTypeName.INT32 ? page.intAt(k) : page.doubleAt(k);
    }
    return ((Number) page.valueAt(k)).doubleValue();
  }

  /** Value {@code k}, decoded. */
  Object value(int k) {
    if (page == null) {
      return constant;
    }
    return dictionaryEncoded ? dictionary[page.dictionaryIdAt(k)] : page.valueAt(k);
  }
}
