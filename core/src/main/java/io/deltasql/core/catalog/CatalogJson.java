package io.deltasql.core.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON text columns of the catalog: string maps (null values kept), string lists and
 * sets, and free-form objects (commitInfo). A plain Jackson mapper: the catalog's storage
 * format is its own, independent of how the Delta log serializes actions.
 */
final class CatalogJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

  private CatalogJson() {}

  /** An empty JSON object: the text of every empty map, written without the mapper. */
  private static final String EMPTY_OBJECT = "{}";

  /** A string map as a JSON object, in the map's order. */
  static String map(Map<String, String> map) {
    return map.isEmpty() ? EMPTY_OBJECT : write(map);
  }

  /** A string map as a JSON object, or {@code null} when empty (tags). */
  static String mapOrNull(Map<String, String> map) {
    return map.isEmpty() ? null : write(map);
  }

  /**
   * The canonical JSON of a string map: keys sorted, null values kept. Two maps with the
   * same entries always give the same text, so the column can be compared with {@code =}.
   */
  static String canonicalMap(Map<String, String> map) {
    return map.isEmpty() ? EMPTY_OBJECT : write(new TreeMap<>(map));
  }

  static Map<String, String> readMap(String json, String what) {
    if (json == null || json.isEmpty() || json.equals(EMPTY_OBJECT)) {
      return Map.of();
    }
    try {
      return MAPPER.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw CatalogErrors.corrupt(what + " is not a JSON object of strings", e);
    }
  }

  static Optional<Map<String, String>> readOptionalMap(String json, String what) {
    return json == null ? Optional.empty() : Optional.of(readMap(json, what));
  }

  static String list(List<String> list) {
    return write(list);
  }

  static List<String> readList(String json, String what) {
    if (json == null || json.isEmpty()) {
      return List.of();
    }
    try {
      return MAPPER.readValue(json, STRING_LIST);
    } catch (JsonProcessingException e) {
      throw CatalogErrors.corrupt(what + " is not a JSON array of strings", e);
    }
  }

  /** A set as a JSON array, or {@code null} when empty. */
  static String setOrNull(Set<String> set) {
    return set.isEmpty() ? null : write(List.copyOf(set));
  }

  static Set<String> readSet(String json, String what) {
    return new LinkedHashSet<>(readList(json, what));
  }

  static String object(ObjectNode node) {
    return write(node);
  }

  static ObjectNode readObject(String json, String what) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw CatalogErrors.corrupt(what + " is not a JSON object", null);
    } catch (JsonProcessingException e) {
      throw CatalogErrors.corrupt(what + " is not valid JSON", e);
    }
  }

  /** The fields of a JSON object as text: strings as they are, other values as JSON. */
  static Map<String, String> textFields(JsonNode object) {
    if (object == null || !object.isObject()) {
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      result.put(field.getKey(), value.isTextual() ? value.asText() : value.toString());
    }
    return result;
  }

  private static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new DeltaException(SqlState.INTERNAL_ERROR, "Cannot write a catalog JSON column: "
          + e.getOriginalMessage(), e);
    }
  }
}
