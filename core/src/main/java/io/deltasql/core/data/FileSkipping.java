package io.deltasql.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * Whether a whole data file may hold rows matching a {@link Predicate}, judging by what its
 * {@code add} action says: the partition values, and the statistics of the data columns
 * ({@code numRecords}, {@code minValues}, {@code maxValues}, {@code nullCount}), so that a file
 * is skipped without being opened. Every doubt answers "may match":
 *
 * <ul>
 *   <li>a file without statistics, or a column without them (binary, boolean, nested fields,
 *       columns past {@code dataSkippingNumIndexedCols}), may hold anything;
 *   <li>timestamp statistics are written to the millisecond, the maximum rounded down, so the
 *       maximum is taken as one millisecond more;
 *   <li>float and double statistics may leave NaN out: {@code >} and {@code >=} on them never
 *       skip, nor does a NaN.
 * </ul>
 * Statistics that cannot be read as the column's type are ignored (a foreign writer's quirk is
 * no reason to fail a query).
 */
public final class FileSkipping {
  private final TableLayout layout;
  private final Predicate predicate;

  public FileSkipping(TableLayout layout, Predicate predicate) {
    this.layout = layout;
    this.predicate = predicate;
  }

  /** Whether {@code file} may hold rows that match. */
  public boolean mightMatch(AddFile file) {
    FileStats stats;
    try {
      stats = FileStatsJson.parse(file.stats(), file.path());
    } catch (RuntimeException e) {
      stats = FileStats.EMPTY;
    }
    return evaluate(predicate, file, stats);
  }

  private boolean evaluate(Predicate p, AddFile file, FileStats stats) {
    if (p instanceof Predicate.And and) {
      return evaluate(and.left(), file, stats) && evaluate(and.right(), file, stats);
    }
    if (p instanceof Predicate.Or or) {
      return evaluate(or.left(), file, stats) || evaluate(or.right(), file, stats);
    }
    if (p instanceof Predicate.IsNull isNull) {
      return isNull(isNull, file, stats);
    }
    return compare((Predicate.Comparison) p, file, stats);
  }

  private boolean isNull(Predicate.IsNull p, AddFile file, FileStats stats) {
    if (p.column().size() != 1) {
      return true;
    }
    Optional<Integer> index = layout.indexOf(p.column().get(0));
    if (index.isEmpty()) {
      return true;
    }
    StructField field = layout.schema().fields().get(index.get());
    if (layout.isPartitionColumn(index.get())) {
      String value = file.partitionValues().get(layout.storedName(field));
      boolean isNull = value == null || value.isEmpty();
      return isNull != p.negated();
    }
    Optional<Long> nulls = stats.nullCount(layout.storedName(field));
    Optional<Long> records = stats.numRecords();
    if (nulls.isEmpty()) {
      return true;
    }
    if (!p.negated()) {
      return nulls.get() > 0;
    }
    return records.isEmpty() || nulls.get() < records.get();
  }

  private boolean compare(Predicate.Comparison c, AddFile file, FileStats stats) {
    if (c.column().size() != 1) {
      return true;
    }
    Optional<Integer> index = layout.indexOf(c.column().get(0));
    if (index.isEmpty()) {
      return true;
    }
    StructField field = layout.schema().fields().get(index.get());
    DataType type = field.type();
    String stored = layout.storedName(field);
    if (layout.isPartitionColumn(index.get())) {
      Object value;
      try {
        value = PartitionValues.parse(type, file.partitionValues().get(stored));
      } catch (RuntimeException e) {
        return true;
      }
      return value != null && c.op().test(ValueOrder.compare(value, c.literal()));
    }
    Optional<Long> nulls = stats.nullCount(stored);
    if (nulls.isPresent() && stats.numRecords().isPresent() && nulls.get() >= stats.numRecords().get()
        && stats.numRecords().get() > 0) {
      return false; // only nulls: no comparison is true
    }
    Object min = value(type, stats.minValue(stored), false);
    Object max = value(type, stats.maxValue(stored), true);
    if (min == null || max == null) {
      return true;
    }
    boolean floating = type == PrimitiveType.FLOAT || type == PrimitiveType.DOUBLE;
    if (floating && (isNaN(c.literal()) || isNaN(min) || isNaN(max)
        || c.op() == Predicate.Op.GT || c.op() == Predicate.Op.GE)) {
      return true;
    }
    Object literal = c.literal();
    try {
      return switch (c.op()) {
        case EQ -> ValueOrder.compare(literal, min) >= 0 && ValueOrder.compare(literal, max) <= 0;
        case LT -> ValueOrder.compare(min, literal) < 0;
        case LE -> ValueOrder.compare(min, literal) <= 0;
        case GT -> ValueOrder.compare(max, literal) > 0;
        case GE -> ValueOrder.compare(max, literal) >= 0;
      };
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** A statistic as a value of the column's type, or null if it cannot be read so. */
  private static Object value(DataType type, Optional<JsonNode> node, boolean upper) {
    if (node.isEmpty() || node.get().isNull()) {
      return null;
    }
    JsonNode json = node.get();
    try {
      if (type instanceof DecimalType decimal) {
        BigDecimal value = json.decimalValue();
        return value.setScale(decimal.scale(), upper ? RoundingMode.CEILING : RoundingMode.FLOOR);
      }
      if (!(type instanceof PrimitiveType primitive)) {
        return null;
      }
      return switch (primitive) {
        case LONG -> json.isIntegralNumber() && json.canConvertToLong() ? json.longValue() : null;
        case INTEGER -> json.isIntegralNumber() && json.canConvertToInt() ? json.intValue() : null;
        case SHORT -> json.isIntegralNumber() && json.canConvertToInt() ? (short) json.intValue() : null;
        case BYTE -> json.isIntegralNumber() && json.canConvertToInt() ? (byte) json.intValue() : null;
        case FLOAT -> json.isNumber() ? json.floatValue() : null;
        case DOUBLE -> json.isNumber() ? json.doubleValue() : null;
        case STRING -> json.isTextual() ? json.textValue() : null;
        case DATE -> json.isTextual() ? java.time.LocalDate.parse(json.textValue().substring(0, 10)) : null;
        case TIMESTAMP -> {
          Instant instant = Instant.parse(json.textValue());
          yield upper ? instant.plusMillis(1) : instant;
        }
        case TIMESTAMP_NTZ -> {
          String text = json.textValue();
          LocalDateTime time = LocalDateTime.parse(text.endsWith("Z") ? text.substring(0, text.length() - 1) : text);
          yield upper ? time.plusNanos(1_000_000) : time;
        }
        default -> null;
      };
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean isNaN(Object value) {
    return (value instanceof Double d && d.isNaN()) || (value instanceof Float f && f.isNaN());
  }
}
