package io.deltasql.tck;

import io.deltasql.core.testing.CatalogBackend;
import java.io.IOException;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every script of the suite on a fresh lake whose warehouse is on S3 (a bucket of the tests'
 * S3 server on loopback), with each catalog backend: the same output as on a local folder.
 * {@code ${warehouse}} is {@code s3://bucket/wh}, so the scripts' {@code LOCATION}s inside the
 * warehouse are on S3, while {@code ${shared}} imports stay local tables: storage is chosen by
 * location. A failing script's actual output is written to {@code target/quidem/S3-BACKEND/NAME}.
 */
@ParameterizedClass(name = "S3 warehouse, {0} catalog")
@EnumSource(CatalogBackend.class)
class S3SqlScriptTest {
  static final java.util.List<String> SCRIPTS = ScriptRunner.SCRIPTS;

  @Parameter
  CatalogBackend backend;

  @ParameterizedTest(name = "{0}")
  @FieldSource("SCRIPTS")
  void script(String script) throws IOException {
    ScriptRunner.Result result;
    try (S3Lakes lake = S3Lakes.fresh(backend, "script")) {
      result = ScriptRunner.run(script, lake);
    }
    ScriptChecks.assertPassed(result, backend, "s3");
  }
}
