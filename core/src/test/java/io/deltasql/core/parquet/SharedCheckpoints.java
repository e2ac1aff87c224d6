package io.deltasql.core.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.Sidecar;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of the shared Delta tables, found by listing their {@code _delta_log}
 * folders and read with plain Jackson where JSON is involved (the {@code _last_checkpoint}
 * file, V2 checkpoints in JSON).
 */
final class SharedCheckpoints {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHECKPOINT_PARQUET =
      Pattern.compile("\\d{20}\\.checkpoint(\\.\\d{10}\\.\\d{10}|\\.[0-9a-f-]{36})?\\.parquet");

  private SharedCheckpoints() {}

  /** Every Parquet checkpoint file (classic, parts, V2 manifests, sidecars) of every table. */
  static List<Path> allParquetFiles() {
    List<Path> result = new ArrayList<>();
    for (String table : SharedTables.all()) {
      Path log = SharedTables.table(table).resolve("_delta_log");
      result.addAll(list(log).stream()
          .filter(p -> CHECKPOINT_PARQUET.matcher(p.getFileName().toString()).matches()).toList());
      result.addAll(list(log.resolve("_sidecars")).stream()
          .filter(p -> p.getFileName().toString().endsWith(".parquet")).toList());
    }
    return result;
  }

  /** The parsed {@code _last_checkpoint} of a table, if it has a non-empty one. */
  static Optional<JsonNode> lastCheckpoint(String table) {
    Path file = SharedTables.table(table).resolve("_delta_log/_last_checkpoint");
    try {
      if (!Files.exists(file) || Files.size(file) == 0) {
        return Optional.empty();
      }
      return Optional.of(JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every action of a table's checkpoint at {@code version}: all parts of a multi-part
   * checkpoint, or a V2 manifest (Parquet via the reader under test, JSON via Jackson)
   * followed by the actions of its sidecars.
   */
  static List<Action> checkpointActions(String table, long version) {
    Path log = SharedTables.table(table).resolve("_delta_log");
    String prefix = "%020d.checkpoint.".formatted(version);
    List<Path> files = list(log).stream()
        .filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    CheckpointReader reader = new CheckpointReader(LocalStorage.INSTANCE);
    List<Action> actions = new ArrayList<>();
    for (Path file : files) {
      if (file.toString().endsWith(".json")) {
        actions.addAll(JsonManifest.read(file));
      } else {
        try (Stream<Action> stream = reader.read(file.toString())) {
          stream.forEach(actions::add);
        }
      }
    }
    for (Sidecar sidecar : actions.stream().filter(Sidecar.class::isInstance)
        .map(Sidecar.class::cast).toList()) {
      try (Stream<Action> stream = reader.read(CheckpointReader.sidecarPath(log.toString(), sidecar))) {
        stream.forEach(actions::add);
      }
    }
    return actions;
  }

  static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
