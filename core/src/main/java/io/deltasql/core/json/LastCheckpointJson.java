package io.deltasql.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.Sidecar;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
  private static final String CHECKSUM = "checksum";

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
      String actual = checksum(root);
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
        f.optionalObject("v2Checkpoint").map(v2 -> v2Checkpoint(v2, root.get("v2Checkpoint"))),
        f.optionalStringMap("tags"),
        checksum);
  }

  private static LastCheckpoint.V2Checkpoint v2Checkpoint(JsonFields f, JsonNode node) {
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
    root.put(CHECKSUM, checksum(root));
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

  /**
   * The checksum of a {@code _last_checkpoint} JSON object: the MD5, in lowercase hex, of its
   * canonical form (PROTOCOL.md, "JSON checksum"), the top-level {@code checksum} ignored.
   */
  static String checksum(JsonNode root) {
    List<String[]> pairs = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getKey().equals(CHECKSUM)) {
        canonicalize(quoted(field.getKey()), field.getValue(), pairs);
      }
    }
    pairs.sort((a, b) -> compareUtf8(a[0], b[0]));
    StringBuilder canonical = new StringBuilder();
    for (String[] pair : pairs) {
      if (canonical.length() > 0) {
        canonical.append(',');
      }
      canonical.append(pair[0]).append('=').append(pair[1]);
    }
    return md5(canonical.toString());
  }

  private static void canonicalize(String path, JsonNode node, List<String[]> pairs) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        canonicalize(path + "+" + quoted(field.getKey()), field.getValue(), pairs);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        canonicalize(path + "+" + i, node.get(i), pairs);
      }
    } else if (node.isTextual()) {
      pairs.add(new String[] {path, quoted(node.textValue())});
    } else {
      pairs.add(new String[] {path, node.asText()});
    }
  }

  private static String quoted(String text) {
    return "\"" + urlEncode(text) + "\"";
  }

  /** Percent-encodes every UTF-8 octet but {@code a-z A-Z 0-9 - . _ ~}, in uppercase hex. */
  private static String urlEncode(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  private static int compareUtf8(String a, String b) {
    return java.util.Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String md5(String text) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      return HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has MD5", e);
    }
  }
}
