package io.deltasql.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The checksum of a {@code _last_checkpoint} file (PROTOCOL.md, "JSON checksum"): every leaf
 * as a {@code path=value} pair with URL-encoded names and strings, sorted by path bytes,
 * joined by commas, then MD5 in lowercase hex.
 */
final class LastCheckpointChecksum {
  /** The top-level field that holds the checksum, itself left out of it. */
  static final String FIELD = "checksum";

  private LastCheckpointChecksum() {}

  /** The checksum of a {@code _last_checkpoint} object; its own {@value #FIELD} is left out. */
  static String of(JsonNode root) {
    List<String[]> pairs = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!field.getKey().equals(FIELD)) {
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
      for (Map.Entry<String, JsonNode> field : node.properties()) {
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
    return Arrays.compareUnsigned(
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
