package io.deltasql.core.catalog;

import static io.deltasql.core.catalog.CatalogTest.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.SqlState;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CatalogConfigTest {
  @Test
  void neverShowsPasswords() {
    CatalogConfig config = CatalogConfig.of("jdbc:postgresql://db:5432/c?user=u&password=s3cret&ssl=true")
        .withCredentials("u", "other-secret");
    assertEquals("jdbc:postgresql://db:5432/c?user=u&password=***&ssl=true", config.redactedUrl());
    assertFalse(config.toString().contains("s3cret"));
    assertFalse(config.toString().contains("other-secret"));
    assertEquals("failed for *** at jdbc:postgresql://db:5432/c?user=u&password=***&ssl=true",
        config.redact("failed for other-secret at " + config.jdbcUrl()));
    assertEquals("jdbc:h2:file:/x;USER=sa;PASSWORD=***", CatalogConfig.of("jdbc:h2:file:/x;USER=sa;PASSWORD=pw").redactedUrl());
  }

  @Test
  void theDefaultCatalogIsAnH2FileInTheWarehouse() {
    String url = CatalogConfig.embedded(Path.of("/data/lake")).jdbcUrl();
    assertTrue(url.startsWith("jdbc:h2:file:"), url);
    assertTrue(url.endsWith("/data/lake/_catalog/catalog"), url);
  }

  @Test
  void refusesNonsense() {
    CatalogConfig config = CatalogConfig.of("jdbc:h2:mem:x");
    assertFails(SqlState.INVALID_PARAMETER_VALUE, () -> config.withPoolSize(0), "poolSize");
    assertFails(SqlState.INVALID_PARAMETER_VALUE, () -> config.withBatchSize(0), "batchSize");
    assertFails(SqlState.INVALID_PARAMETER_VALUE, () -> config.withConnectTimeout(Duration.ZERO), "connectTimeout");
  }
}
