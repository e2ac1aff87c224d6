package io.deltasql.tck;

import io.deltasql.core.testing.CatalogBackend;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long SQL fuzz run ({@code -Ddeltasql.slow=true}, {@code -Ddeltasql.fuzz.tries=N} scripts,
 * default 3000, on each catalog backend): every failing script is collected and reported.
 */
class SqlFuzzSlowTest {
  @Test
  @EnabledIfSystemProperty(named = "deltasql.slow", matches = "true")
  void manyScripts() throws Exception {
    long tries = Long.getLong("deltasql.fuzz.tries", 3000);
    List<String> failures = new ArrayList<>();
    for (CatalogBackend backend : CatalogBackend.values()) {
      try (Lakes lake = SqlFuzzing.lake(backend)) {
        Connection connection = lake.connect();
        for (List<String> script : (Iterable<List<String>>) SqlFuzzing.scripts().sampleStream().limit(tries)::iterator) {
          if (connection.isClosed()) {
            connection = lake.connect();
          }
          String failure = SqlFuzzing.run(connection, script);
          if (failure != null) {
            failures.add(backend + ": " + failure + "\n  script: " + String.join("\n" + SqlFuzzing.SEPARATOR + "\n",
                script.stream().map(SqlFuzzing::abbreviate).toList()));
          }
        }
        connection.close();
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(failures.size() + " failing scripts:\n" + String.join("\n", failures));
    }
  }
}
