package io.deltasql.driver.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Base of the command line's tests: {@link Main} run in-process on a temporary warehouse, its streams captured. */
abstract class CapturedMain {
  @TempDir
  Path warehouse;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs the command line with an empty stdin that is not a terminal. */
  int run(String... args) {
    return runWithInput("", args);
  }

  int runWithInput(String stdin, String... args) {
    out.reset();
    err.reset();
    return new Main(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false)
        .run(args);
  }

  /** The URL of the temporary warehouse, with its embedded catalog. */
  String url() {
    return "jdbc:deltasql:warehouse=" + warehouse;
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
