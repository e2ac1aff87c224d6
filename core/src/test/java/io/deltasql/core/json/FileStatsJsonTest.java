package io.deltasql.core.json;

import static io.deltasql.core.json.SharedLogParsingTest.assertCorrupt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.errors.DeltaException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code stats} string of a data file. */
class FileStatsJsonTest {
  private static final String SOURCE = "add part-0.parquet of t/_delta_log/00000000000000000001.json";

  /**
   * Every stats string parses and survives a write; those written compactly (all but a few
   * pretty-printed ones) come back byte for byte.
   */
  @Test
  void everySharedStatsStringParsesAndComesBackUnchanged() {
    List<String> all = SharedLogFiles.statsStrings();
    int compact = 0;
    for (String stats : all) {
      FileStats parsed = FileStatsJson.parse(stats, SOURCE);
      assertEquals(parsed, FileStatsJson.parse(FileStatsJson.write(parsed), SOURCE));
      if (SharedLogFiles.plainTree(stats).toString().equals(stats)) {
        assertEquals(stats, FileStatsJson.write(parsed));
        compact++;
      }
    }
    assertTrue(compact > 300, "compact stats strings: " + compact + " of " + all.size());
  }

  @Test
  void columnStatisticsAreReachedByPhysicalPath() {
    FileStats stats = FileStatsJson.parse("{\"numRecords\":3,"
        + "\"minValues\":{\"id\":1,\"s\":{\"col-5f\":\"a\"},\"n\":null},"
        + "\"maxValues\":{\"id\":9,\"s\":{\"col-5f\":\"z\"}},"
        + "\"nullCount\":{\"id\":0,\"s\":{\"col-5f\":2}},\"tightBounds\":false}", SOURCE);
    assertEquals(Optional.of(3L), stats.numRecords());
    assertEquals(1, stats.minValue("id").orElseThrow().intValue());
    assertEquals("z", stats.maxValue("s", "col-5f").orElseThrow().textValue());
    assertEquals(Optional.of(2L), stats.nullCount("s", "col-5f"));
    assertEquals(Optional.empty(), stats.minValue("s"), "a struct is not a value");
    assertEquals(Optional.empty(), stats.minValue("n"), "null carries no information");
    assertEquals(Optional.empty(), stats.minValue("missing"));
    assertFalse(stats.hasTightBounds());
  }

  @Test
  void absentOrPartialStatsAreEmptyParts() {
    assertEquals(FileStats.EMPTY, FileStatsJson.parse(Optional.empty(), SOURCE));
    assertEquals(FileStats.EMPTY, FileStatsJson.parse("", SOURCE));
    assertEquals(FileStats.EMPTY, FileStatsJson.parse("{}", SOURCE));
    FileStats onlyCount = FileStatsJson.parse("{\"numRecords\":7,\"futureStat\":[1]}", SOURCE);
    assertEquals(Optional.of(7L), onlyCount.numRecords());
    assertTrue(onlyCount.minValues().isEmpty());
    assertTrue(onlyCount.hasTightBounds(), "absent tightBounds means tight");
    assertEquals("{\"numRecords\":7}", FileStatsJson.write(onlyCount));
    assertEquals("{}", FileStatsJson.write(FileStats.EMPTY));
  }

  @Test
  void decimalsKeepEveryDigitAndTheirScale() {
    String stats = "{\"numRecords\":2,\"minValues\":{\"d\":-12345678901234567890.123456789012345678,"
        + "\"e\":1.50,\"f\":1E+3},\"maxValues\":{\"d\":99999999999999999999.999999999999999999}}";
    FileStats parsed = FileStatsJson.parse(stats, SOURCE);
    assertEquals(new BigDecimal("-12345678901234567890.123456789012345678"),
        parsed.minValue("d").orElseThrow().decimalValue());
    assertEquals(new BigDecimal("1.50"), parsed.minValue("e").orElseThrow().decimalValue());
    assertEquals(stats, FileStatsJson.write(parsed));
  }

  @Test
  void ofCopiesItsObjects() {
    ObjectNode min = JsonSupport.mapper().createObjectNode().put("a", 1);
    FileStats stats = FileStats.of(Optional.of(1L), min, min, min, Optional.of(true));
    min.put("a", 2);
    assertEquals(1, stats.minValue("a").orElseThrow().intValue());
    JsonNode exposed = stats.minValues();
    assertNotSame(min, exposed);
    assertEquals(stats, FileStatsJson.parse(FileStatsJson.write(stats), SOURCE));
  }

  static Stream<Arguments> corruptStats() {
    return Stream.of(
        Arguments.of("{\"numRecords\":\"ten\"}", List.of("'numRecords'", "\"ten\"")),
        Arguments.of("{\"minValues\":[1]}", List.of("'minValues'")),
        Arguments.of("{\"tightBounds\":1}", List.of("'tightBounds'")),
        Arguments.of("{\"numRecords\":1", List.of("not valid JSON")),
        Arguments.of("[]", List.of("JSON object")));
  }

  @ParameterizedTest
  @MethodSource("corruptStats")
  void corruptStatsAreDataCorruptedErrors(String stats, List<String> mentions) {
    DeltaException e = assertThrows(DeltaException.class, () -> FileStatsJson.parse(stats, SOURCE));
    assertCorrupt(e, SOURCE);
    assertCorrupt(e, mentions.toArray(String[]::new));
  }
}
