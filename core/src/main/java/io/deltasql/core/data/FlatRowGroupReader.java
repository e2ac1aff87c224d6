package io.deltasql.core.data;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads the records of one row group of a flat projection (top-level primitive columns, none
 * repeated) straight from its column readers, one record at a time: first the columns a
 * {@link RowFilter} reads, then, only for records the filter does not rule out, the others.
 * A record ruled out (or deleted) has its other values skipped, not decoded. This is parquet's
 * record assembly without its state machine, which a flat schema does not need.
 *
 * <p>The row it fills is reused from record to record.
 */
final class FlatRowGroupReader {
  private final ColumnReader[] readers;
  private final int[] maxDefinitionLevels;
  /** Positions read before the filter is asked, then the others. */
  private final int[] filterSlots;
  private final int[] otherSlots;
  private final RowFilter filter;
  private final Object[] row;

  /**
   * @param decoders for each column of {@code requested}, in order, its decoder
   * @param filter what rules records out, over positions of {@code requested}; or null
   */
  FlatRowGroupReader(PageReadStore pages, MessageType requested, String createdBy,
      ValueDecoder[] decoders, RowFilter filter) {
    this.row = new Object[decoders.length];
    this.filter = filter;
    Converter[] converters = new Converter[decoders.length];
    for (int i = 0; i < decoders.length; i++) {
      int slot = i;
      converters[i] = new LeafConverter(decoders[i], value -> row[slot] = value);
    }
    ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new Root(converters), requested, createdBy);
    List<ColumnDescriptor> columns = requested.getColumns();
    readers = new ColumnReader[columns.size()];
    maxDefinitionLevels = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      readers[i] = store.getColumnReader(columns.get(i));
      maxDefinitionLevels[i] = columns.get(i).getMaxDefinitionLevel();
    }
    filterSlots = filter == null ? new int[0] : filter.slots();
    boolean[] first = new boolean[readers.length];
    for (int slot : filterSlots) {
      first[slot] = true;
    }
    int[] others = new int[readers.length - filterSlots.length];
    int n = 0;
    for (int i = 0; i < readers.length; i++) {
      if (!first[i]) {
        others[n++] = i;
      }
    }
    otherSlots = others;
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
   * Reads the next record into the row.
   *
   * @return false when the filter rules the record out (the row then holds only the filter's
   *     columns)
   */
  boolean read() {
    for (int slot : filterSlots) {
      readValue(slot);
    }
    if (filter != null && !filter.mayMatch(row)) {
      for (int slot : otherSlots) {
        skipValue(slot);
      }
      return false;
    }
    for (int slot : otherSlots) {
      readValue(slot);
    }
    return true;
  }

  /** Moves past the next record without decoding it. */
  void skip() {
    for (int i = 0; i < readers.length; i++) {
      skipValue(i);
    }
  }

  private void readValue(int slot) {
    ColumnReader reader = readers[slot];
    if (reader.getCurrentDefinitionLevel() == maxDefinitionLevels[slot]) {
      reader.writeCurrentValueToConverter();
    } else {
      row[slot] = null;
    }
    reader.consume();
  }

  private void skipValue(int slot) {
    ColumnReader reader = readers[slot];
    if (reader.getCurrentDefinitionLevel() == maxDefinitionLevels[slot]) {
      reader.skip();
    }
    reader.consume();
  }

  /** The converter tree the column readers look their converters up in. */
  private static final class Root extends GroupConverter {
    private final Converter[] converters;

    Root(Converter[] converters) {
      this.converters = converters;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return converters[fieldIndex];
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
