package io.deltasql.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Delta tables written by Delta's own maintainers, in {@code ../shared/delta-tables}
 * (read-only in CI: copy a table with {@link #copyToTemp} before writing to it).
 */
public final class SharedTables {
  /** Tables that a reader must refuse (README: "Must reject / must not write"). */
  public static final List<String> MUST_REJECT = List.of(
      "deltalog-invalid-protocol-version",
      "deltalog-state-reconstruction-without-protocol",
      "deltalog-state-reconstruction-from-checkpoint-missing-metadata",
      "versions-not-contiguous",
      "no-delta-log-folder",
      "catalog-owned-preview");

  private SharedTables() {}

  /** The folder holding every shared table. */
  public static Path root() {
    String configured = System.getProperty("deltasql.shared");
    Path shared = configured != null ? Path.of(configured) : findShared();
    Path tables = shared.resolve("delta-tables").normalize();
    if (!Files.isDirectory(tables)) {
      throw new IllegalStateException("Shared Delta tables not found at " + tables
          + ": the repository expects ../shared beside it");
    }
    return tables;
  }

  private static Path findShared() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("../shared").normalize();
      if (Files.isDirectory(candidate.resolve("delta-tables"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    return Path.of("../shared");
  }

  /** The table root (the folder holding {@code _delta_log}) of a shared table. */
  public static Path table(String name) {
    return root().resolve(name).resolve("delta");
  }

  /** The {@code expected/} folder of a shared table (may not exist). */
  public static Path expected(String name) {
    return root().resolve(name).resolve("expected");
  }

  /** Names of every shared table. */
  public static List<String> all() {
    try (Stream<Path> dirs = Files.list(root())) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names of the tables a reader should be able to read (all but {@link #MUST_REJECT}). */
  public static List<String> readable() {
    return all().stream().filter(n -> !MUST_REJECT.contains(n)).toList();
  }

  /** Copies a table root into {@code dir} and returns the copy's root, writable. */
  public static Path copyToTemp(String name, Path dir) {
    Path source = table(name);
    Path target = dir.resolve(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path dest = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
          dest.toFile().setWritable(true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }
}
