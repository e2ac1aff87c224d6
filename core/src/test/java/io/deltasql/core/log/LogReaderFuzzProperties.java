package io.deltasql.core.log;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes the log reader and the importer with damaged copies of real Delta logs
 * ({@link LogMutation}); {@link LogFuzzing} is the oracle. The default run is short; a
 * long run: {@code -Ddeltasql.slow=true} ({@link LogReaderFuzzSlowTest}). A failing
 * mutation (jqwik prints it shrunk) goes into the corpus, {@code log-corpus/}, replayed by
 * {@link LogCorpusTest}.
 */
class LogReaderFuzzProperties {
  private static CatalogFixture fixture;
  private static Path work;

  static synchronized CatalogStore catalog() throws IOException {
    if (fixture == null) {
      fixture = CatalogBackend.H2.fresh("logfuzz");
      work = Files.createTempDirectory("deltasql-logfuzz-");
    }
    return fixture.store();
  }

  static Path work() {
    return work;
  }

  @AfterContainer
  static synchronized void close() {
    if (fixture != null) {
      fixture.close();
      LogFuzzing.deleteTree(work);
      fixture = null;
    }
  }

  @Property(tries = 30)
  void damagedLogsAreReadCorrectlyOrRefusedCleanly(@ForAll("mutations") LogMutation mutation) throws IOException {
    LogFuzzing.check(mutation, catalog(), work());
  }

  /** Two or three damages to one table at once. */
  @Property(tries = 15)
  void severalDamagesAtOnce(@ForAll("combined") java.util.List<LogMutation> mutations) throws IOException {
    LogFuzzing.check(mutations, catalog(), work());
  }

  @Provide
  static Arbitrary<java.util.List<LogMutation>> combined() {
    return Arbitraries.of(LogFuzzing.TABLES).flatMap(table -> mutations().map(m -> new LogMutation(table, m.kind(),
        m.file(), m.a(), m.b())).list().ofMinSize(2).ofMaxSize(3));
  }

  @Provide
  static Arbitrary<LogMutation> mutations() {
    return Combinators.combine(Arbitraries.of(LogFuzzing.TABLES), Arbitraries.of(LogMutation.Kind.class),
        Arbitraries.integers().between(0, 100), Arbitraries.longs().between(0, 50_000),
        Arbitraries.longs().between(0, 1_000)).as(LogMutation::new);
  }
}
