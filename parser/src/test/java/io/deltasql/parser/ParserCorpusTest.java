package io.deltasql.parser;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the parser's regression corpus ({@code parser-corpus/}): each {@code .sql} file is
 * one statement, parsed verbatim; each {@code .repeat} file builds one from {@code prefix},
 * {@code unit} repeated {@code count} times, and {@code suffix} (one per line, in that
 * order), for inputs too large to keep. Each must parse or fail with a positioned
 * {@code SqlParseException}.
 */
class ParserCorpusTest {
  static List<Path> cases() throws URISyntaxException, IOException {
    Path dir = Path.of(ParserCorpusTest.class.getResource("/parser-corpus").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> cases = files.filter(p -> p.toString().endsWith(".sql") || p.toString().endsWith(".repeat"))
          .sorted().toList();
      assertFalse(cases.isEmpty(), "the corpus has cases");
      return cases;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caseParsesOrFailsWithPosition(Path file) throws IOException {
    ParserFuzzProperties.assertParsesOrFailsWithPosition(statement(file));
  }

  static String statement(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (file.toString().endsWith(".sql")) {
      return text;
    }
    List<String> lines = text.lines().filter(l -> !l.startsWith("#")).toList();
    return lines.get(0) + lines.get(1).repeat(Integer.parseInt(lines.get(2).trim())) + lines.get(3);
  }
}
