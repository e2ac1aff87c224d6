package io.deltasql.tck;

import io.deltasql.core.testing.CatalogBackend;
import java.io.IOException;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every script of the suite ({@code src/main/resources/io/deltasql/tck/sql/*.iq}) on a fresh
 * lake of each catalog backend. A failing script's actual output is written to
 * {@code target/quidem/BACKEND/NAME} for a diff against the script.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class SqlScriptTest {
  static final java.util.List<String> SCRIPTS = ScriptRunner.SCRIPTS;

  @Parameter
  CatalogBackend backend;

  @ParameterizedTest(name = "{0}")
  @FieldSource("SCRIPTS")
  void script(String script) throws IOException {
    ScriptRunner.Result result;
    try (Lakes lake = Lakes.fresh(backend, "script")) {
      result = ScriptRunner.run(script, lake);
    }
    ScriptChecks.assertPassed(result, backend, "embedded");
  }
}
