package io.deltasql.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the compatibility kit ran, recorded for the summary that {@code .ci/run} prints at the end
 * of the build ({@code bin/tck-summary}).
 *
 * <p>Each test JVM appends tab-separated lines to {@code target/tck-report/events-PID.tsv} of the
 * module it runs in (surefire's working directory), one line per event:
 *
 * <ul>
 *   <li>{@code case CATALOG TRANSPORT SUITE NAME passed|failed|known}: one case of a suite (a
 *       script, a bad-input case, a shared table) run on a catalog ({@code h2}, {@code postgresql})
 *       through a transport ({@code embedded}, {@code remote}, {@code s3}); {@code known} for a
 *       case marked known-failing that fails as expected (reported aborted, with its reason);
 *   <li>{@code table READER TABLE agreed|disagreed}: a table (and all its checked versions) read by
 *       an independent reader ({@code kernel}, {@code standalone}) and compared with deltasql;
 *   <li>{@code fault KIND survived|lost}: a fault injected ({@code pg_terminate_backend},
 *       {@code failing-fs}, {@code sigkill}, …) and whether the invariants held afterwards.
 * </ul>
 *
 * Tabs and newlines in fields are replaced by spaces. Recording never fails a test: an I/O error
 * is rethrown unchecked only if the report folder cannot be written at all.
 */
public final class TckReport {
  private static final Path FILE =
      Path.of("target", "tck-report", "events-" + ProcessHandle.current().pid() + ".tsv");

  private TckReport() {}

  /** One case of {@code suite} on {@code catalog} through {@code transport}. */
  public static void caseRun(String catalog, String transport, String suite, String name, boolean passed) {
    append("case", catalog, transport, suite, name, passed ? "passed" : "failed");
  }

  /**
   * A case marked known-failing: {@code known} if it fails as its mark says, {@code failed} if it
   * passes (its test then fails, asking for the mark to be removed).
   */
  public static void knownCaseRun(String catalog, String transport, String suite, String name, boolean passed) {
    append("case", catalog, transport, suite, name, passed ? "failed" : "known");
  }

  /** A table read by {@code reader} and compared with deltasql's own reading. */
  public static void tableVerified(String reader, String table, boolean agreed) {
    append("table", reader, table, agreed ? "agreed" : "disagreed");
  }

  /** A fault of {@code kind} injected; {@code survived} if the invariants held afterwards. */
  public static void fault(String kind, boolean survived) {
    append("fault", kind, survived ? "survived" : "lost");
  }

  private static synchronized void append(String... fields) {
    StringBuilder line = new StringBuilder();
    for (String field : fields) {
      if (line.length() > 0) {
        line.append('\t');
      }
      line.append(field == null ? "" : field.replaceAll("[\\t\\r\\n]", " "));
    }
    line.append('\n');
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record a tck event in " + FILE.toAbsolutePath(), e);
    }
  }
}
