package io.deltasql.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Computes the Delta statistics of one data file as its rows are written (PROTOCOL.md,
 * "Per-file Statistics"), keyed by the names the file stores (physical names with column
 * mapping), nested like the schema's structs.
 *
 * <p>Like Delta: statistics cover the first {@code delta.dataSkippingNumIndexedCols} leaf
 * columns (32 by default; nested struct fields count one each, arrays and maps one); null
 * counts cover all of them, minimums and maximums only numbers, dates, timestamps and strings.
 * Strings are cut to a prefix ({@link StatsStrings}), timestamps truncated to milliseconds
 * (readers allow for that). Where Delta would write NaN or an infinity as a float or double
 * bound, no bound is written: JSON has no such numbers and absent bounds are always safe.
 */
final class StatsCollector {
  private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);
  private static final DateTimeFormatter TIMESTAMP_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT);

  private final StructNode root;
  private final int stringPrefix;
  private long records;

  /**
   * @param indexedColumns how many leaf columns get statistics; negative for all
   */
  StatsCollector(List<StructField> dataColumns, ColumnMappingMode mode, int indexedColumns,
      int stringPrefix) {
    this.stringPrefix = stringPrefix;
    int[] budget = {indexedColumns < 0 ? Integer.MAX_VALUE : indexedColumns};
    this.root = new StructNode(null, dataColumns, mode, budget);
  }

  /** Adds one row of the data columns. */
  void add(Object[] dataRow) {
    records++;
    root.add(dataRow);
  }

  long records() {
    return records;
  }

  FileStats toStats() {
    ObjectNode min = JSON.objectNode();
    ObjectNode max = JSON.objectNode();
    ObjectNode nulls = JSON.objectNode();
    root.write(min, max, nulls);
    return FileStats.of(Optional.of(records), min, max, nulls, Optional.empty());
  }

  /** A column of the statistics: a struct of further columns, or a leaf. */
  private interface Node {
    void add(Object value);

    void write(ObjectNode min, ObjectNode max, ObjectNode nulls);
  }

  private final class StructNode implements Node {
    private final String name;
    private final List<Node> children = new ArrayList<>();
    private final int[] slots;

    StructNode(String name, List<StructField> fields, ColumnMappingMode mode, int[] budget) {
      this.name = name;
      List<Integer> kept = new ArrayList<>();
      for (int i = 0; i < fields.size() && budget[0] > 0; i++) {
        StructField field = fields.get(i);
        String stored = mode == ColumnMappingMode.NONE ? field.name() : field.physicalName();
        if (field.type() instanceof StructType struct) {
          children.add(new StructNode(stored, struct.fields(), mode, budget));
        } else {
          budget[0]--;
          children.add(new LeafNode(stored, field.type()));
        }
        kept.add(i);
      }
      this.slots = kept.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void add(Object value) {
      Object[] values = (Object[]) value;
      for (int i = 0; i < slots.length; i++) {
        children.get(i).add(values == null ? null : values[slots[i]]);
      }
    }

    @Override
    public void write(ObjectNode min, ObjectNode max, ObjectNode nulls) {
      if (name == null) {
        children.forEach(c -> c.write(min, max, nulls));
        return;
      }
      ObjectNode childMin = JSON.objectNode();
      ObjectNode childMax = JSON.objectNode();
      ObjectNode childNulls = JSON.objectNode();
      children.forEach(c -> c.write(childMin, childMax, childNulls));
      putIfNotEmpty(min, childMin);
      putIfNotEmpty(max, childMax);
      putIfNotEmpty(nulls, childNulls);
    }

    private void putIfNotEmpty(ObjectNode parent, ObjectNode child) {
      if (!child.isEmpty()) {
        parent.set(name, child);
      }
    }
  }

  private final class LeafNode implements Node {
    private final String name;
    private final DataType type;
    private final boolean bounded;
    private long nulls;
    private Object min;
    private Object max;
    private boolean unbounded;

    LeafNode(String name, DataType type) {
      this.name = name;
      this.type = type;
      this.bounded = type instanceof DecimalType || (type instanceof PrimitiveType p
          && p != PrimitiveType.BOOLEAN && p != PrimitiveType.BINARY
          && p != PrimitiveType.VARIANT);
    }

    @Override
    public void add(Object value) {
      if (value == null) {
        nulls++;
        return;
      }
      if (!bounded || unbounded) {
        return;
      }
      if ((value instanceof Double d && (d.isNaN() || d.isInfinite()))
          || (value instanceof Float f && (f.isNaN() || f.isInfinite()))) {
        unbounded = true;
        return;
      }
      if (min == null || ValueOrder.compare(value, min) < 0) {
        min = value;
      }
      if (max == null || ValueOrder.compare(value, max) > 0) {
        max = value;
      }
    }

    @Override
    public void write(ObjectNode minValues, ObjectNode maxValues, ObjectNode nullCount) {
      nullCount.put(name, nulls);
      if (min == null || unbounded) {
        return;
      }
      if (min instanceof String low) {
        minValues.put(name, StatsStrings.truncateMin(low, stringPrefix));
        String high = StatsStrings.truncateMax((String) max, stringPrefix);
        if (high != null) {
          maxValues.put(name, high);
        }
        return;
      }
      minValues.set(name, json(min));
      maxValues.set(name, json(max));
    }
  }

  private static JsonNode json(Object value) {
    if (value instanceof Long v) {
      return JSON.numberNode(v);
    }
    if (value instanceof Integer v) {
      return JSON.numberNode(v);
    }
    if (value instanceof Short v) {
      return JSON.numberNode(v);
    }
    if (value instanceof Byte v) {
      return JSON.numberNode(v.intValue());
    }
    if (value instanceof Float v) {
      return JSON.numberNode(v);
    }
    if (value instanceof Double v) {
      return JSON.numberNode(v);
    }
    if (value instanceof BigDecimal v) {
      return JSON.numberNode(v);
    }
    if (value instanceof LocalDate v) {
      return JSON.textNode(v.toString());
    }
    if (value instanceof Instant v) {
      return JSON.textNode(TIMESTAMP_MILLIS.format(
          LocalDateTime.ofInstant(v.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC)) + "Z");
    }
    if (value instanceof LocalDateTime v) {
      return JSON.textNode(TIMESTAMP_MILLIS.format(v.truncatedTo(ChronoUnit.MILLIS)));
    }
    throw new IllegalArgumentException("no statistics for " + value.getClass());
  }
}
