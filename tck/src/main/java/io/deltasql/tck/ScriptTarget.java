package io.deltasql.tck;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * Where the scripts run: a factory of connections by name (a script's {@code !use NAME}; the
 * first statement uses {@code "default"}), the warehouse folder when the runner can see it
 * (for {@code !files}), and the values substituted for {@code ${name}} in the scripts. An
 * embedded driver, a remote server or another catalog database is just another target.
 */
public interface ScriptTarget {
  /** A new connection for the script's connection {@code name}. */
  Connection connect(String name) throws SQLException;

  /** The warehouse folder, if this runner can list it. */
  Optional<Path> warehouse();

  /** Values for {@code ${name}} placeholders in scripts (e.g. {@code warehouse}, {@code shared}). */
  default Map<String, String> variables() {
    return warehouse().map(w -> Map.of("warehouse", w.toString())).orElse(Map.of());
  }
}
