package io.deltasql.core.data;

import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Decides whether a {@link Predicate} may match the rows of one data file: first by its
 * partition values alone, then per row group by the Parquet footer's statistics. Every answer
 * errs towards "may match":
 *
 * <ul>
 *   <li>a data column without statistics, or whose statistics have no order (INT96), may hold
 *       anything;
 *   <li>a column the file does not store holds only nulls;
 *   <li>float and double statistics may leave NaN out, and NaN is greater than every number:
 *       so {@code >} and {@code >=} on them never skip, nor does a NaN in the statistics or
 *       the literal.
 * </ul>
 */
final class DataSkipping {
  private final TableLayout layout;
  private final Predicate predicate;
  private final Object[] partitionValues;
  private final Map<List<String>, Column> columns = new HashMap<>();

  /**
   * @param partitionValues the file's partition values by schema index (others null)
   */
  DataSkipping(TableLayout layout, Predicate predicate, Object[] partitionValues) {
    this.layout = layout;
    this.predicate = predicate;
    this.partitionValues = partitionValues;
    bind(predicate);
  }

  /** A column a predicate names: its type, and where its values are. */
  private static final class Column {
    final String name;
    final DataType type;
    final int partitionIndex;
    ColumnPath filePath;
    ValueDecoder decoder;
    boolean inFile;

    Column(String name, DataType type, int partitionIndex) {
      this.name = name;
      this.type = type;
      this.partitionIndex = partitionIndex;
    }
  }

  private void bind(Predicate p) {
    if (p instanceof Predicate.And and) {
      bind(and.left());
      bind(and.right());
    } else if (p instanceof Predicate.Or or) {
      bind(or.left());
      bind(or.right());
    } else if (p instanceof Predicate.IsNull isNull) {
      column(isNull.column());
    } else {
      Predicate.Comparison comparison = (Predicate.Comparison) p;
      Column column = column(comparison.column());
      boolean primitive = column.type instanceof PrimitiveType
          || column.type instanceof DecimalType;
      if (!primitive || column.type == PrimitiveType.VARIANT) {
        throw DataErrors.unsupported("Predicate " + comparison + " compares column '"
            + column.name + "' of type " + column.type.typeName()
            + "; only primitive columns can be compared");
      }
      if (!JavaValues.isInstance(column.type, comparison.literal())) {
        throw DataErrors.predicateMismatch(column.name, column.type, comparison.literal());
      }
    }
  }

  private Column column(List<String> path) {
    return columns.computeIfAbsent(path, key -> {
      int index = layout.requireIndex(path.get(0));
      StructField field = layout.schema().fields().get(index);
      DataType type = field.type();
      for (String name : path.subList(1, path.size())) {
        if (!(type instanceof StructType struct)) {
          throw DataErrors.unknownColumn(String.join(".", path), layout.table());
        }
        type = struct.field(name).orElseThrow(
            () -> DataErrors.unknownColumn(String.join(".", path), layout.table())).type();
      }
      boolean partition = layout.isPartitionColumn(index);
      return new Column(String.join(".", path), type, partition && path.size() == 1 ? index : -1);
    });
  }

  /** Whether the file may hold matching rows, judging by its partition values only. */
  boolean mightMatchFile() {
    return evaluate(predicate, null);
  }

  /** Learns where the predicate's data columns are in a data file. */
  void bindFile(MessageType fileSchema, FileColumns fileColumns) {
    for (Map.Entry<List<String>, Column> entry : columns.entrySet()) {
      Column column = entry.getValue();
      if (column.partitionIndex >= 0) {
        continue;
      }
      locate(entry.getKey(), column, fileSchema, fileColumns);
    }
  }

  private void locate(List<String> path, Column column, MessageType fileSchema,
      FileColumns fileColumns) {
    column.inFile = false;
    column.filePath = null;
    column.decoder = null;
    GroupType group = fileSchema;
    StructType struct = layout.schema();
    List<String> names = new ArrayList<>();
    Type found = null;
    for (int level = 0; level < path.size(); level++) {
      StructField field = struct.field(path.get(level)).orElseThrow();
      int index = fileColumns.find(group, field);
      if (index < 0) {
        return; // the file does not store it: all null
      }
      found = group.getType(index);
      names.add(found.getName());
      if (level < path.size() - 1) {
        if (found.isPrimitive() || !(field.type() instanceof StructType nested)) {
          column.inFile = true; // shape unexpected: no statistics used
          return;
        }
        group = found.asGroupType();
        struct = nested;
      }
    }
    column.inFile = true;
    if (found != null && found.isPrimitive()) {
      column.filePath = ColumnPath.get(names.toArray(String[]::new));
      column.decoder = ValueDecoders.of(column.type, found.asPrimitiveType()).orElse(null);
    }
  }

