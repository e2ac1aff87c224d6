package io.deltasql.core.data;

import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.schema.GroupType;

/**
 * Assembles one struct (or a row's file columns) as {@code Object[]} in the table's field order;
 * fields the file lacks stay null.
 */
final class StructConverter extends GroupConverter {
  private final Converter[] converters;
  private final int width;
  private final Consumer<Object[]> sink;
  private Object[] current;

  StructConverter(StructType type, GroupType file, FileColumns columns, String column,
      Consumer<Object[]> sink) {
    List<StructField> fields = type.fields();
    this.width = fields.size();
    this.sink = sink;
    this.converters = new Converter[file.getFieldCount()];
    for (int i = 0; i < fields.size(); i++) {
      StructField field = fields.get(i);
      int fileIndex = columns.find(file, field);
      if (fileIndex >= 0) {
        int slot = i;
        String path = column.isEmpty() ? field.name() : column + "." + field.name();
        converters[fileIndex] = ValueConverters.create(field.type(), file.getType(fileIndex),
            columns, path, value -> current[slot] = value);
      }
    }
    for (int j = 0; j < converters.length; j++) {
      if (converters[j] == null) {
        converters[j] = SkippingConverter.of(file.getType(j));
      }
    }
  }

  @Override
  public Converter getConverter(int fieldIndex) {
    return converters[fieldIndex];
  }

  @Override
  public void start() {
    current = new Object[width];
  }

  @Override
  public void end() {
    sink.accept(current);
  }
}
