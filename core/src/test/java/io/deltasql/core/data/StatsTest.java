package io.deltasql.core.data;

import static io.deltasql.core.data.TestTables.field;
import static io.deltasql.core.data.TestTables.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statistics of written files equal what the test computes from the rows it wrote. */
class StatsTest {
  static final StructType SCHEMA = struct(
      field("id", PrimitiveType.LONG),
      field("score", PrimitiveType.DOUBLE),
      field("name", PrimitiveType.STRING),
      field("day", PrimitiveType.DATE),
      field("ts", PrimitiveType.TIMESTAMP),
      field("ntz", PrimitiveType.TIMESTAMP_NTZ),
      field("price", new DecimalType(10, 2)),
      field("flag", PrimitiveType.BOOLEAN),
      field("bin", PrimitiveType.BINARY),
      field("nested", struct(field("a", PrimitiveType.INTEGER),
          field("inner", struct(field("b", PrimitiveType.STRING))))),
      field("tags", new ArrayType(PrimitiveType.INTEGER, true)),
      field("m", new MapType(PrimitiveType.STRING, PrimitiveType.INTEGER, true)),
      field("part", PrimitiveType.STRING));

  @TempDir
  Path dir;

  static List<Object[]> rows(long seed, int count) {
    Random r = new Random(seed);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(new Object[] {
          r.nextInt(7) == 0 ? null : r.nextLong(),
          r.nextInt(7) == 0 ? null : r.nextGaussian() * 1000,
          r.nextInt(7) == 0 ? null : ascii(r, 1 + r.nextInt(60)),
          r.nextInt(7) == 0 ? null : LocalDate.ofEpochDay(r.nextInt(40_000) - 20_000),
          r.nextInt(7) == 0 ? null : Instant.ofEpochSecond(r.nextInt(), r.nextInt(1_000_000) * 1000L),
          r.nextInt(7) == 0 ? null : LocalDateTime.of(2000, 1, 1, 0, 0)
              .plus(r.nextInt(1_000_000_000), ChronoUnit.MICROS),
          r.nextInt(7) == 0 ? null : BigDecimal.valueOf(r.nextInt(), 2),
          r.nextInt(7) == 0 ? null : r.nextBoolean(),
          r.nextInt(7) == 0 ? null : new byte[] {(byte) r.nextInt()},
          r.nextInt(7) == 0 ? null : new Object[] {r.nextInt(7) == 0 ? null : r.nextInt(),
              r.nextInt(7) == 0 ? null : new Object[] {r.nextInt(7) == 0 ? null : ascii(r, 5)}},
          r.nextInt(7) == 0 ? null : List.of(r.nextInt()),
          r.nextInt(7) == 0 ? null : Map.of("k", r.nextInt()),
          "p"});
    }
    return rows;
  }

  private static String ascii(Random r, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append((char) (' ' + r.nextInt(95)));
    }
    return s.toString();
  }

  private FileStats writeOneFile(Metadata metadata, List<Object[]> rows) {
    List<AddFile> files = DataFileWriter.of(LocalStorage.INSTANCE, dir.toString(), metadata,
        WriteOptions.DEFAULTS).write(rows);
    assertEquals(1, files.size());
    return FileStatsJson.parse(files.get(0).stats(), "test");
  }

  private static Object value(Object[] row, String path) {
    Object value = row;
    for (String step : path.split("\\.")) {
      if (value == null) {
        return null;
      }
      value = ((Object[]) value)[indexIn(path, step)];
    }
    return value;
  }

  private static int indexIn(String path, String step) {
    return switch (step) {
      case "a" -> 0;
      case "inner" -> 1;
      case "b" -> 0;
      default -> SCHEMA.fieldNames().indexOf(step);
    };
  }

  private static <T> List<T> values(List<Object[]> rows, String path, Class<T> type) {
    return rows.stream().map(r -> value(r, path)).filter(Objects::nonNull).map(type::cast).toList();
  }

  private static long nulls(List<Object[]> rows, String path) {
    return rows.stream().filter(r -> value(r, path) == null).count();
  }

  private static <T extends Comparable<? super T>> void assertBounds(FileStats stats, List<Object[]> rows,
      String path, Class<T> type, Function<JsonNode, T> parse) {
    List<T> values = values(rows, path, type);
    String[] keys = path.split("\\.");
    assertEquals(values.stream().min(Comparator.naturalOrder()).orElseThrow(),
        parse.apply(stats.minValue(keys).orElseThrow()), "min of " + path);
    assertEquals(values.stream().max(Comparator.naturalOrder()).orElseThrow(),
        parse.apply(stats.maxValue(keys).orElseThrow()), "max of " + path);
  }

  @Test
  void statisticsMatchTheRowsWritten() {
    List<Object[]> rows = rows(42, 500);
    FileStats stats = writeOneFile(TestTables.metadata(SCHEMA, List.of("part")), rows);

    assertEquals(500L, stats.numRecords().orElseThrow());
    for (String column : List.of("id", "score", "name", "day", "ts", "ntz", "price", "flag", "bin",
        "nested.a", "nested.inner.b", "tags", "m")) {
      assertEquals(nulls(rows, column), stats.nullCount(column.split("\\.")).orElseThrow(),
          "null count of " + column);
    }
    assertTrue(stats.nullCount("part").isEmpty(), "partition columns are not in the file");
    assertBounds(stats, rows, "id", Long.class, JsonNode::longValue);
    assertBounds(stats, rows, "score", Double.class, JsonNode::doubleValue);
    assertBounds(stats, rows, "day", LocalDate.class, n -> LocalDate.parse(n.asText()));
    assertBounds(stats, rows, "price", BigDecimal.class, JsonNode::decimalValue);
    assertBounds(stats, rows, "nested.a", Integer.class, JsonNode::intValue);
    assertBounds(stats, rows, "nested.inner.b", String.class, JsonNode::asText);
    // timestamps: truncated to milliseconds, ISO-8601 in UTC
    Instant minTs = values(rows, "ts", Instant.class).stream().min(Comparator.naturalOrder())
        .orElseThrow().truncatedTo(ChronoUnit.MILLIS);
    Instant maxTs = values(rows, "ts", Instant.class).stream().max(Comparator.naturalOrder())
        .orElseThrow().truncatedTo(ChronoUnit.MILLIS);
    assertEquals(minTs, Instant.parse(stats.minValue("ts").orElseThrow().asText()));
    assertEquals(maxTs, Instant.parse(stats.maxValue("ts").orElseThrow().asText()));
    assertTrue(stats.minValue("ts").orElseThrow().asText().matches(
        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), stats.minValue("ts").toString());
    LocalDateTime maxNtz = values(rows, "ntz", LocalDateTime.class).stream()
        .max(Comparator.naturalOrder()).orElseThrow().truncatedTo(ChronoUnit.MILLIS);
    assertEquals(maxNtz, LocalDateTime.parse(stats.maxValue("ntz").orElseThrow().asText()));
    // strings: a 32-character prefix; the maximum keeps being an upper bound
    String minName = values(rows, "name", String.class).stream().min(Comparator.naturalOrder())
        .orElseThrow();
    String maxName = values(rows, "name", String.class).stream().max(Comparator.naturalOrder())
        .orElseThrow();
    assertEquals(minName.length() > 32 ? minName.substring(0, 32) : minName,
        stats.minValue("name").orElseThrow().asText());
    String expectedMax = maxName.length() <= 32 ? maxName
        : maxName.substring(0, 32) + (maxName.charAt(32) < 0x7F ? "\u007F" : "\uDBFF\uDFFF");
    assertEquals(expectedMax, stats.maxValue("name").orElseThrow().asText());
    // no bounds for booleans, binary, arrays and maps
    for (String column : List.of("flag", "bin", "tags", "m")) {
      assertTrue(stats.minValue(column).isEmpty() && stats.maxValue(column).isEmpty(), column);
    }
  }

  @Test
  void statisticsUsePhysicalNamesWithColumnMapping() {
    StructType schema = TestTables.withColumnMapping(SCHEMA);
    Metadata metadata = TestTables.metadata(schema, List.of("part"),
        Map.of(ColumnMappingMode.PROPERTY, "name"));
    FileStats stats = writeOneFile(metadata, rows(1, 50));
    String id = schema.field("id").orElseThrow().physicalName();
    StructType nested = (StructType) schema.field("nested").orElseThrow().type();
    String nestedName = schema.field("nested").orElseThrow().physicalName();
    String a = nested.field("a").orElseThrow().physicalName();
    assertTrue(stats.minValue(id).isPresent(), stats.toString());
    assertTrue(stats.nullCount(nestedName, a).isPresent(), stats.toString());
    assertTrue(stats.minValue("id").isEmpty(), stats.toString());
  }

  @Test
  void onlyTheFirstIndexedLeafColumnsHaveStatistics() {
    Metadata metadata = TestTables.metadata(SCHEMA, List.of("part"),
        Map.of(DataFileWriter.NUM_INDEXED_COLS, "11"));
    FileStats stats = writeOneFile(metadata, rows(2, 50));
    assertTrue(stats.nullCount("nested", "a").isPresent(), "leaf 10");
    assertTrue(stats.nullCount("nested", "inner", "b").isPresent(), "leaf 11");
    assertTrue(stats.nullCount("tags").isEmpty(), "leaf 12");
    assertTrue(stats.nullCount("m").isEmpty(), "leaf 13");
  }

  @Test
  void nanAndInfinityLeaveOutFloatingBounds() {
    StructType schema = struct(field("x", PrimitiveType.DOUBLE), field("y", PrimitiveType.FLOAT));
    FileStats stats = writeOneFile(TestTables.metadata(schema, List.of()), List.of(
        new Object[] {1.0, 1.0f}, new Object[] {Double.NaN, Float.POSITIVE_INFINITY},
        new Object[] {null, -0.5f}));
    assertFalse(stats.minValue("x").isPresent());
    assertFalse(stats.maxValue("y").isPresent());
    assertEquals(1L, stats.nullCount("x").orElseThrow());
    assertEquals(0L, stats.nullCount("y").orElseThrow());
  }

  @Test
  void stringBoundsAreShortenedAsDeltaDoes() {
    assertEquals("abc", StatsStrings.truncateMax("abc", 3));
    assertEquals("abc\u007F", StatsStrings.truncateMax("abcd", 3));
    assertEquals("abc\uDBFF\uDFFF", StatsStrings.truncateMax("abc\u00e9", 3));
    assertEquals("abc\uDBFF\uDFFF\u007F",
        StatsStrings.truncateMax("abc\uDBFF\uDFFFzzz", 3));
    assertNull(StatsStrings.truncateMax("a" + "\uDBFF\uDFFF".repeat(5), 1));
    assertEquals("ab\uD83C\uDF89", StatsStrings.truncateMin("ab\uD83C\uDF89cd", 3));
    assertEquals("abc", StatsStrings.truncateMin("abcdef", 3));
    for (String s : List.of("zzzz\u00ff", "a\u007F\u007Fb", "\uD83C\uDF89\uD83C\uDF89x")) {
      String max = StatsStrings.truncateMax(s, 2);
      assertTrue(max == null || ValueOrder.compareStrings(s, max) <= 0, s + " <= " + max);
      assertTrue(ValueOrder.compareStrings(StatsStrings.truncateMin(s, 2), s) <= 0, s);
    }
  }
}
