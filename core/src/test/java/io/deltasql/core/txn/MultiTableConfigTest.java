package io.deltasql.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class MultiTableConfigTest {

  private static Properties props(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  private static DeltaException refused(Properties p) {
    DeltaException e = assertThrows(DeltaException.class, () -> MultiTableConfig.fromProperties(p));
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
    return e;
  }

  @Test
  void defaultsAreTheEnumsDefaults() {
    MultiTableConfig d = MultiTableConfig.defaults();
    for (MultiTableProperty p : MultiTableProperty.values()) {
      assertEquals(p.defaultValue(), p.format(d.get(p)), p.key());
      assertEquals(p.parse(p.defaultValue()), d.get(p), p.key());
    }
    assertEquals(100, d.maxTables());
    assertEquals(Duration.ofHours(1), d.maxAge());
    assertEquals(Duration.ofSeconds(30), d.lockTimeout());
    assertEquals(10, d.checkpointInterval());
    assertTrue(d.metricsEnabled());
    assertEquals(d, MultiTableConfig.fromProperties(new Properties()));
  }

  @Test
  void keysAreUniqueAndCoverEveryCategory() {
    Set<String> keys = new HashSet<>(MultiTableProperty.keys());
    assertEquals(MultiTableProperty.values().length, keys.size());
    Set<MultiTableProperty.Category> categories = new HashSet<>();
    for (MultiTableProperty p : MultiTableProperty.values()) {
      categories.add(p.category());
      assertEquals(p, MultiTableProperty.fromKey(p.key()).orElseThrow());
    }
    assertEquals(Set.of(MultiTableProperty.Category.values()), categories);
  }

  @Test
  void propertiesSetEveryKindOfValue() {
    MultiTableConfig c = MultiTableConfig.fromProperties(props(
        "maxTables", "7", "maxActions", "123456789012", "maxAgeSeconds", "60", "lockTimeoutMs", "0",
        "retryBackoffMultiplier", "1.5", "metricsEnabled", "FALSE", "checkpointInterval", " 20 "));
    assertEquals(7, c.maxTables());
    assertEquals(123456789012L, c.maxActions());
    assertEquals(Duration.ofMinutes(1), c.maxAge());
    assertEquals(Duration.ZERO, c.lockTimeout());
    assertEquals(1.5, c.backoffMultiplier());
    assertFalse(c.metricsEnabled());
    assertEquals(20, c.checkpointInterval());
    assertEquals(MultiTableConfig.defaults().batchSize(), c.batchSize());
  }

  @Test
  void toPropertiesRoundTrips() {
    MultiTableConfig c = MultiTableConfig.builder().maxTables(3).backoffMultiplier(3.25)
        .slowCommitThreshold(Duration.ofMillis(250)).metricsEnabled(false).build();
    assertEquals(c, MultiTableConfig.fromProperties(c.toProperties()));
    assertEquals(c, c.toBuilder().build());
  }

  @Test
  void unknownKeysAreRefusedWithAHint() {
    DeltaException e = refused(props("maxTable", "5"));
    assertTrue(e.getMessage().contains("'maxTable'"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'maxTables'"), e.getMessage());
    DeltaException far = refused(props("colour", "blue"));
    assertFalse(far.getMessage().contains("did you mean"), far.getMessage());
    assertTrue(far.getMessage().contains("lockTimeoutMs"), "lists the known keys: " + far.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
      "maxTables, ten",
      "maxTables, 1.5",
      "maxTables, 99999999999",
      "maxActions, ''",
      "lockTimeoutMs, 30s",
      "retryBackoffMultiplier, fast",
      "metricsEnabled, yes"
  })
  void nonNumericAndMalformedValuesNameTheKeyAndValue(String key, String value) {
    DeltaException e = refused(props(key, value));
    assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
      "maxTables, 0",
      "maxTables, -1",
      "batchSize, -100",
      "maxActionsPerTable, 0",
      "maxAgeSeconds, 0",
      "lockTimeoutMs, -1",
      "maxCommitRetries, -1",
      "retryBackoffMultiplier, 0.5",
      "retryBackoffMultiplier, NaN",
      "retryBackoffMultiplier, Infinity",
      "mirrorMaxUnmirroredVersions, 0",
      "checkpointInterval, 0"
  })
  void valuesOutOfBoundsAreRefused(String key, String value) {
    DeltaException e = refused(props(key, value));
    assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
  }

  @Test
  void backoffMaxMayNotBeShorterThanInitial() {
    DeltaException e = refused(props("retryBackoffInitialMs", "1000", "retryBackoffMaxMs", "10"));
    assertTrue(e.getMessage().contains("retryBackoffMaxMs") && e.getMessage().contains("retryBackoffInitialMs"),
        e.getMessage());
  }

  @Test
  void theBuilderChecksAsPropertiesDo() {
    DeltaException e = assertThrows(DeltaException.class, () -> MultiTableConfig.builder().maxTables(0).build());
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
    assertTrue(e.getMessage().contains("maxTables"));
    assertThrows(DeltaException.class, () -> MultiTableConfig.builder().maxAge(Duration.ofSeconds(-5)).build());
    assertThrows(DeltaException.class, () -> MultiTableConfig.builder().lockTimeout(null).build());
    assertThrows(DeltaException.class, () -> MultiTableConfig.builder().set(MultiTableProperty.BATCH_SIZE, "0"));
  }

  @Test
  void nonStringKeysAndNullArgumentsAreRefused() {
    Properties p = new Properties();
    p.put(42, "x");
    refused(p);
    assertThrows(DeltaException.class, () -> MultiTableConfig.fromProperties(null));
  }

  @Test
  void aPrefixSelectsTheTransactionSettingsOfConnectionProperties() {
    Properties p = props("warehouse", "/tmp/lake", "txn.maxTables", "9", "catalog", "jdbc:h2:mem:");
    MultiTableConfig c = MultiTableConfig.fromProperties(p, "txn.");
    assertEquals(9, c.maxTables());
    DeltaException e = assertThrows(DeltaException.class,
        () -> MultiTableConfig.fromProperties(props("txn.maxTabels", "9"), "txn."));
    assertTrue(e.getMessage().contains("'txn.maxTabels'"), e.getMessage());
    refused(p);
  }

  @Test
  void backoffGrowsAndIsCapped() {
    MultiTableConfig c = MultiTableConfig.builder().backoffInitial(Duration.ofMillis(100))
        .backoffMax(Duration.ofMillis(1000)).backoffMultiplier(2).build();
    assertEquals(Duration.ofMillis(100), c.backoff(0));
    assertEquals(Duration.ofMillis(200), c.backoff(1));
    assertEquals(Duration.ofMillis(800), c.backoff(3));
    assertEquals(Duration.ofMillis(1000), c.backoff(4));
    assertEquals(Duration.ofMillis(1000), c.backoff(10_000));
  }

  @ParameterizedTest
  @EnumSource(MultiTableProperty.class)
  void everyDefaultParsesAndFormatsBack(MultiTableProperty p) {
    Object value = p.parse(p.defaultValue());
    assertEquals(value, p.parse(p.format(value)));
  }
}
