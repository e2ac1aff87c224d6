package io.deltasql.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Replays every case of the log reader's regression corpus ({@code log-corpus/}) through the fuzzer's oracle. */
class LogCorpusTest {
  private static CatalogFixture fixture;
  private static Path work;

  @BeforeAll
  static void open() throws IOException {
    fixture = CatalogBackend.H2.fresh("logcorpus");
    work = Files.createTempDirectory("deltasql-logcorpus-");
  }

  @AfterAll
  static void close() {
    fixture.close();
    LogFuzzing.deleteTree(work);
  }

  static List<Path> cases() throws URISyntaxException, IOException {
    Path dir = Path.of(LogCorpusTest.class.getResource("/log-corpus").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> cases = files.filter(p -> p.toString().endsWith(".case")).sorted().toList();
      assertFalse(cases.isEmpty(), "the corpus has cases");
      return cases;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caseIsReadCorrectlyOrRefusedCleanly(Path file) throws IOException {
    List<LogMutation> mutations = mutations(file);
    String outcome = LogFuzzing.check(mutations, fixture.store(), work);
    expected(file).ifPresent(want -> assertEquals(want, outcome, "import outcome of " + file.getFileName()));
  }

  /** The import outcome a case states on an {@code expect} line: {@code ok} or a SQLState. */
  private static java.util.Optional<String> expected(Path file) {
    try {
      return Files.readAllLines(file).stream().map(String::trim).filter(l -> l.startsWith("expect "))
          .map(l -> l.substring("expect ".length()).trim()).findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<LogMutation> mutations(Path file) {
    try {
      return LogMutation.parseAll(Files.readAllLines(file).stream().map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("expect ")).findFirst()
          .orElseThrow(() -> new IllegalStateException(file + " holds no case line")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
