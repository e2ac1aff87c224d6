package io.deltasql.core.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.Sidecar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The non-file actions of a V2 checkpoint written in JSON, decoded with plain Jackson so
 * that the tests can follow its sidecars and compare its protocol and metadata. Only the
 * action kinds found in the shared tables' JSON manifests are supported.
 */
final class JsonManifest {
  private JsonManifest() {}

  static List<Action> read(Path file) {
    List<Action> actions = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        actions.add(action(SharedCheckpoints.JSON.readTree(line)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return actions;
  }

  private static Action action(JsonNode node) {
    if (node.has("sidecar")) {
      JsonNode s = node.get("sidecar");
      return new Sidecar(s.get("path").asText(), s.get("sizeInBytes").asLong(),
          s.get("modificationTime").asLong(), Map.of());
    }
    if (node.has("checkpointMetadata")) {
      return new CheckpointMetadata(node.get("checkpointMetadata").get("version").asLong(), Map.of());
    }
    if (node.has("protocol")) {
      JsonNode p = node.get("protocol");
      return new Protocol(p.get("minReaderVersion").asInt(), p.get("minWriterVersion").asInt(),
          strings(p.get("readerFeatures")), strings(p.get("writerFeatures")));
    }
    if (node.has("metaData")) {
      JsonNode m = node.get("metaData");
      List<String> partitionColumns = new ArrayList<>(strings(m.get("partitionColumns")));
      return new Metadata(m.get("id").asText(), Optional.empty(), Optional.empty(), Format.PARQUET,
          m.get("schemaString").asText(), partitionColumns, map(m.get("configuration")),
          Optional.of(m.get("createdTime").asLong()));
    }
    throw new IllegalArgumentException("unexpected action in a JSON manifest: " + node);
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> result = new LinkedHashSet<>();
    if (array != null) {
      array.forEach(e -> result.add(e.asText()));
    }
    return result;
  }

  private static Map<String, String> map(JsonNode object) {
    Map<String, String> result = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    return result;
  }
}
