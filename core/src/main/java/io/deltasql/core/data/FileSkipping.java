package io.deltasql.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.json.FileStatsView;
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
 *
 * <p>A file read from a catalog file image answers from the typed statistics kept in the image
 * ({@link AddFile#typedStats()}); any other file's stats JSON is parsed, once per file and only
 * when the predicate names a column that is not a partition column.
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
    return evaluate(predicate, file, new Stats(file));
  }

  /** A file's statistics, read on first use. */
  private static final class Stats {
    private final AddFile file;
    private FileStatsView view;

    Stats(AddFile file) {
      this.file = file;
    }

    FileStatsView get() {
      if (view == null) {
        view = file.typedStats().orElseGet(this::parse);
      }
      return view;
    }

    private FileStatsView parse() {
      try {
        return FileStatsJson.parse(file.stats(), file.path());
      } catch (RuntimeException e) {
        return FileStats.EMPTY;
      }
    }
  }

  private boolean evaluate(Predicate p, AddFile file, Stats stats) {
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

  private boolean isNull(Predicate.IsNull p, AddFile file, Stats lazyStats) {
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
    FileStatsView stats = lazyStats.get();
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

  private boolean compare(Predicate.Comparison c, AddFile file, Stats lazyStats) {
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
    FileStatsView stats = lazyStats.get();
    Optional<Long> nulls = stats.nullCount(stored);
    if (nulls.isPresent()) {
      Optional<Long> records = stats.numRecords();
      if (records.isPresent() && nulls.get() >= records.get() && records.get() > 0) {
        return false; // only nulls: no comparison is true
      }
    }
    if (isLongOrInt(type, c.literal()) && stats.hasLongBounds(stored)) {
      return compareLongs(c, type, stats.minLong(stored), stats.maxLong(stored));
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
      return mightHold(c.op(), ValueOrder.compare(literal, min), ValueOrder.compare(literal, max));
    } catch (RuntimeException e) {
      return true;
    }
  }

  /**
   * Whether {@code op} may hold for a value between a file's bounds, from the literal
   * compared with the minimum and with the maximum (signs as {@link Comparable#compareTo}).
   */
  private static boolean mightHold(Predicate.Op op, int literalToMin, int literalToMax) {
    return switch (op) {
      case EQ -> literalToMin >= 0 && literalToMax <= 0;
      case LT -> literalToMin > 0;
      case LE -> literalToMin >= 0;
      case GT -> literalToMax < 0;
      case GE -> literalToMax <= 0;
    };
  }

  /** A {@code long} column and literal, or an {@code int} column and literal. */
  private static boolean isLongOrInt(DataType type, Object literal) {
    return type == PrimitiveType.LONG && literal instanceof Long || type == PrimitiveType.INTEGER && literal instanceof Integer;
  }

  /**
   * {@link #compare} on {@code int}/{@code long} bounds without boxing them: what reading them
   * through {@link #value} and {@link ValueOrder} gives (an {@code int} column's bound outside
   * the {@code int} range is no bound).
   */
  private static boolean compareLongs(Predicate.Comparison c, DataType type, long min, long max) {
    if (type == PrimitiveType.INTEGER && (min != (int) min || max != (int) max)) {
      return true;
    }
    long literal = ((Number) c.literal()).longValue();
    return mightHold(c.op(), Long.compare(literal, min), Long.compare(literal, max));
  }

  /** A statistic as a value of the column's type, or null if it cannot be read so. */
  private static Object value(DataType type, Optional<JsonNode> node, boolean upper) {
    if (node.isEmpty() || node.get().isNull()) {
      return null;
    }
    JsonNode json = node.get();
    try {
      if (type instanceof DecimalType decimal) {
        if (!json.isNumber()) {
          return null; // Jackson reads any other node as the decimal 0
        }
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
