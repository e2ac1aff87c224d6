package io.deltasql.core.recovery;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RecoveryChild} running in its own JVM. Its stdout is drained by a daemon thread
 * into a queue (so the child never blocks on a full pipe); its stderr goes to a file. Every
 * wait is bounded. Closing kills it (SIGKILL) if it still runs.
 */
final class ChildJvm implements AutoCloseable {
  private static final String EOF = "\u0000EOF";

  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the child died: end of its output
      } finally {
        lines.add(EOF);
      }
    }, "child-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static ChildJvm start(Path workDir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RecoveryChild.class.getName());
    command.addAll(List.of(args));
    Path err = Files.createTempFile(workDir, "child-", ".stderr");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    return new ChildJvm(p, err);
  }

  Process process() {
    return process;
  }

  /** The next protocol line that starts with one of {@code prefixes} (others are skipped), within {@code timeout}. */
  String next(Duration timeout, String... prefixes) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        fail("no line " + List.of(prefixes) + " from the child within " + timeout + diagnostics());
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        fail("the child ended before printing " + List.of(prefixes) + diagnostics());
      }
      seen.add(line);
      if (line.startsWith("FAILED")) {
        fail("the child failed: " + line + diagnostics());
      }
      for (String prefix : prefixes) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }
  }

  /** Waits (bounded) for the child to exit and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("the child did not exit within " + timeout + diagnostics());
    }
    return process.exitValue();
  }

  /** SIGKILL, and wait (bounded) until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      fail("the child survived SIGKILL for 20 s");
    }
  }

  String diagnostics() {
    String err;
    try {
      err = Files.readString(stderr);
    } catch (IOException e) {
      err = "(stderr unreadable: " + e + ")";
    }
    if (err.length() > 4000) {
      err = "..." + err.substring(err.length() - 4000);
    }
    int from = Math.max(0, seen.size() - 20);
    return "\n--- last stdout lines:\n" + String.join("\n", seen.subList(from, seen.size()))
        + "\n--- stderr (tail):\n" + err;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
