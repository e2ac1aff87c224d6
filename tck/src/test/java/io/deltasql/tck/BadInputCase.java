package io.deltasql.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One case of the bad-input corpus ({@code src/test/resources/bad-input/*.cases}, format in its
 * {@code README.md}): what to set up, the input, and the outcome expected of it.
 *
 * @param kind the file's name without {@code .cases}: how the payload is run ({@code sql},
 *     {@code prepared}, {@code url}, {@code paths}, {@code logs})
 * @param name unique within its file
 * @param expected SQLStates (5 characters) or classes (2 characters) the failure may have, or
 *     {@code ok} alone for an input that must succeed (a hint a reader may ignore, a control)
 * @param known why the case fails today (it is then reported, not silently passed)
 * @param setup actions done before the case's snapshot ({@code file}, {@code symlink}, ...)
 * @param message text the error message must contain, if given
 * @param checks {@code SQL = VALUE} queries after a successful case
 * @param after statements run after the case, whatever its outcome (clean-up of an ok case)
 * @param payload the statement, URL or prepared statement, with {@code ${...}} placeholders
 */
record BadInputCase(String kind, String name, List<String> expected, Optional<String> known, List<String> setup,
    Optional<String> message, List<String> checks, List<String> after, String payload) {

  /** Whether the input may succeed ({@code ok} among the expected outcomes). */
  boolean allowsSuccess() {
    return expected.contains("ok");
  }

  /** Whether {@code state} is one of the expected SQLStates or classes. */
  boolean accepts(String state) {
    return state != null && expected.stream().anyMatch(e -> e.length() == 2 ? state.startsWith(e) : state.equals(e));
  }

  @Override
  public String toString() {
    return kind + "/" + name;
  }

  /** Every case of every corpus file, in file then line order. */
  static List<BadInputCase> all() {
    try {
      Path dir = Path.of(BadInputCase.class.getResource("/bad-input").toURI());
      List<BadInputCase> cases = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(p -> p.toString().endsWith(".cases")).sorted().toList()) {
          cases.addAll(parse(file.getFileName().toString().replace(".cases", ""),
              Files.readAllLines(file, StandardCharsets.UTF_8)));
        }
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cases of one file: blocks that start with {@code case NAME}; {@code #} lines are comments. */
  static List<BadInputCase> parse(String kind, List<String> lines) {
    List<BadInputCase> cases = new ArrayList<>();
    List<String> block = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("case ") && !block.isEmpty()) {
        cases.add(block(kind, block));
        block.clear();
      }
      if (!block.isEmpty() || !line.isBlank()) {
        block.add(line);
      }
    }
    if (!block.isEmpty()) {
      cases.add(block(kind, block));
    }
    List<String> names = cases.stream().map(BadInputCase::name).toList();
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("bad-input/" + kind + ".cases: case names repeat: " + names);
    }
    return cases;
  }

  private static BadInputCase block(String kind, List<String> lines) {
    String name = lines.get(0).substring("case ".length()).trim();
    List<String> expected = null;
    Optional<String> known = Optional.empty();
    Optional<String> message = Optional.empty();
    List<String> setup = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    List<String> after = new ArrayList<>();
    int i = 1;
    for (; i < lines.size(); i++) {
      String line = lines.get(i);
      String word = line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line;
      String rest = line.substring(word.length()).trim();
      switch (word) {
        case "expect" -> expected = List.of(rest.split("\\|"));
        case "known" -> known = Optional.of(rest);
        case "message" -> message = Optional.of(rest);
        case "setup" -> setup.add(rest);
        case "check" -> checks.add(rest);
        case "after" -> after.add(rest);
        default -> {
          String payload = String.join("\n", lines.subList(i, lines.size())).strip();
          if (expected == null || payload.isEmpty()) {
            throw new IllegalArgumentException("bad-input/" + kind + ".cases, case " + name
                + ": needs an 'expect' line and an input");
          }
          return new BadInputCase(kind, name, expected, known, setup, message, checks, after, payload);
        }
      }
    }
    throw new IllegalArgumentException("bad-input/" + kind + ".cases, case " + name + ": no input");
  }
}
