package io.deltasql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long parser fuzz run ({@code -Ddeltasql.slow=true}, count {@code -Ddeltasql.fuzz.tries=N}
 * per generator, default 5000): every failing input is collected and reported.
 */
class ParserFuzzSlowTest {
  @Test
  @EnabledIfSystemProperty(named = "deltasql.slow", matches = "true")
  void manyHostileStatements() {
    long tries = Long.getLong("deltasql.fuzz.tries", 5000);
    ParserFuzzProperties generators = new ParserFuzzProperties();
    List<String> failures = new ArrayList<>();
    for (Arbitrary<String> generator : List.of(generators.soup(), generators.damaged(), generators.nested(),
        generators.huge())) {
      Stream<String> inputs = generator.sampleStream().limit(tries);
      inputs.forEach(sql -> {
        try {
          ParserFuzzProperties.assertParsesOrFailsWithPosition(sql);
        } catch (AssertionError e) {
          failures.add(e.getMessage());
        }
      });
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(failures.size() + " failing inputs:\n" + String.join("\n", failures));
    }
  }
}
