package io.deltasql.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/deltasql} as a process, on this test's classpath ({@code
 * DELTASQL_CLASSPATH}, so it does not build): arguments, logging, streams and exit status.
 */
class MainProcessTest {
  private static final Path SCRIPT = Path.of("..", "bin", "deltasql");

  @TempDir
  Path dir;

  private record Result(int status, String out, String err) {}

  private Result run(String stdin, String... args) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Path in = dir.resolve("in.txt");
    Files.writeString(in, stdin);
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(in.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("DELTASQL_CLASSPATH", classpath);
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("bin/deltasql did not finish in 5 minutes");
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void quickstartThroughTheScript() throws Exception {
    assumeTrue(Files.isRegularFile(SCRIPT) && new File("/bin/bash").canExecute(), "needs bash and bin/deltasql");
    String url = "jdbc:deltasql:warehouse=" + dir.resolve("lake");
    Result result = run("", "-u", url, "-f", MainSqlTest.QUICKSTART.toString());
    assertEquals(0, result.status(), result.err());
    assertTrue(result.out().contains("| Ada   |      2 |   19.75 |"), result.out());
    assertTrue(result.err().lines().allMatch(l -> l.contains("WARN")), "only warnings (slow commits) on stderr: " + result.err());

    Result failed = run("select 1;\nselect * from nope;\n", "-u", url, "--format", "csv");
    assertEquals(1, failed.status());
    assertEquals("EXPR$0\r\n1\r\n", failed.out());
    assertTrue(failed.err().startsWith("ERROR 42P01: "), failed.err());
    assertTrue(failed.err().contains("in statement 2, line 2 of standard input"), failed.err());
  }
}
