package io.deltasql.core.data;

import io.deltasql.core.types.StructType;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

/** Turns each Parquet record into an {@code Object[]} of the columns read from the file. */
final class RowMaterializer extends RecordMaterializer<Object[]> {
  private final StructConverter root;
  private Object[] row;

  RowMaterializer(StructType columns, MessageType requested, FileColumns fileColumns) {
    this.root = new StructConverter(columns, requested, fileColumns, "", r -> row = r);
  }

  @Override
  public Object[] getCurrentRecord() {
    return row;
  }

  @Override
  public GroupConverter getRootConverter() {
    return root;
  }
}
