package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.EncodedText;
import io.deltasql.core.actions.StatsBlock;
import io.deltasql.core.json.FileStatsView;
import io.deltasql.core.json.JsonSupport;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link FileSkipping} on statistics that are not what the column's type expects. */
class FileSkippingTest {
  private static final TableLayout LAYOUT = TableLayout.of(new StructType(List.of(
      new StructField("amount", new DecimalType(10, 2), true, JsonSupport.mapper().createObjectNode()))),
      List.of(), ColumnMappingMode.NONE, "t");
  private static final TableLayout INT_LAYOUT = TableLayout.of(new StructType(List.of(
      new StructField("n", PrimitiveType.INTEGER, true, JsonSupport.mapper().createObjectNode()))),
      List.of(), ColumnMappingMode.NONE, "t");

  private static boolean mightMatch(String stats, BigDecimal literal) {
    AddFile file = AddFile.of("f.parquet", Map.of(), 1, 1, Optional.of(stats));
    return new FileSkipping(LAYOUT, new Predicate.Comparison(List.of("amount"), Predicate.Op.EQ, literal))
        .mightMatch(file);
  }

  /** Jackson reads a string or a boolean as the decimal 0: such bounds prove nothing. */
  @Test
  void decimalBoundsThatAreNotNumbersDoNotSkip() {
    assertTrue(mightMatch("{\"numRecords\":3,\"minValues\":{\"amount\":\"5.00\"},\"maxValues\":{\"amount\":\"9.00\"}}",
        new BigDecimal("7.00")));
    assertTrue(mightMatch("{\"numRecords\":3,\"minValues\":{\"amount\":true},\"maxValues\":{\"amount\":true}}",
        new BigDecimal("7.00")));
    assertFalse(mightMatch("{\"numRecords\":3,\"minValues\":{\"amount\":5.00},\"maxValues\":{\"amount\":6.00}}",
        new BigDecimal("7.00")));
    assertTrue(mightMatch("{\"numRecords\":3,\"minValues\":{\"amount\":5.00},\"maxValues\":{\"amount\":9.00}}",
        new BigDecimal("7.00")));
  }

  private static boolean intMightMatch(String min, String max, Predicate.Op op, Object literal) {
    String stats = "{\"numRecords\":3,\"minValues\":{\"n\":" + min + "},\"maxValues\":{\"n\":" + max + "}}";
    return new FileSkipping(INT_LAYOUT, new Predicate.Comparison(List.of("n"), op, literal))
        .mightMatch(AddFile.of("f.parquet", Map.of(), 1, 1, Optional.of(stats)));
  }

  /** The same, on the typed statistics of a file image (the bounds read as longs, not parsed). */
  private static boolean intMightMatchTyped(long min, long max, Predicate.Op op, Object literal) {
    return new FileSkipping(INT_LAYOUT, new Predicate.Comparison(List.of("n"), op, literal))
        .mightMatch(LongBounds.file(min, max));
  }

  /**
   * An INT column's bounds beyond the int range (a writer that stored them unsigned, or widened)
   * are no bounds: no comparison of an int literal with them skips the file, whether the bounds
   * are typed (a file image's) or parsed from the stats JSON.
   */
  @Test
  void intBoundsBeyondTheIntRangeDoNotSkip() {
    for (Predicate.Op op : Predicate.Op.values()) {
      assertTrue(intMightMatchTyped(4294967295L, 4294967296L, op, 5), op + " 5, bounds past 2^31");
      assertTrue(intMightMatchTyped(-4294967296L, -4294967295L, op, 5), op + " 5, bounds before -2^31");
      assertTrue(intMightMatchTyped(0, 2147483648L, op, Integer.MAX_VALUE), op + " MAX, max past 2^31");
      assertTrue(intMightMatchTyped(-2147483649L, 0, op, Integer.MIN_VALUE), op + " MIN, min before -2^31");
      assertTrue(intMightMatch("4294967295", "4294967296", op, 5), op + " 5, JSON bounds past 2^31");
    }
    assertFalse(intMightMatchTyped(0, 10, Predicate.Op.EQ, 11), "bounds in range still skip");
    assertFalse(intMightMatchTyped(0, 10, Predicate.Op.GT, 10));
    assertFalse(intMightMatch("0", "10", Predicate.Op.LT, 0));
    assertTrue(intMightMatchTyped(Integer.MIN_VALUE, Integer.MAX_VALUE, Predicate.Op.EQ, Integer.MAX_VALUE));
  }

  /**
   * A literal beyond the int range compared with an INT column's bounds (a {@code long} literal,
   * which the planner never pushes for an INT column) neither throws nor skips a file that may
   * match.
   */
  @Test
  void aLongLiteralBeyondTheIntRangeDoesNotSkipWrongly() {
    for (Predicate.Op op : List.of(Predicate.Op.LT, Predicate.Op.LE)) {
      assertTrue(intMightMatchTyped(0, 10, op, 3_000_000_000L), op + " 3e9");
      assertTrue(intMightMatch("0", "10", op, 3_000_000_000L), op + " 3e9, JSON");
    }
    for (Predicate.Op op : List.of(Predicate.Op.GT, Predicate.Op.GE)) {
      assertTrue(intMightMatchTyped(0, 10, op, -3_000_000_000L), op + " -3e9");
      assertTrue(intMightMatch("0", "10", op, -3_000_000_000L), op + " -3e9, JSON");
    }
    for (Predicate.Op op : Predicate.Op.values()) {
      intMightMatchTyped(0, 10, op, 3_000_000_000L); // neither throws
      intMightMatch("0", "10", op, Long.MIN_VALUE);
    }
  }

  /** Typed statistics of one file, as a catalog file image gives them: an INT column's bounds as longs. */
  private record LongBounds(long min, long max) implements StatsBlock, FileStatsView {
    static AddFile file(long min, long max) {
      return AddFile.ofEncodedStats("f.parquet", Map.of(), 1, 1, true,
          Optional.of(new EncodedText(new LongBounds(min, max), 0, 0)), Map.of(), Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public byte[] bytes() {
      return new byte[0];
    }

    @Override
    public FileStatsView statsOf(EncodedText text) {
      return this;
    }

    @Override
    public Optional<Long> numRecords() {
      return Optional.of(3L);
    }

    @Override
    public Optional<Long> nullCount(String column) {
      return Optional.of(0L);
    }

    @Override
    public Optional<JsonNode> minValue(String column) {
      return Optional.of(LongNode.valueOf(min));
    }

    @Override
    public Optional<JsonNode> maxValue(String column) {
      return Optional.of(LongNode.valueOf(max));
    }

    @Override
    public boolean hasLongBounds(String column) {
      return true;
    }

    @Override
    public long minLong(String column) {
      return min;
    }

    @Override
    public long maxLong(String column) {
      return max;
    }
  }
}
