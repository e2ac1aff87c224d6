package io.deltasql.core.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.json.SchemaJson;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Schemas, metadata and reads of tables written in tests. */
final class TestTables {
  private TestTables() {}

  static StructField field(String name, DataType type, boolean nullable) {
    return new StructField(name, type, nullable, JsonNodeFactory.instance.objectNode());
  }

  static StructField field(String name, DataType type) {
    return field(name, type, true);
  }

  static StructType struct(StructField... fields) {
    return new StructType(List.of(fields));
  }

  /** The schema with column-mapping ids and physical names on every struct field. */
  static StructType withColumnMapping(StructType schema) {
    return (StructType) mapped(schema, new AtomicInteger());
  }

  private static DataType mapped(DataType type, AtomicInteger ids) {
    if (type instanceof StructType struct) {
      List<StructField> fields = new ArrayList<>();
      for (StructField f : struct.fields()) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        int id = ids.incrementAndGet();
        metadata.put(StructField.COLUMN_MAPPING_ID, id);
        metadata.put(StructField.COLUMN_MAPPING_PHYSICAL_NAME, "col-" + id + "-" + f.name());
        fields.add(new StructField(f.name(), mapped(f.type(), ids), f.nullable(), metadata));
      }
      return new StructType(fields);
    }
    if (type instanceof ArrayType array) {
      return new ArrayType(mapped(array.elementType(), ids), array.containsNull());
    }
    if (type instanceof MapType map) {
      return new MapType(mapped(map.keyType(), ids), mapped(map.valueType(), ids),
          map.valueContainsNull());
    }
    return type;
  }

  static Metadata metadata(StructType schema, List<String> partitionColumns,
      Map<String, String> configuration) {
    return new Metadata("0f0e0d0c-0b0a-4908-8706-050403020100", Optional.empty(),
        Optional.empty(), Format.PARQUET, SchemaJson.write(schema), partitionColumns,
        configuration, Optional.of(1_700_000_000_000L));
  }

  static Metadata metadata(StructType schema, List<String> partitionColumns) {
    return metadata(schema, partitionColumns, Map.of());
  }

  /** Every row of the files, read back with {@link DataFileReader}. */
  static List<Object[]> readAll(Path root, Metadata metadata, List<AddFile> files) {
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, root.toString(), metadata);
    List<Object[]> rows = new ArrayList<>();
    for (AddFile file : files) {
      rows.addAll(reader.read(file).toList());
    }
    return rows;
  }

  /** Files under {@code root} that are not hidden (temporary) files, relative paths. */
  static List<String> visibleFiles(Path root) {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .map(p -> root.relativize(p).toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A row as a mutable copy with one value replaced. */
  static Object[] with(Object[] row, int index, Object value) {
    Object[] copy = row.clone();
    copy[index] = value;
    return copy;
  }

  static Map<String, String> nullValueMap(String key) {
    Map<String, String> map = new HashMap<>();
    map.put(key, null);
    return map;
  }
}
