package io.deltasql.core.data;

import io.delta.kernel.Scan;
import io.delta.kernel.Table;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.utils.CloseableIterator;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.KernelFileIO;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a table with Delta Kernel 4.0.0's default engine (its log replay, Parquet reader,
 * partition values, column mapping and deletion vectors) into the package's Java value
 * mapping: the independent reader to compare ours with.
 */
public final class KernelScan {
  private static final Engine ENGINE = DefaultEngine.create(new KernelFileIO(LocalStorage.INSTANCE));

  private KernelScan() {}

  /** The latest snapshot's rows, in the logical schema's column order. */
  static List<Object[]> rows(String root, StructType schema,
      io.delta.kernel.expressions.Predicate filter) {
    return rows(Table.forPath(ENGINE, root).getLatestSnapshot(ENGINE), schema, filter);
  }

  /** The rows of the snapshot at {@code version}, in the logical schema's column order. */
  static List<Object[]> rowsAsOf(String root, StructType schema, long version) {
    return rows(snapshotAsOf(root, version), schema, null);
  }

  /** The version of the latest snapshot Kernel finds in the table's {@code _delta_log}. */
  static long latestVersion(String root) {
    return Table.forPath(ENGINE, root).getLatestSnapshot(ENGINE).getVersion();
  }

  /** The data files (absolute paths, as Kernel resolves them) of the snapshot at {@code version}. */
  public static List<String> filesAsOf(String root, long version) {
    return files(snapshotAsOf(root, version));
  }

  /** Kernel's snapshot of the table at {@code version}. */
  static io.delta.kernel.Snapshot snapshotAsOf(String root, long version) {
    return Table.forPath(ENGINE, root).getSnapshotAsOfVersion(ENGINE, version);
  }

  /** Kernel's snapshot of the table at {@code millis} (the latest commit at or before it). */
  static io.delta.kernel.Snapshot snapshotAsOfTimestamp(String root, long millis) {
    return Table.forPath(ENGINE, root).getSnapshotAsOfTimestamp(ENGINE, millis);
  }

  /** The data files (absolute paths, as Kernel resolves them) of {@code snapshot}. */
  static List<String> files(io.delta.kernel.Snapshot snapshot) {
    Scan scan = snapshot.getScanBuilder().build();
    List<String> paths = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(ENGINE)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            paths.add(InternalScanFileUtils.getAddFileStatus(fileRows.next()).getPath());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return paths;
  }

  /** The rows of {@code snapshot}, in the logical schema's column order. */
  static List<Object[]> rows(io.delta.kernel.Snapshot snapshot, StructType schema,
      io.delta.kernel.expressions.Predicate filter) {
    io.delta.kernel.ScanBuilder builder = snapshot.getScanBuilder();
    Scan scan = filter == null ? builder.build() : builder.withFilter(filter).build();
    Row state = scan.getScanState(ENGINE);
    io.delta.kernel.types.StructType physical = ScanStateRow.getPhysicalDataReadSchema(ENGINE, state);
    List<Object[]> rows = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(ENGINE)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            Row file = fileRows.next();
            CloseableIterator<ColumnarBatch> data = ENGINE.getParquetHandler().readParquetFiles(
                Utils.singletonCloseableIterator(InternalScanFileUtils.getAddFileStatus(file)),
                physical, Optional.empty());
            try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(ENGINE, state, file, data)) {
              while (logical.hasNext()) {
                try (CloseableIterator<Row> values = logical.next().getRows()) {
                  while (values.hasNext()) {
                    rows.add(row(schema, values.next()));
                  }
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  // ---- Kernel's values in the package's Java value mapping ----

  private static Object[] row(StructType type, Row row) {
    Object[] values = new Object[type.fields().size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.isNullAt(i) ? null : value(type.fields().get(i).type(), row, i);
    }
    return values;
  }

  private static Object value(DataType type, Row row, int i) {
    if (type instanceof StructType struct) {
      return row(struct, row.getStruct(i));
    }
    if (type instanceof ArrayType array) {
      return list(array, row.getArray(i));
    }
    if (type instanceof MapType map) {
      return map(map, row.getMap(i));
    }
    if (type instanceof DecimalType) {
      return row.getDecimal(i);
    }
    return switch ((PrimitiveType) type) {
      case LONG -> row.getLong(i);
      case INTEGER -> row.getInt(i);
      case SHORT -> row.getShort(i);
      case BYTE -> row.getByte(i);
      case FLOAT -> row.getFloat(i);
      case DOUBLE -> row.getDouble(i);
      case BOOLEAN -> row.getBoolean(i);
      case STRING -> row.getString(i);
      case BINARY -> row.getBinary(i);
      case DATE -> LocalDate.ofEpochDay(row.getInt(i));
      case TIMESTAMP -> JavaValues.instantOfMicros(row.getLong(i));
      case TIMESTAMP_NTZ -> JavaValues.localDateTimeOfMicros(row.getLong(i));
      case VARIANT -> throw new IllegalArgumentException("variant");
    };
  }

  private static Object value(DataType type, ColumnVector vector, int i) {
    if (vector.isNullAt(i)) {
      return null;
    }
    if (type instanceof StructType struct) {
      Object[] values = new Object[struct.fields().size()];
      for (int f = 0; f < values.length; f++) {
        values[f] = value(struct.fields().get(f).type(), vector.getChild(f), i);
      }
      return values;
    }
    if (type instanceof ArrayType array) {
      return list(array, vector.getArray(i));
    }
    if (type instanceof MapType map) {
      return map(map, vector.getMap(i));
    }
    if (type instanceof DecimalType) {
      return vector.getDecimal(i);
    }
    return switch ((PrimitiveType) type) {
      case LONG -> vector.getLong(i);
      case INTEGER -> vector.getInt(i);
      case SHORT -> vector.getShort(i);
      case BYTE -> vector.getByte(i);
      case FLOAT -> vector.getFloat(i);
      case DOUBLE -> vector.getDouble(i);
      case BOOLEAN -> vector.getBoolean(i);
      case STRING -> vector.getString(i);
      case BINARY -> vector.getBinary(i);
      case DATE -> LocalDate.ofEpochDay(vector.getInt(i));
      case TIMESTAMP -> JavaValues.instantOfMicros(vector.getLong(i));
      case TIMESTAMP_NTZ -> JavaValues.localDateTimeOfMicros(vector.getLong(i));
      case VARIANT -> throw new IllegalArgumentException("variant");
    };
  }

  private static List<Object> list(ArrayType type, ArrayValue array) {
    List<Object> elements = new ArrayList<>();
    for (int e = 0; e < array.getSize(); e++) {
      elements.add(value(type.elementType(), array.getElements(), e));
    }
    return Collections.unmodifiableList(elements);
  }

  private static Map<Object, Object> map(MapType type, MapValue map) {
    Map<Object, Object> entries = new LinkedHashMap<>();
    for (int e = 0; e < map.getSize(); e++) {
      entries.put(value(type.keyType(), map.getKeys(), e), value(type.valueType(), map.getValues(), e));
    }
    return entries;
  }
}