  /** Whether a row group may hold matching rows. */
  boolean mightMatch(BlockMetaData block) {
    return evaluate(predicate, block);
  }

  private boolean evaluate(Predicate p, BlockMetaData block) {
    if (p instanceof Predicate.And and) {
      return evaluate(and.left(), block) && evaluate(and.right(), block);
    }
    if (p instanceof Predicate.Or or) {
      return evaluate(or.left(), block) || evaluate(or.right(), block);
    }
    if (p instanceof Predicate.IsNull isNull) {
      return isNull(columns.get(isNull.column()), isNull.negated(), block);
    }
    Predicate.Comparison c = (Predicate.Comparison) p;
    return compare(columns.get(c.column()), c.op(), c.literal(), block);
  }

  private boolean isNull(Column column, boolean negated, BlockMetaData block) {
    if (column.partitionIndex >= 0) {
      return (partitionValues[column.partitionIndex] == null) != negated;
    }
    if (block == null) {
      return true;
    }
    if (!column.inFile) {
      return !negated;
    }
    Optional<ChunkStats> stats = stats(column, block);
    if (stats.isEmpty()) {
      return true;
    }
    return negated ? !stats.get().allNull() : stats.get().mayHaveNulls();
  }

  private boolean compare(Column column, Predicate.Op op, Object literal, BlockMetaData block) {
    if (column.partitionIndex >= 0) {
      Object value = partitionValues[column.partitionIndex];
      return value != null && op.test(ValueOrder.compare(value, literal));
    }
    if (block == null) {
      return true;
    }
    if (!column.inFile) {
      return false;
    }
    Optional<ChunkStats> found = stats(column, block);
    if (found.isEmpty()) {
      return true;
    }
    ChunkStats stats = found.get();
    if (stats.allNull()) {
      return false;
    }
    if (stats.min == null || stats.max == null) {
      return true;
    }
    boolean floating = column.type == PrimitiveType.FLOAT || column.type == PrimitiveType.DOUBLE;
    if (floating && (isNaN(literal) || isNaN(stats.min) || isNaN(stats.max)
        || op == Predicate.Op.GT || op == Predicate.Op.GE)) {
      return true;
    }
    return switch (op) {
      case EQ -> ValueOrder.compare(literal, stats.min) >= 0
          && ValueOrder.compare(literal, stats.max) <= 0;
      case LT -> ValueOrder.compare(stats.min, literal) < 0;
      case LE -> ValueOrder.compare(stats.min, literal) <= 0;
      case GT -> ValueOrder.compare(stats.max, literal) > 0;
      case GE -> ValueOrder.compare(stats.max, literal) >= 0;
    };
  }

  private static boolean isNaN(Object value) {
    return (value instanceof Double d && d.isNaN()) || (value instanceof Float f && f.isNaN());
  }

  /** What a row group's statistics say of one column. */
  private record ChunkStats(Object min, Object max, long valueCount, Long nulls) {
    boolean allNull() {
      return nulls != null && nulls >= valueCount;
    }

    boolean mayHaveNulls() {
      return nulls == null || nulls > 0;
    }
  }

  private Optional<ChunkStats> stats(Column column, BlockMetaData block) {
    if (column.filePath == null) {
      return Optional.empty();
    }
    for (ColumnChunkMetaData chunk : block.getColumns()) {
      if (!chunk.getPath().equals(column.filePath)) {
        continue;
      }
      Statistics<?> statistics = chunk.getStatistics();
      if (statistics == null || statistics.isEmpty()) {
        return Optional.empty();
      }
      Long nulls = statistics.isNumNullsSet() ? statistics.getNumNulls() : null;
      Object min = null;
      Object max = null;
      if (statistics.hasNonNullValue() && column.decoder != null
          && column.decoder.hasOrderedStatistics()) {
        min = column.decoder.fromStatistic(statistics.genericGetMin());
        max = column.decoder.fromStatistic(statistics.genericGetMax());
      }
      return Optional.of(new ChunkStats(min, max, chunk.getValueCount(), nulls));
    }
    return Optional.empty();
  }
}
