package io.deltasql.core.data;

import io.deltasql.core.types.MapType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.schema.GroupType;

/** Assembles a Parquet map as an unmodifiable {@link Map} in file order. */
final class MapConverter extends GroupConverter {
  private final Converter entries;
  private final Consumer<Object> sink;
  private Map<Object, Object> map;
  private Object key;
  private Object value;

  MapConverter(MapType type, GroupType file, FileColumns columns, String column,
      Consumer<Object> sink) {
    this.sink = sink;
    GroupType entryGroup = FileColumns.mapEntries(file)
        .orElseThrow(() -> columns.mismatch(type, file, column));
    Converter keys = ValueConverters.create(type.keyType(), entryGroup.getType(0), columns,
        column + ".key", k -> key = k);
    Converter values = entryGroup.getFieldCount() > 1
        ? ValueConverters.create(type.valueType(), entryGroup.getType(1), columns,
            column + ".value", v -> value = v)
        : null;
    this.entries = new EntryConverter(keys, values);
  }

  @Override
  public Converter getConverter(int fieldIndex) {
    return entries;
  }

  @Override
  public void start() {
    map = new LinkedHashMap<>();
  }

  @Override
  public void end() {
    sink.accept(Collections.unmodifiableMap(map));
  }

  /** One key-value pair per repetition. */
  private final class EntryConverter extends GroupConverter {
    private final Converter keys;
    private final Converter values;

    EntryConverter(Converter keys, Converter values) {
      this.keys = keys;
      this.values = values;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return fieldIndex == 0 ? keys : values;
    }

    @Override
    public void start() {
      key = null;
      value = null;
    }

    @Override
    public void end() {
      map.put(key, value);
    }
  }
}
