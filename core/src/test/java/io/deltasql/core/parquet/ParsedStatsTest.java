package io.deltasql.core.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.storage.LocalStorage;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint with only typed {@code stats_parsed} (as Spark writes with
 * {@code delta.checkpoint.writeStatsAsJson=false}): the reader rebuilds the JSON stats.
 */
class ParsedStatsTest {
  private static final String SCHEMA = """
      message checkpoint {
        optional group add {
          optional binary path (STRING);
          optional int64 size;
          optional int64 modificationTime;
          optional binary stats (STRING);
          optional group stats_parsed {
            optional int64 numRecords;
            optional group minValues {
              optional int32 i;
              optional int32 d (DATE);
              optional int64 ts (TIMESTAMP(MICROS,true));
              optional int64 ntz (TIMESTAMP(MICROS,false));
              optional int32 dec1 (DECIMAL(5,2));
              optional int64 dec2 (DECIMAL(15,3));
              optional fixed_len_byte_array(16) dec3 (DECIMAL(38,4));
              optional binary s (STRING);
              optional double x;
              optional float f;
              optional boolean b;
              optional binary raw;
              optional int96 legacy;
              optional int32 absent;
              optional group nested {
                optional int64 n;
              }
            }
            optional group nullCount {
              optional int64 i;
              optional group nested {
                optional int64 n;
              }
            }
            optional boolean tightBounds;
          }
        }
      }
      """;

  @TempDir
  Path dir;

  @Test
  void typedStatsBecomeDeltaJsonStats() {
    String path = dir.resolve("stats.checkpoint.parquet").toString();
    ParquetFixtures.write(LocalStorage.INSTANCE, path, SCHEMA,
        row -> {
          Group add = file(row, "typed");
          Group parsed = add.addGroup("stats_parsed").append("numRecords", 5L);
          Group min = parsed.addGroup("minValues")
              .append("i", 1)
              .append("d", 18628)
              .append("ts", 1_609_459_200_123_456L)
              .append("ntz", 1_609_459_200_123_456L)
              .append("dec1", 12345)
              .append("dec2", -1_234_567L)
              .append("dec3", Binary.fromConstantByteArray(fixed16(new BigInteger("123456789012345678"))))
              .append("s", "abc")
              .append("x", 1.5)
              .append("f", 2.5f)
              .append("b", true)
              .append("raw", Binary.fromString("bytes"))
              .append("legacy", Binary.fromConstantByteArray(int96(3_600_000_000_000L, 2_459_216)));
          min.addGroup("nested").append("n", 7L);
          Group nulls = parsed.addGroup("nullCount").append("i", 0L);
          nulls.addGroup("nested").append("n", 1L);
          parsed.append("tightBounds", true);
        },
        row -> file(row, "json").append("stats", "{\"numRecords\":1}")
            .addGroup("stats_parsed").append("numRecords", 99L),
        row -> file(row, "none"));

    List<AddFile> adds = read(path);
    assertEquals("{\"numRecords\":5,\"minValues\":{\"i\":1,\"d\":\"2021-01-01\","
            + "\"ts\":\"2021-01-01T00:00:00.123Z\",\"ntz\":\"2021-01-01T00:00:00.123\","
            + "\"dec1\":123.45,\"dec2\":-1234.567,\"dec3\":12345678901234.5678,\"s\":\"abc\","
            + "\"x\":1.5,\"f\":2.5,\"b\":true,\"legacy\":\"2021-01-01T01:00:00.000Z\","
            + "\"nested\":{\"n\":7}},\"nullCount\":{\"i\":0,\"nested\":{\"n\":1}},\"tightBounds\":true}",
        adds.get(0).stats().orElseThrow());
    assertEquals(Optional.of("{\"numRecords\":1}"), adds.get(1).stats(), "JSON stats win");
    assertEquals(Optional.empty(), adds.get(2).stats());
  }

  private static Group file(Group row, String path) {
    return row.addGroup("add").append("path", path).append("size", 1L).append("modificationTime", 2L);
  }

  private static List<AddFile> read(String path) {
    try (Stream<Action> actions = new CheckpointReader(LocalStorage.INSTANCE).read(path)) {
      return actions.map(AddFile.class::cast).toList();
    }
  }

  private static byte[] fixed16(BigInteger unscaled) {
    byte[] value = unscaled.toByteArray();
    byte[] result = new byte[16];
    Arrays.fill(result, 0, 16 - value.length, (byte) (unscaled.signum() < 0 ? -1 : 0));
    System.arraycopy(value, 0, result, 16 - value.length, value.length);
    return result;
  }

  private static byte[] int96(long nanosOfDay, int julianDay) {
    return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(nanosOfDay).putInt(julianDay).array();
  }
}
