package io.deltasql.tck;

import io.deltasql.core.testing.CatalogBackend;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long SQL fuzz run ({@code -Ddeltasql.slow=true}, {@code -Ddeltasql.fuzz.tries=N} scripts,
 * default 3000, on each catalog backend). Scripts run one after the other on one lake, so a
 * failure may depend on what ran before it: each failure is kept in
 * {@code target/sql-fuzz-failures/} with every statement run on that lake since it was made (the
 * reproducible input to shrink into the corpus), and the run goes on with a fresh lake, so that
 * one broken state is not counted again for every later script.
 */
class SqlFuzzSlowTest {
  @Test
  @EnabledIfSystemProperty(named = "deltasql.slow", matches = "true")
  void manyScripts() throws Exception {
    long tries = Long.getLong("deltasql.fuzz.tries", 3000);
    List<String> failures = new ArrayList<>();
    for (CatalogBackend backend : CatalogBackend.values()) {
      Lakes lake = SqlFuzzing.lake(backend);
      Connection connection = lake.connect();
      List<String> history = new ArrayList<>();
      try {
        for (List<String> script : (Iterable<List<String>>) SqlFuzzing.scripts().sampleStream().limit(tries)::iterator) {
          history.addAll(script);
          String failure = SqlFuzzing.run(connection, script);
          if (failure != null) {
            failures.add(backend + ": " + failure);
            SqlFuzzing.keep(history, backend + ": " + failure);
            connection.close();
            lake.close();
            lake = SqlFuzzing.lake(backend);
            connection = lake.connect();
            history.clear();
          }
        }
      } finally {
        connection.close();
        lake.close();
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(failures.size() + " failing scripts (inputs in target/sql-fuzz-failures/):\n"
          + String.join("\n", failures));
    }
  }
}
