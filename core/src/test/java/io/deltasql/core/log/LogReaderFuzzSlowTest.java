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
      LogReaderFuzzProperties.mutations().map(List::of)
          .sampleStream().limit(tries / 2)
          .forEach(m -> check(m, catalog, work, failures));
      LogReaderFuzzProperties.combined().sampleStream().limit(tries / 2)
          .forEach(m -> check(m, catalog, work, failures));
    } finally {
      LogFuzzing.deleteTree(work);
    }
    if (!failures.isEmpty()) {
      failures.forEach(System.err::println);
      throw new AssertionError(failures.size() + " of " + tries + " mutations failed; corpus lines:\n"
          + String.join("\n", failures));
    }
  }

  private static void check(List<LogMutation> mutations, CatalogStore catalog, Path work, List<String> failures) {
    try {
      LogFuzzing.check(mutations, catalog, work);
    } catch (Throwable t) {
      failures.add(LogMutation.format(mutations) + "    # " + String.valueOf(t.getMessage()).lines().findFirst()
          .orElse(""));
    }
  }
}
