package io.deltasql.core.data;

import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.StructType;
import java.util.function.Consumer;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.schema.Type;

/** Builds the converter tree that turns a (pruned) Parquet field into Java values of a Delta type. */
final class ValueConverters {
  private ValueConverters() {}

  static Converter create(DataType type, Type file, FileColumns columns, String column,
      Consumer<Object> sink) {
    if (type instanceof StructType struct) {
      return new StructConverter(struct, file.asGroupType(), columns, column, sink::accept);
    }
    if (type instanceof ArrayType array) {
      return new ListConverter(array, file.asGroupType(), columns, column, sink);
    }
    if (type instanceof MapType map) {
      return new MapConverter(map, file.asGroupType(), columns, column, sink);
    }
    ValueDecoder decoder = ValueDecoders.of(type, file.asPrimitiveType())
        .orElseThrow(() -> columns.mismatch(type, file, column));
    return new LeafConverter(decoder, sink);
  }
}
