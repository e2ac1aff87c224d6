package io.deltasql.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The JSON files of the shared tables' logs: commits (published and staged), V2 checkpoints
 * in JSON, and {@code _last_checkpoint} files. Independent of the code under test, it reads
 * them with a plain Jackson mapper where it needs to look inside.
 */
final class SharedLogFiles {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private SharedLogFiles() {}

  /** One newline-delimited JSON file of a shared table's log. */
  record LogFile(String table, Path path) {
    String name() {
      return table + "/" + SharedTables.table(table).relativize(path);
    }

    boolean isV2Checkpoint() {
      return path.getFileName().toString().contains(".checkpoint.");
    }

    byte[] bytes() {
      try {
        return Files.readAllBytes(path);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The lines of the file, without their newlines (the last one may be empty). */
    List<String> lines() {
      return List.of(new String(bytes(), StandardCharsets.UTF_8).split("\n", -1));
    }
  }

  /** Every {@code *.json} file under every shared table's {@code _delta_log}. */
  static List<LogFile> all() {
    List<LogFile> files = new ArrayList<>();
    for (String table : SharedTables.all()) {
      Path log = SharedTables.table(table).resolve("_delta_log");
      if (!Files.isDirectory(log)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(log)) {
        walk.filter(p -> p.getFileName().toString().endsWith(".json"))
            .sorted()
            .forEach(p -> files.add(new LogFile(table, p)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** Every shared {@code _delta_log/_last_checkpoint} file. */
  static List<Path> lastCheckpoints() {
    return SharedTables.all().stream()
        .map(t -> SharedTables.table(t).resolve("_delta_log").resolve("_last_checkpoint"))
        .filter(Files::isRegularFile)
        .toList();
  }

  /** Every non-blank line of every log file, parsed by plain Jackson. */
  static Stream<JsonNode> allLineObjects() {
    return all().stream().flatMap(f -> f.lines().stream())
        .filter(l -> !l.isBlank())
        .map(SharedLogFiles::plainTree);
  }

  /** Every distinct {@code schemaString} of a {@code metaData} action in any log file. */
  static Set<String> schemaStrings() {
    Set<String> schemas = new LinkedHashSet<>();
    allLineObjects().map(n -> n.path("metaData").path("schemaString"))
        .filter(JsonNode::isTextual)
        .forEach(n -> schemas.add(n.textValue()));
    return schemas;
  }

  /** Every {@code stats} string of an {@code add} or {@code remove} in any log file. */
  static List<String> statsStrings() {
    List<String> stats = new ArrayList<>();
    allLineObjects().forEach(n -> {
      for (String key : List.of("add", "remove")) {
        JsonNode s = n.path(key).path("stats");
        if (s.isTextual()) {
          stats.add(s.textValue());
        }
      }
    });
    return stats;
  }

  static JsonNode plainTree(String json) {
    try {
      return PLAIN.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
