package io.deltasql.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.deltasql.core.testing.CatalogBackend;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the SQL fuzzer's regression corpus ({@code sql-fuzz-corpus/*.sql}: the statements of
 * one script, separated by {@code ----} lines; {@code \0} is a NUL character) on a fresh lake of
 * each catalog backend, with the fuzzer's oracle ({@link SqlFuzzing#run}). A script with a
 * {@code # known: REASON} line fails today: it is reported aborted with the reason, and fails
 * the test once it passes.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class SqlFuzzCorpusTest {
  @Parameter
  CatalogBackend backend;

  static List<Path> scripts() {
    return SqlFuzzing.corpus();
  }

  @Test
  void corpusIsNotEmpty() {
    assertFalse(scripts().isEmpty(), "sql-fuzz-corpus holds scripts");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void replay(Path file) throws Exception {
    java.util.Optional<String> known = java.nio.file.Files.readAllLines(file).stream()
        .filter(l -> l.startsWith("# known: ")).map(l -> l.substring("# known: ".length())).findFirst();
    try (Lakes lake = SqlFuzzing.lake(backend); Connection connection = lake.connect()) {
      String failure = SqlFuzzing.run(connection, SqlFuzzing.read(file));
      if (known.isPresent()) {
        TckReport.knownCaseRun(backend.name().toLowerCase(), "embedded", "sql-fuzz-corpus",
            file.getFileName().toString(), failure == null);
      } else {
        TckReport.caseRun(backend.name().toLowerCase(), "embedded", "sql-fuzz-corpus",
            file.getFileName().toString(), failure == null);
      }
      if (known.isPresent()) {
        org.junit.jupiter.api.Assertions.assertNotNull(failure, () -> file.getFileName()
            + " is marked known-failing (" + known.get() + ") but passes now: remove its '# known:' line");
        org.junit.jupiter.api.Assumptions.abort("KNOWN FAILURE " + file.getFileName() + ": " + known.get()
            + " -- now: " + failure);
      }
      assertNull(failure, () -> file.getFileName() + " on " + backend);
    }
  }
}
