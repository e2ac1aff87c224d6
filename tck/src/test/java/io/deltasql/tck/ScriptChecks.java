package io.deltasql.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.testing.CatalogBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The check every script test makes of a {@link ScriptRunner.Result}. */
public final class ScriptChecks {
  private ScriptChecks() {}

  /**
   * Records each case of the script in the {@link TckReport} (suite: the script's name), then
   * asserts that the script passed; if it did not, its actual output is first written to
   * {@code target/quidem/TARGET/SCRIPT} for a diff against the script, where TARGET is the
   * backend's name, prefixed with the transport unless embedded ({@code S3-H2},
   * {@code remote-POSTGRESQL}).
   *
   * @param transport {@code embedded}, {@code s3} or {@code remote}
   */
  public static void assertPassed(ScriptRunner.Result result, CatalogBackend backend, String transport)
      throws IOException {
    String catalog = backend.name().toLowerCase(Locale.ROOT);
    for (ScriptRunner.Case c : result.cases()) {
      TckReport.caseRun(catalog, transport, result.script(), c.line() + ": " + c.statement(), c.passed());
    }
    String target = switch (transport) {
      case "embedded" -> backend.name();
      case "s3" -> "S3-" + backend.name();
      default -> transport + "-" + backend.name();
    };
    if (!result.passed()) {
      Path out = Path.of("target", "quidem", target, result.script());
      Files.createDirectories(out.getParent());
      Files.writeString(out, result.actual());
    }
    assertEquals(result.expected(), result.actual(), result.script() + " on " + backend + " (" + transport + ")");
  }
}
