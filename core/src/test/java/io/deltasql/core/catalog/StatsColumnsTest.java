package io.deltasql.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.catalog.FileImageCodec.CorruptImageException;
import io.deltasql.core.data.ColumnMappingMode;
import io.deltasql.core.data.FileSkipping;
import io.deltasql.core.data.Predicate;
import io.deltasql.core.data.TableLayout;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.json.FileStatsView;
import io.deltasql.core.json.JsonSupport;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The typed statistics of a file image ({@link StatsColumns}): a file read from an image answers
 * every question file skipping asks as its stats JSON parsed does, skipping keeps the same files
 * either way, and it reads them without the JSON.
 */
class StatsColumnsTest {
  /** Offset in a chunk's header of the main section's compressed length, then the stats section's. */

  /** Columns of every type skipping reads, named by their type. */
  private static final List<StructField> FIELDS = List.of(
      field("l", PrimitiveType.LONG), field("i", PrimitiveType.INTEGER), field("sh", PrimitiveType.SHORT),
      field("by", PrimitiveType.BYTE), field("d", PrimitiveType.DOUBLE), field("f", PrimitiveType.FLOAT),
      field("dec", new DecimalType(10, 2)), field("s", PrimitiveType.STRING), field("dt", PrimitiveType.DATE),
      field("ts", PrimitiveType.TIMESTAMP), field("ntz", PrimitiveType.TIMESTAMP_NTZ),
      field("b", PrimitiveType.BOOLEAN), field("p", PrimitiveType.STRING));
  private static final TableLayout LAYOUT = TableLayout.of(new StructType(FIELDS), List.of("p"),
      ColumnMappingMode.NONE, "t");
  /** Column names asked about: the schema's, and one no file has. */
  private static final List<String> NAMES = List.of("l", "i", "sh", "by", "d", "f", "dec", "s", "dt", "ts", "ntz",
      "b", "missing");

  private static StructField field(String name, DataType type) {
    return new StructField(name, type, true, JsonSupport.mapper().createObjectNode());
  }

  /** A JSON value of any kind a foreign writer might put in statistics. */
  private static String randomValue(Random random) {
    return switch (random.nextInt(16)) {
      case 0 -> Integer.toString(random.nextInt(200) - 100);
      case 1 -> Long.toString(random.nextLong());
      case 2 -> "123456789012345678901234567890";
      case 3 -> (random.nextInt(20000) - 10000) / 100 + "." + random.nextInt(100);
      case 4 -> "1234567890123456789012.5";
      case 5 -> "1.5E3";
      case 6 -> "\"" + (char) ('a' + random.nextInt(26)) + "é\u00ff" + random.nextInt(10) + "\"";
      case 7 -> random.nextBoolean() ? "true" : "false";
      case 8 -> "null";
      case 9 -> "{\"x\":1}";
      case 10 -> "\"2026-12-0" + (1 + random.nextInt(9)) + "\"";
      case 11 -> "\"2026-12-03T1" + random.nextInt(10) + ":00:00.000Z\"";
      case 12 -> "\"2026-12-03T1" + random.nextInt(10) + ":00:00.000\"";
      case 13 -> "[1,2]";
      case 14 -> "\"NaN\"";
      default -> Integer.toString(random.nextInt(5));
    };
  }

  private static String randomColumns(Random random, boolean counts) {
    StringBuilder json = new StringBuilder("{");
    for (String name : NAMES) {
      if (name.equals("missing") || random.nextInt(4) == 0) {
        continue;
      }
      if (json.length() > 1) {
        json.append(',');
      }
      String value = counts && random.nextInt(4) != 0 ? Integer.toString(random.nextInt(20)) : randomValue(random);
      json.append('"').append(name).append("\":").append(value);
    }
    return json.append('}').toString();
  }

