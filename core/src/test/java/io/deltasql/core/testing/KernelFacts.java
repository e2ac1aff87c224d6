package io.deltasql.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Delta Kernel Java 4.0.0 read from each shared table's latest version, as recorded in
 * the shared tables' README ("OK name/delta version=V files=F rows=R"). An independent
 * reader's result, to check ours against.
 */
public final class KernelFacts {
  /** Kernel's reading of one table. */
  public record Fact(String table, long version, int files, long rows) {}

  private static final Pattern LINE =
      Pattern.compile("^OK\\t([^/]+)/delta\\tversion=(\\d+)\\tfiles=(\\d+)\\trows=(\\d+).*$");

  private KernelFacts() {}

  /** Every table Kernel read without error, by name. */
  public static Map<String, Fact> all() {
    Map<String, Fact> facts = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(SharedTables.root().resolve("README.md"))) {
        Matcher m = LINE.matcher(line);
        if (m.matches()) {
          facts.put(m.group(1), new Fact(m.group(1), Long.parseLong(m.group(2)),
              Integer.parseInt(m.group(3)), Long.parseLong(m.group(4))));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (facts.isEmpty()) {
      throw new IllegalStateException("No Kernel facts found in the shared tables' README");
    }
    return facts;
  }
}
