package io.deltasql.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.Sidecar;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code _delta_log/_last_checkpoint} to and from {@link LastCheckpoint}.
 *
 * <p>Reading verifies the {@code checksum} when the file has one (PROTOCOL.md, "JSON
 * checksum"); an empty file, invalid JSON, a missing {@code version} or {@code size}, or a
 * checksum that does not match is a {@code DATA_CORRUPTED} error, after which a reader should
 * find the latest checkpoint by listing instead. {@code size_in_bytes}, which some writers use,
 * is read as {@code sizeInBytes}. Writing emits the fields in Delta's order, one line ending in
 * {@code \n}, with a fresh checksum.
 */
public final class LastCheckpointJson {
  private static final String OWNER = "_last_checkpoint";
  private static final String CHECKSUM = LastCheckpointChecksum.FIELD;

  private LastCheckpointJson() {}

  /**
   * Parses the content of a {@code _last_checkpoint} file.
   *
   * @param source the file, for errors
   */
  public static LastCheckpoint parse(byte[] content, String source) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(source, "source");
    JsonNode root = JsonSupport.readTree(content, 0, content.length, source);
    JsonFields f = JsonFields.ofObject(root, OWNER, source);
    Optional<String> checksum = f.optionalString(CHECKSUM);
    if (checksum.isPresent()) {
      String actual = LastCheckpointChecksum.of(root);
      if (!actual.equalsIgnoreCase(checksum.get())) {
        throw JsonErrors.corrupt(source, "its checksum " + checksum.get()
            + " does not match its content, whose checksum is " + actual);
      }
    }
    Optional<Long> sizeInBytes = f.has("sizeInBytes")
        ? f.optionalLong("sizeInBytes") : f.optionalLong("size_in_bytes");
    return new LastCheckpoint(
        f.requiredLong("version"),
        f.requiredLong("size"),
        f.optionalInt("parts"),
        sizeInBytes,
        f.optionalLong("numOfAddFiles"),
        f.optionalObjectNode("checkpointSchema").map(JsonNode.class::cast),
        f.optionalObject("v2Checkpoint").map(LastCheckpointJson::v2Checkpoint),
        f.optionalStringMap("tags"),
        checksum);
  }

  private static LastCheckpoint.V2Checkpoint v2Checkpoint(JsonFields f) {
    String source = f.source();
    Optional<List<Action>> nonFileActions = f.optionalArray("nonFileActions").map(array -> {
      List<Action> actions = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        ActionJson.parse(array.get(i), source + " v2Checkpoint.nonFileActions[" + i + "]")
            .ifPresent(actions::add);
      }
      return actions;
    });
    Optional<List<Sidecar>> sidecars = f.optionalArray("sidecarFiles").map(array -> {
      List<Sidecar> result = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        result.add(ActionParser.sidecar(JsonFields.ofObject(array.get(i),
            "v2Checkpoint.sidecarFiles[" + i + "]", source)));
      }
      return result;
    });
    return new LastCheckpoint.V2Checkpoint(f.requiredString("path"), f.requiredLong("sizeInBytes"),
        f.requiredLong("modificationTime"), nonFileActions, sidecars);
  }

  /** The bytes of a {@code _last_checkpoint} file for {@code lastCheckpoint}, with a checksum. */
  public static byte[] write(LastCheckpoint lastCheckpoint) {
    Objects.requireNonNull(lastCheckpoint, "lastCheckpoint");
    ObjectNode root = tree(lastCheckpoint);
    root.put(CHECKSUM, LastCheckpointChecksum.of(root));
    return (JsonSupport.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode tree(LastCheckpoint lc) {
    ObjectNode root = JsonSupport.mapper().createObjectNode();
    root.put("version", lc.version());
    root.put("size", lc.size());
    lc.parts().ifPresent(p -> root.put("parts", p));
    lc.sizeInBytes().ifPresent(s -> root.put("sizeInBytes", s));
    lc.numOfAddFiles().ifPresent(n -> root.put("numOfAddFiles", n));
    lc.checkpointSchema().ifPresent(s -> root.set("checkpointSchema", s.deepCopy()));
    lc.v2Checkpoint().ifPresent(v2 -> {
      ObjectNode node = root.putObject("v2Checkpoint");
      node.put("path", v2.path());
      node.put("sizeInBytes", v2.sizeInBytes());
      node.put("modificationTime", v2.modificationTime());
      v2.nonFileActions().ifPresent(actions -> {
        ArrayNode array = node.putArray("nonFileActions");
        for (Action action : actions) {
          array.add(JsonSupport.readTree(ActionJson.write(action), "nonFileActions"));
        }
      });
      v2.sidecarFiles().ifPresent(sidecars -> {
        ArrayNode array = node.putArray("sidecarFiles");
        for (Sidecar sidecar : sidecars) {
          array.add(JsonSupport.readTree(ActionJson.write(sidecar), "sidecarFiles").get("sidecar"));
        }
      });
    });
    if (!lc.tags().isEmpty()) {
      ObjectNode tags = root.putObject("tags");
      lc.tags().forEach(tags::put);
    }
    return root;
  }
}
