package io.deltasql.tck;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.deltasql.core.testing.CatalogBackend;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Generated and damaged statements ({@link SqlFuzzing}) through a real embedded connection on
 * an H2 catalog: success or an SQLException with a SQLState, never another throwable, never a
 * dead connection. 100 seeded tries of up to four statements here (each statement commits through
 * the catalog and the mirror, so more would not fit the tck's time); a long run is
 * {@code -Ddeltasql.slow=true} ({@link SqlFuzzSlowTest}). Every failing script, and each step
 * of its shrinking, is written to {@code target/sql-fuzz-failures/} in the corpus format: copy
 * the shortest into {@code sql-fuzz-corpus/}, replayed by {@link SqlFuzzCorpusTest}.
 */
class SqlFuzzProperties {
  private static Lakes lake;
  private static Connection connection;

  static synchronized Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      if (lake == null) {
        lake = SqlFuzzing.lake(CatalogBackend.H2);
      }
      connection = lake.connect();
    }
    return connection;
  }

  @AfterContainer
  static synchronized void close() throws SQLException {
    if (connection != null) {
      connection.close();
      connection = null;
    }
    if (lake != null) {
      lake.close();
      lake = null;
    }
  }

  @Property(tries = 100, seed = "20261202")
  void statementsSucceedOrFailWithSqlState(@ForAll("scripts") List<String> script) throws SQLException {
    String failure = SqlFuzzing.run(connection(), script);
    if (failure != null) {
      SqlFuzzing.keep(script, failure);
    }
    assertNull(failure);
  }

  @Provide
  Arbitrary<List<String>> scripts() {
    return SqlFuzzing.scripts();
  }
}