  /** Stats JSON of every shape: partial, malformed, with values of every kind. */
  private static Optional<String> randomStats(Random random) {
    switch (random.nextInt(20)) {
      case 0:
        return Optional.empty();
      case 1:
        return Optional.of("");
      case 2:
        return Optional.of("{\"numRecords\":");
      case 3:
        return Optional.of("{\"numRecords\":\"ten\"}");
      case 4:
        return Optional.of("{\"minValues\":5}");
      default:
        break;
    }
    List<String> parts = new ArrayList<>();
    if (random.nextInt(5) != 0) {
      parts.add("\"numRecords\":" + random.nextInt(20));
    }
    if (random.nextInt(6) != 0) {
      parts.add("\"minValues\":" + randomColumns(random, false));
    }
    if (random.nextInt(6) != 0) {
      parts.add("\"maxValues\":" + randomColumns(random, false));
    }
    if (random.nextInt(4) != 0) {
      parts.add("\"nullCount\":" + randomColumns(random, true));
    }
    if (random.nextInt(8) == 0) {
      parts.add("\"tightBounds\":false");
    }
    return Optional.of("{" + String.join(",", parts) + "}");
  }

  private static List<AddFile> randomFiles(Random random, int count) {
    List<AddFile> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, String> partition = random.nextInt(3) == 0 ? Map.of() : Map.of("p", "v" + random.nextInt(3));
      files.add(new AddFile("part-" + i + ".parquet", partition, 1, 1, false, randomStats(random), Map.of(),
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }
    return files;
  }

  private static FileStatsView parsed(AddFile file) {
    try {
      return FileStatsJson.parse(file.stats(), file.path());
    } catch (RuntimeException e) {
      return FileStats.EMPTY;
    }
  }

  @Property(tries = 40)
  void typedStatsAnswerAsTheParsedJson(@ForAll long seed) throws CorruptImageException {
    Random random = new Random(seed);
    List<AddFile> files = randomFiles(random, 1 + random.nextInt(2 * FileImageCodec.FILES_PER_CHUNK));
    List<AddFile> decoded = MemoryImage.decoded(files);
    for (int i = 0; i < files.size(); i++) {
      FileStatsView expected = parsed(files.get(i));
      Optional<FileStatsView> typed = decoded.get(i).typedStats();
      assertTrue(typed.isPresent() == files.get(i).stats().isPresent(), "typed stats of " + files.get(i));
      FileStatsView actual = typed.orElse(FileStats.EMPTY);
      String what = files.get(i).stats().orElse("no stats");
      assertEquals(expected.numRecords(), actual.numRecords(), what);
      for (String name : NAMES) {
        assertEquals(expected.nullCount(name), actual.nullCount(name), what + " null count of " + name);
        assertSameNode(expected.minValue(name), actual.minValue(name), what + " min of " + name);
        assertSameNode(expected.maxValue(name), actual.maxValue(name), what + " max of " + name);
      }
    }
  }

  /** The same kind of node with the same value: what skipping reads of it is the same. */
  private static void assertSameNode(Optional<JsonNode> expected, Optional<JsonNode> actual, String what) {
    assertEquals(expected.isPresent(), actual.isPresent(), what);
    if (expected.isEmpty()) {
      return;
    }
    JsonNode e = expected.get();
    JsonNode a = actual.get();
    assertEquals(e.getNodeType(), a.getNodeType(), what);
    assertEquals(e.numberType(), a.numberType(), what);
    assertEquals(e.isIntegralNumber(), a.isIntegralNumber(), what);
    assertEquals(e.canConvertToLong(), a.canConvertToLong(), what);
    assertEquals(e.canConvertToInt(), a.canConvertToInt(), what);
    assertEquals(e.textValue(), a.textValue(), what);
    assertEquals(e.decimalValue(), a.decimalValue(), what);
    assertEquals(e.toString(), a.toString(), what);
  }

  private static Object literal(Random random, DataType type) {
    if (type instanceof DecimalType) {
      return BigDecimal.valueOf(random.nextInt(20000) - 10000, 2);
    }
    return switch ((PrimitiveType) type) {
      case LONG -> (long) random.nextInt(200) - 100;
      case INTEGER -> random.nextInt(200) - 100;
      case SHORT -> (short) (random.nextInt(200) - 100);
      case BYTE -> (byte) (random.nextInt(200) - 100);
      case DOUBLE -> random.nextInt(10) == 0 ? Double.NaN : (random.nextInt(20000) - 10000) / 100.0;
      case FLOAT -> (float) ((random.nextInt(20000) - 10000) / 100.0);
      case STRING -> random.nextBoolean() ? "v" + random.nextInt(3) : (char) ('a' + random.nextInt(26)) + "é";
      case DATE -> LocalDate.of(2026, 12, 1 + random.nextInt(9));
      case TIMESTAMP -> Instant.parse("2026-12-03T1" + random.nextInt(10) + ":00:00Z");
      case TIMESTAMP_NTZ -> LocalDateTime.parse("2026-12-03T1" + random.nextInt(10) + ":00:00");
      case BOOLEAN -> random.nextBoolean();
      default -> throw new IllegalArgumentException(type.toString());
    };
  }

  private static Predicate randomPredicate(Random random, int depth) {
    int choice = random.nextInt(depth > 1 ? 8 : 10);
    if (choice == 8) {
      return new Predicate.And(randomPredicate(random, depth + 1), randomPredicate(random, depth + 1));
    }
    if (choice == 9) {
      return new Predicate.Or(randomPredicate(random, depth + 1), randomPredicate(random, depth + 1));
    }
    StructField field = FIELDS.get(random.nextInt(FIELDS.size()));
    if (choice == 7) {
      return new Predicate.IsNull(List.of(field.name()), random.nextBoolean());
    }
    Predicate.Op op = Predicate.Op.values()[random.nextInt(Predicate.Op.values().length)];
    return new Predicate.Comparison(List.of(field.name()), op, literal(random, field.type()));
  }

  @Property(tries = 40)
  void skippingKeepsTheSameFilesWithTypedStatsAsWithTheJson(@ForAll long seed) throws CorruptImageException {
    Random random = new Random(seed);
    List<AddFile> files = randomFiles(random, 1 + random.nextInt(600));
    List<AddFile> decoded = MemoryImage.decoded(files);
    for (int p = 0; p < 30; p++) {
      Predicate predicate = randomPredicate(random, 0);
      FileSkipping skipping = new FileSkipping(LAYOUT, predicate);
      for (int i = 0; i < files.size(); i++) {
        assertEquals(skipping.mightMatch(files.get(i)), skipping.mightMatch(decoded.get(i)),
            predicate + " on " + files.get(i).stats().orElse("no stats"));
      }
    }
  }

  @Test
  void skippingReadsTypedStatsWithoutTheJson() throws CorruptImageException {
    List<AddFile> files = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      files.add(AddFile.of("f" + i, Map.of(), 1, 1, Optional.of("{\"numRecords\":10,\"minValues\":{\"l\":" + i * 10
          + ",\"s\":\"k" + i + "\"},\"maxValues\":{\"l\":" + (i * 10 + 9) + "},\"nullCount\":{\"l\":0}}")));
    }
    // The chunk's main part as a listing reads it; its stats columns there, its JSON never
    FileImageCodec.Parts parts = FileImageCodec.split(FileImageCodec.encode(files).get(0));
    AddFile[] decoded = new FileImageCodec.Decoder(new FileImageCodec.PartSource() {
      @Override
      public Optional<byte[]> part(FileImageCodec.Part part, int chunk) {
        assertEquals(FileImageCodec.Part.STATS_COLUMNS, part, "only the stats columns are read");
        return Optional.of(parts.statsColumns());
      }

      @Override
      public Map<FileKey, Optional<String>> statsOfRows() {
        throw new AssertionError("no stats JSON is read");
      }

      @Override
      public Optional<String> statsOfRow(FileKey key) {
        throw new AssertionError("no stats JSON is read");
      }
    }).decode(parts.main(), 0);
    FileSkipping skipping = new FileSkipping(LAYOUT, new Predicate.Comparison(List.of("l"), Predicate.Op.EQ, 425L));
    List<String> kept = new ArrayList<>();
    for (AddFile file : decoded) {
      if (skipping.mightMatch(file)) {
        kept.add(file.path());
      }
    }
    assertEquals(List.of("f42"), kept);
    assertEquals(Optional.of(10L), decoded[7].typedStats().orElseThrow().numRecords());
    assertEquals("k7", decoded[7].typedStats().orElseThrow().minValue("s").orElseThrow().textValue());
  }
}
