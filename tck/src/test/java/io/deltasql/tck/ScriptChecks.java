package io.deltasql.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The check every script test makes of a {@link ScriptRunner.Result}. */
public final class ScriptChecks {
  private ScriptChecks() {}

  /**
   * Asserts that the script passed; if it did not, its actual output is first written to
   * {@code target/quidem/TARGET/SCRIPT} for a diff against the script.
   *
   * @param target the folder name of the target under {@code target/quidem}
   * @param where what the assertion message says after the script name, e.g. " on H2"
   */
  public static void assertPassed(ScriptRunner.Result result, String target, String where) throws IOException {
    if (!result.passed()) {
      Path out = Path.of("target", "quidem", target, result.script());
      Files.createDirectories(out.getParent());
      Files.writeString(out, result.actual());
    }
    assertEquals(result.expected(), result.actual(), result.script() + where);
  }
}
