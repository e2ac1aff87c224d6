package io.deltasql.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.storage.FileStatus;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The names of log files written for a version, and that the listing parses them back. */
class LogFileNamesTest {
  @Test
  void namesAreTwentyDigitsAndParseBackToTheirVersion() {
    Random random = new Random(8);
    LongStream versions = LongStream.concat(LongStream.of(0, 1, 9, 10, 99, 100, 123_456_789, 99_999_999_999L,
        Long.MAX_VALUE), random.longs(1_000, 0, Long.MAX_VALUE));
    versions.forEach(v -> {
      assertEquals(String.format("%020d.json", v), LogFile.commitFileName(v));
      assertEquals(String.format("%020d.checkpoint.parquet", v), LogFile.checkpointFileName(v));
      LogFile commit = LogFile.parse(status(LogFile.commitFileName(v))).orElseThrow();
      assertEquals(LogFile.Kind.COMMIT, commit.kind());
      assertEquals(v, commit.version());
      LogFile checkpoint = LogFile.parse(status(LogFile.checkpointFileName(v))).orElseThrow();
      assertEquals(LogFile.Kind.CLASSIC_CHECKPOINT, checkpoint.kind());
      assertEquals(v, checkpoint.version());
    });
  }

  @Test
  void aNegativeVersionIsFormattedAsBefore() {
    assertEquals(String.format("%020d.json", -1L), LogFile.commitFileName(-1));
  }

  private static FileStatus status(String name) {
    return new FileStatus("/t/_delta_log/" + name, 1, 0);
  }
}
