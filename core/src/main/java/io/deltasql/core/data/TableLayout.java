package io.deltasql.core.data;

import io.deltasql.core.actions.Metadata;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.json.SchemaJson;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the data files of a table look like, from its {@code metaData}: the schema, which columns
 * are partition columns (stored in the log, not in the files), and the column mapping mode that
 * says how the other columns are named in the files. Immutable.
 */
public final class TableLayout {
  private final String table;
  private final StructType schema;
  private final ColumnMappingMode mode;
  private final boolean[] partition;
  private final List<StructField> partitionColumns;
  private final List<StructField> dataColumns;

  private TableLayout(String table, StructType schema, ColumnMappingMode mode,
      List<String> partitionNames) {
    this.table = table;
    this.schema = schema;
    this.mode = mode;
    this.partition = new boolean[schema.fields().size()];
    List<StructField> parts = new ArrayList<>();
    for (String name : partitionNames) {
      int index = indexOf(name).orElseThrow(() -> new DeltaException(SqlState.DATA_CORRUPTED,
          "Partition column '" + name + "' of table " + table + " is not in its schema"));
      StructField field = schema.fields().get(index);
      if (!(field.type() instanceof PrimitiveType) && !(field.type() instanceof DecimalType)) {
        throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED, "Partition column '" + name
            + "' of table " + table + " has type " + field.type().typeName()
            + "; only primitive types can be partition columns");
      }
      partition[index] = true;
      parts.add(field);
    }
    this.partitionColumns = List.copyOf(parts);
    List<StructField> data = new ArrayList<>();
    for (int i = 0; i < partition.length; i++) {
      if (!partition[i]) {
        data.add(schema.fields().get(i));
      }
    }
    this.dataColumns = List.copyOf(data);
  }

  /**
   * The layout of a table from its metadata.
   *
   * @param table the table, for error messages (its root or name)
   */
  public static TableLayout of(Metadata metadata, String table) {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(table, "table");
    StructType schema = SchemaJson.parse(metadata.schemaString(), "schema of table " + table);
    return new TableLayout(table, schema, ColumnMappingMode.of(metadata),
        metadata.partitionColumns());
  }

  /** A layout from its parts (for tables being created, and tests). */
  public static TableLayout of(StructType schema, List<String> partitionColumns,
      ColumnMappingMode mode, String table) {
    return new TableLayout(Objects.requireNonNull(table, "table"),
        Objects.requireNonNull(schema, "schema"), Objects.requireNonNull(mode, "mode"),
        List.copyOf(partitionColumns));
  }

  /** The table, as named in error messages. */
  public String table() {
    return table;
  }

  /** The table schema (logical names). */
  public StructType schema() {
    return schema;
  }

  public ColumnMappingMode columnMappingMode() {
    return mode;
  }

  /** The partition columns in the order the metadata lists them. */
  public List<StructField> partitionColumns() {
    return partitionColumns;
  }

  /** The columns stored in data files, in schema order. */
  public List<StructField> dataColumns() {
    return dataColumns;
  }

  /** Whether the column at {@code index} of the schema is a partition column. */
  public boolean isPartitionColumn(int index) {
    return partition[index];
  }

  /** The schema index of a column, matched case-insensitively. */
  public Optional<Integer> indexOf(String column) {
    List<StructField> fields = schema.fields();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(column)) {
        return Optional.of(i);
      }
    }
    String wanted = column.toLowerCase(Locale.ROOT);
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().toLowerCase(Locale.ROOT).equals(wanted)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** The schema index of a column; {@code 42703} if there is none. */
  public int requireIndex(String column) {
    return indexOf(column).orElseThrow(() -> DataErrors.unknownColumn(column, table));
  }

  /**
   * The name under which a column is stored: in data files (and, for partition columns, as the
   * key of {@code partitionValues}); the physical name when the table maps columns.
   */
  public String storedName(StructField field) {
    return mode == ColumnMappingMode.NONE ? field.name() : field.physicalName();
  }

  /** The type of the column at {@code index}. */
  public DataType type(int index) {
    return schema.fields().get(index).type();
  }
}
