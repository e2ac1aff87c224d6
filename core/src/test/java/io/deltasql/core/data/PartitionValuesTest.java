package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Partition values as the protocol and real writers spell them. */
class PartitionValuesTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2024-01-02 12:30:00|2024-01-02T12:30:00Z",
      "2020-01-01 08:09:10.001|2020-01-01T08:09:10.001Z",
      "1970-01-01 00:00:00.123456|1970-01-01T00:00:00.123456Z",
      "2024-01-01T10:00:00.000000Z|2024-01-01T10:00:00Z",
      "2024-01-01T10:00:00+02:00|2024-01-01T08:00:00Z",
      "2024-01-01T10:00:00.5-0130|2024-01-01T11:30:00.500Z",
      "1969-01-01 00:00:00|1969-01-01T00:00:00Z",
      "2024-01-01 10:00:00.1234567|2024-01-01T10:00:00.123456Z"})
  void timestampsInEverySpelling(String text, String instant) {
    assertEquals(Instant.parse(instant), PartitionValues.parse(PrimitiveType.TIMESTAMP, text));
  }

  @Test
  void everyPrimitiveType() {
    assertEquals(5L, PartitionValues.parse(PrimitiveType.LONG, "5"));
    assertEquals(-5, PartitionValues.parse(PrimitiveType.INTEGER, "-5"));
    assertEquals((short) 7, PartitionValues.parse(PrimitiveType.SHORT, "7"));
    assertEquals((byte) 1, PartitionValues.parse(PrimitiveType.BYTE, "1"));
    assertEquals(1.5f, PartitionValues.parse(PrimitiveType.FLOAT, "1.5"));
    assertEquals(Double.NaN, PartitionValues.parse(PrimitiveType.DOUBLE, "NaN"));
    assertEquals(true, PartitionValues.parse(PrimitiveType.BOOLEAN, "TRUE"));
    assertEquals("null", PartitionValues.parse(PrimitiveType.STRING, "null"));
    assertEquals(LocalDate.of(2021, 9, 8), PartitionValues.parse(PrimitiveType.DATE, "2021-09-08"));
    assertEquals(LocalDateTime.of(2013, 7, 5, 17, 1, 0, 123_456_000),
        PartitionValues.parse(PrimitiveType.TIMESTAMP_NTZ, "2013-07-05 17:01:00.123456"));
    assertEquals(new BigDecimal("0.00004"),
        PartitionValues.parse(new DecimalType(12, 5), "0.00004"));
    assertEquals(new BigDecimal("234.00000"), PartitionValues.parse(new DecimalType(12, 5), "234"));
    assertArrayEquals(new byte[] {1, 2, (byte) 0xFF},
        (byte[]) PartitionValues.parse(PrimitiveType.BINARY, "\u0001\u0002\u00ff"));
    assertNull(PartitionValues.parse(PrimitiveType.INTEGER, ""));
    assertNull(PartitionValues.parse(PrimitiveType.STRING, null));
  }

  @Test
  void badValuesAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> PartitionValues.parse(PrimitiveType.INTEGER, "x"));
    assertThrows(IllegalArgumentException.class,
        () -> PartitionValues.parse(PrimitiveType.BOOLEAN, "yes"));
    assertThrows(IllegalArgumentException.class,
        () -> PartitionValues.parse(PrimitiveType.TIMESTAMP, "2024-13-01 00:00:00"));
    assertThrows(ArithmeticException.class,
        () -> PartitionValues.parse(new DecimalType(3, 1), "1.25"));
  }

  @Test
  void serializedAsTheProtocolSays() {
    assertEquals("2024-03-04 05:06:07.123456", PartitionValues.serialize(PrimitiveType.TIMESTAMP,
        Instant.parse("2024-03-04T05:06:07.123456Z")));
    assertEquals("2024-03-04 05:06:07", PartitionValues.serialize(PrimitiveType.TIMESTAMP,
        Instant.parse("2024-03-04T05:06:07Z")));
    assertEquals("1960-01-01 00:00:00.000001", PartitionValues.serialize(
        PrimitiveType.TIMESTAMP_NTZ, LocalDateTime.of(1960, 1, 1, 0, 0, 0, 1000)));
    assertEquals("0.00004", PartitionValues.serialize(new DecimalType(12, 5),
        new BigDecimal("0.00004")));
    assertEquals("1.0E10", PartitionValues.serialize(PrimitiveType.DOUBLE, 1e10));
    assertEquals("2021-09-08", PartitionValues.serialize(PrimitiveType.DATE,
        LocalDate.of(2021, 9, 8)));
    assertNull(PartitionValues.serialize(PrimitiveType.STRING, null));
  }

  @Test
  void folderNamesEscapeLikeHive() {
    assertEquals("a=b%3Dc%2Fd%25e f", PartitionPaths.segment("a", "b=c/d%e f"));
    assertEquals("ts=2024-01-02 12%3A30%3A00", PartitionPaths.segment("ts", "2024-01-02 12:30:00"));
    assertEquals("k=__HIVE_DEFAULT_PARTITION__", PartitionPaths.segment("k", null));
    assertEquals("k=%01%7F%22%23%27%2A%3F%5C%7B%5B%5D%5E", PartitionPaths.segment("k",
        "\u0001\u007F\"#'*?\\{[]^"));
    assertEquals("ts=2024-01-02%2012%253A30/f.parquet",
        PartitionPaths.toUriPath("ts=2024-01-02 12%3A30/f.parquet"));
  }
}
