package io.deltasql.core.data;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads the records of one row group of a flat projection (top-level primitive columns, none
 * repeated) from its columns' pages, decoded a page at a time ({@link PageColumn}), one record
 * at a time: a {@link RowFilter} first tests the record from the pages' arrays, and only a
 * record it does not rule out is decoded; one ruled out (or deleted) has its values skipped.
 * Runs of records the filter rules out are passed over at once ({@link #skipRuledOut}).
 * This is parquet's record assembly without its state machine, which a flat schema does not
 * need.
 *
 * <p>The row it fills is reused from record to record.
 */
final class FlatRowGroupReader {
  private final PageColumn[] columns;
  /** The filter over the columns' next record, or null. */
  private final RowFilter.RecordTest filter;
  private final Object[] row;

  /**
   * @param decoders for each column of {@code requested}, in order, its decoder
   * @param filter what rules records out, over positions of {@code requested}; or null
   */
  FlatRowGroupReader(PageReadStore pages, MessageType requested, String createdBy,
      ValueDecoder[] decoders, RowFilter filter) {
    this.row = new Object[decoders.length];
    List<ColumnDescriptor> descriptors = requested.getColumns();
    columns = new PageColumn[descriptors.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = new PageColumn(pages.getPageReader(descriptors.get(i)), descriptors.get(i),
          decoders[i], createdBy);
    }
    this.filter = filter == null ? null : filter.onColumns(columns);
  }

  /**
   * The decoders of a flat projection's columns.
   *
   * @throws DeltaException when a column's Parquet type does not fit its Delta type
   */
  static ValueDecoder[] decoders(MessageType requested, StructType columns, FileColumns fileColumns) {
    ValueDecoder[] decoders = new ValueDecoder[columns.fields().size()];
    for (int i = 0; i < decoders.length; i++) {
      StructField field = columns.fields().get(i);
      Type file = requested.getType(i);
      decoders[i] = ValueDecoders.of(field.type(), file.asPrimitiveType())
          .orElseThrow(() -> fileColumns.mismatch(field.type(), file, field.name()));
    }
    return decoders;
  }

  /** Whether a projection is flat: its columns all primitive and none repeated. */
  static boolean isFlat(MessageType requested, StructType columns) {
    for (Type field : requested.getFields()) {
      if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
        return false;
      }
    }
    for (StructField field : columns.fields()) {
      if (!(field.type() instanceof PrimitiveType || field.type() instanceof DecimalType)) {
        return false;
      }
    }
    return true;
  }

  /** The current record's values, by position in the requested schema; reused. */
  Object[] row() {
    return row;
  }

  /**
   * Reads the next record into the row, unless the filter rules it out.
   *
   * @return false when the filter rules the record out (it is then skipped, the row unchanged)
   */
  boolean read() {
    if (filter != null && !filter.mayMatch()) {
      skip();
      return false;
    }
    for (int i = 0; i < columns.length; i++) {
      row[i] = columns[i].read();
    }
    return true;
  }

  /**
   * Moves past the records, from the next one, that the filter certainly rules out, at most
   * {@code max} and at most to the end of the columns' current pages, tested a run at a time on
   * the pages' arrays ({@link RowFilter.RecordTest#ruledOut}); stops before the first record the
   * filter may keep. Returns how many records it passed over (0 without a filter).
   *
   * @param max the records left in the row group (more than 0)
   */
  int skipRuledOut(long max) {
    if (filter == null) {
      return 0;
    }
    int n = (int) Math.min(max, Integer.MAX_VALUE);
    for (PageColumn column : columns) {
      n = Math.min(n, column.remainingInPage());
    }
    int ruledOut = filter.ruledOut(n);
    if (ruledOut > 0) {
      for (PageColumn column : columns) {
        column.skipInPage(ruledOut);
      }
    }
    return ruledOut;
  }

  /** Moves past the next record without decoding it. */
  void skip() {
    for (PageColumn column : columns) {
      column.skip();
    }
  }
}
