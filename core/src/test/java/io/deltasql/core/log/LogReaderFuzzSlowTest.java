package io.deltasql.core.log;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long fuzz run of the log reader ({@code -Ddeltasql.slow=true}, count
 * {@code -Ddeltasql.fuzz.tries=N}, default 3000): no shrinking, but every failing mutation
 * is collected and printed as a corpus line.
 */
class LogReaderFuzzSlowTest {
  @Test
  @EnabledIfSystemProperty(named = "deltasql.slow", matches = "true")
  void manyDamagedLogs() throws Exception {
    long tries = Long.getLong("deltasql.fuzz.tries", 3000);
    List<String> failures = new ArrayList<>();
    Path work = Files.createTempDirectory("deltasql-logfuzz-slow-");
    try (CatalogFixture fixture = CatalogBackend.H2.fresh("logfuzzslow")) {
      CatalogStore catalog = fixture.store();
      LogReaderFuzzProperties.mutations().sampleStream().limit(tries).forEach(m -> {
        try {
          LogFuzzing.check(m, catalog, work);
        } catch (Throwable t) {
          failures.add(m + "    # " + t.getMessage().lines().findFirst().orElse(""));
        }
      });
    } finally {
      LogFuzzing.deleteTree(work);
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(failures.size() + " of " + tries + " mutations failed; corpus lines:\n"
          + String.join("\n", failures));
    }
  }
}
