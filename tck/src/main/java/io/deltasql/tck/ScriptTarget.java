package io.deltasql.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the scripts run: a factory of connections by name (a script's {@code !use NAME}; the
 * first statement uses {@code "default"}), the warehouse's files when the runner can list them
 * (for {@code !files}), and the values substituted for {@code ${name}} in the scripts. An
 * embedded driver, a remote server, another catalog database or a warehouse on S3 is just
 * another target.
 */
public interface ScriptTarget {
  /**
   * The conditions a script may test with {@code !if (NAME) {}, each true unless a target says
   * otherwise ({@link #conditions}):
   *
   * <ul>
   *   <li>{@code nestedValues}: ARRAY, MAP and STRUCT columns can be fetched whole (Avatica's
   *       server cannot send them: its {@code JdbcMeta} reads an array through
   *       {@code Array.getResultSet()}, which Avatica's own arrays do not give as index and
   *       value columns, and its protocol has no map or struct values);
   *   <li>{@code binaryAsHex}: {@code getString} on a BINARY column gives hex digits (Avatica's
   *       remote client decodes the bytes as UTF-8 instead).
   * </ul>
   */
  Set<String> CONDITIONS = Set.of("nestedValues", "binaryAsHex");

  /** A new connection for the script's connection {@code name}. */
  Connection connect(String name) throws SQLException;

  /** The warehouse folder, if this runner can list it. */
  Optional<Path> warehouse();

  /** Conditions of {@link #CONDITIONS} that are false here. */
  default Map<String, Boolean> conditions() {
    return Map.of();
  }

  /**
   * Every file (object) of the warehouse, as paths relative to it with {@code /} between
   * segments, if this runner can list them: by default, the files of {@link #warehouse()}.
   */
  default Optional<List<String>> warehouseFiles() {
    return warehouse().map(w -> {
      try (Stream<Path> files = Files.walk(w)) {
        return files.filter(Files::isRegularFile).map(p -> w.relativize(p).toString().replace('\\', '/')).toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Values for {@code ${name}} placeholders in scripts (e.g. {@code warehouse}, {@code shared}). */
  default Map<String, String> variables() {
    return warehouse().map(w -> Map.of("warehouse", w.toString())).orElse(Map.of());
  }
}
