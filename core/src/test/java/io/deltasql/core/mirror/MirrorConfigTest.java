package io.deltasql.core.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The mirror's configuration, backoff, retry classification and checkpoint interval parsing. */
class MirrorConfigTest {
  @Test
  void defaultsAreValidAndRunInTheBackground() {
    MirrorConfig config = MirrorConfig.DEFAULTS;
    assertEquals(5, config.attempts());
    assertEquals(10, config.checkpointInterval());
    assertEquals(1_000, config.maxUnmirroredVersions());
    assertTrue(config.background());
    assertFalse(config.withReconcilePeriod(Duration.ZERO).background());
    assertEquals(Duration.ofSeconds(1), config.checkpointSpacing());
    assertEquals(100, config.checkpointSpacingFiles());
  }

  @Test
  void refusesEverySettingOutOfRangeByName() {
    MirrorConfig d = MirrorConfig.DEFAULTS;
    assertRefused("attempts", () -> d.withAttempts(0));
    assertRefused("initialBackoff", () -> d.withBackoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertRefused("maxBackoff", () -> d.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertRefused("reconcilePeriod", () -> d.withReconcilePeriod(Duration.ofMillis(-1)));
    assertRefused("checkpointInterval", () -> d.withCheckpointInterval(0));
    assertRefused("maxUnmirroredVersions", () -> d.withMaxUnmirroredVersions(0));
    assertRefused("systemicFailureThreshold", () -> d.withSystemicFailure(0, Duration.ofSeconds(1)));
    assertRefused("coolDown", () -> d.withSystemicFailure(3, Duration.ZERO));
    assertRefused("checkpointSpacing", () -> d.withCheckpointSpacing(Duration.ofMillis(-1), 0));
    assertRefused("checkpointSpacingFiles", () -> d.withCheckpointSpacing(Duration.ZERO, -1));
  }

  private static void assertRefused(String setting, Supplier<MirrorConfig> change) {
    DeltaException e = assertThrows(DeltaException.class, change::get);
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
    assertTrue(e.getMessage().contains("'" + setting + "'"), e.getMessage());
  }

  @Test
  void backoffGrowsExponentiallyUpToItsCeilingWithJitter() {
    MirrorConfig config = MirrorConfig.DEFAULTS.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
    StorageRetry retry = new StorageRetry(config, new MirrorMetrics(new SimpleMeterRegistry(), () -> false));
    for (int i = 0; i < 50; i++) {
      assertBetween(5, 10, retry.delay(1));
      assertBetween(10, 20, retry.delay(2));
      assertBetween(20, 40, retry.delay(3));
      assertBetween(50, 100, retry.delay(5));
      assertBetween(50, 100, retry.delay(40));
    }
  }

  private static void assertBetween(long min, long max, Duration delay) {
    assertTrue(delay.toMillis() >= min && delay.toMillis() <= max, delay + " not in [" + min + ", " + max + "]");
  }

  @Test
  void retriesOnlyTransientFailures() {
    StorageRetry retry = new StorageRetry(MirrorConfig.DEFAULTS.withBackoff(Duration.ofMillis(1), Duration.ofMillis(1)),
        new MirrorMetrics(new SimpleMeterRegistry(), () -> false));
    int[] calls = {0};
    assertEquals("ok", retry.call("flaky", 3, () -> {
      if (++calls[0] < 3) {
        throw new DeltaException(SqlState.IO_ERROR, "flaky");
      }
      return "ok";
    }));
    assertEquals(3, calls[0]);

    calls[0] = 0;
    assertThrows(DeltaException.class, () -> retry.call("down", 3, () -> {
      calls[0]++;
      throw new DeltaException(SqlState.IO_ERROR, "down");
    }));
    assertEquals(3, calls[0], "every try used");

    calls[0] = 0;
    assertThrows(IllegalArgumentException.class, () -> retry.call("bug", 3, () -> {
      calls[0]++;
      throw new IllegalArgumentException("bug");
    }));
    assertEquals(1, calls[0], "not retried");

    assertTrue(StorageRetry.isTransient(new UncheckedIOException(new IOException("reset"))));
    assertFalse(StorageRetry.isTransient(new DeltaException(SqlState.DATA_CORRUPTED, "corrupt")));
  }

  @Test
  void checkpointIntervalComesFromTheTableElseTheDefault() {
    assertEquals(7, VersionToMirror.checkpointInterval(metadata(Map.of("delta.checkpointInterval", "7")), 10));
    assertEquals(10, VersionToMirror.checkpointInterval(metadata(Map.of()), 10));
    assertEquals(10, VersionToMirror.checkpointInterval(metadata(Map.of("delta.checkpointInterval", "0")), 10));
    assertEquals(10, VersionToMirror.checkpointInterval(metadata(Map.of("delta.checkpointInterval", "ten")), 10));
  }

  private static Metadata metadata(Map<String, String> configuration) {
    return new Metadata("id", Optional.empty(), Optional.empty(), Format.PARQUET, TestTable.SCHEMA, List.of(),
        configuration, Optional.empty());
  }
}
