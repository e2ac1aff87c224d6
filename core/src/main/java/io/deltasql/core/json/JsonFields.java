package io.deltasql.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, checked access to the fields of one JSON object of the log (an action or an object
 * nested in one). A JSON {@code null} counts as absent. A missing required field or a value of
 * the wrong type is a {@code DATA_CORRUPTED} error naming the owner (the action), the field and
 * the source.
 * Fields it is not asked about are ignored.
 */
final class JsonFields {
  private final JsonNode object;
  private final String owner;
  private final String prefix;
  private final String source;

  private JsonFields(JsonNode object, String owner, String prefix, String source) {
    this.object = object;
    this.owner = owner;
    this.prefix = prefix;
    this.source = source;
  }

  /** The fields of {@code value}, the body of action {@code action}; it must be an object. */
  static JsonFields of(JsonNode value, String action, String source) {
    return ofObject(value, "action '" + action + "'", source);
  }

  /**
   * The fields of {@code value}, which must be an object.
   *
   * @param owner what the object is, for errors, e.g. {@code "action 'add'"}
   */
  static JsonFields ofObject(JsonNode value, String owner, String source) {
    if (!value.isObject()) {
      throw JsonErrors.corrupt(source, owner + " must be a JSON object, found "
          + JsonErrors.describe(value));
    }
    return new JsonFields(value, owner, "", source);
  }

  String source() {
    return source;
  }

  private JsonNode value(String name) {
    JsonNode node = object.get(name);
    return node == null || node.isNull() ? null : node;
  }

  private JsonNode required(String name) {
    JsonNode node = value(name);
    if (node == null) {
      throw JsonErrors.missingField(source, owner, prefix + name);
    }
    return node;
  }

  private RuntimeException wrongType(String name, String expected, JsonNode actual) {
    return JsonErrors.wrongType(source, owner, prefix + name, expected, actual);
  }

  boolean has(String name) {
    return value(name) != null;
  }

  String requiredString(String name) {
    return string(name, required(name));
  }

  Optional<String> optionalString(String name) {
    JsonNode node = value(name);
    return node == null ? Optional.empty() : Optional.of(string(name, node));
  }

  private String string(String name, JsonNode node) {
    if (!node.isTextual()) {
      throw wrongType(name, "a string", node);
    }
    return node.textValue();
  }

  long requiredLong(String name) {
    return longValue(name, required(name));
  }

  Optional<Long> optionalLong(String name) {
    JsonNode node = value(name);
    return node == null ? Optional.empty() : Optional.of(longValue(name, node));
  }

  private long longValue(String name, JsonNode node) {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw wrongType(name, "a 64-bit integer", node);
    }
    return node.longValue();
  }

  int requiredInt(String name) {
    return intValue(name, required(name));
  }

  Optional<Integer> optionalInt(String name) {
    JsonNode node = value(name);
    return node == null ? Optional.empty() : Optional.of(intValue(name, node));
  }

  private int intValue(String name, JsonNode node) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw wrongType(name, "a 32-bit integer", node);
    }
    return node.intValue();
  }

  boolean requiredBoolean(String name) {
    return booleanValue(name, required(name));
  }

  Optional<Boolean> optionalBoolean(String name) {
    JsonNode node = value(name);
    return node == null ? Optional.empty() : Optional.of(booleanValue(name, node));
  }

  private boolean booleanValue(String name, JsonNode node) {
    if (!node.isBoolean()) {
      throw wrongType(name, "true or false", node);
    }
    return node.booleanValue();
  }

  /** A string-to-string map; its values may be {@code null} (null partition values). */
  Map<String, String> requiredStringMap(String name) {
    return stringMap(name, required(name));
  }

  /** A string-to-string map, empty when absent. */
  Map<String, String> optionalStringMap(String name) {
    return optionalStringMapIfPresent(name).orElse(Map.of());
  }

  Optional<Map<String, String>> optionalStringMapIfPresent(String name) {
    JsonNode node = value(name);
    return node == null ? Optional.empty() : Optional.of(stringMap(name, node));
  }

  private Map<String, String> stringMap(String name, JsonNode node) {
    if (!node.isObject()) {
      throw wrongType(name, "an object of strings", node);
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      JsonNode v = entry.getValue();
      if (v.isNull()) {
        map.put(entry.getKey(), null);
      } else if (v.isTextual()) {
        map.put(entry.getKey(), v.textValue());
      } else {
        throw wrongType(name + "." + entry.getKey(), "a string or null", v);
      }
    }
    return Collections.unmodifiableMap(map);
  }

  List<String> requiredStringList(String name) {
    return stringList(name, required(name));
  }

  Optional<Set<String>> optionalStringSet(String name) {
    JsonNode node = value(name);
    return node == null ? Optional.empty() : Optional.of(new LinkedHashSet<>(stringList(name, node)));
  }

  private List<String> stringList(String name, JsonNode node) {
    if (!node.isArray()) {
      throw wrongType(name, "an array of strings", node);
    }
    List<String> list = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode element = node.get(i);
      if (!element.isTextual()) {
        throw wrongType(name + "[" + i + "]", "a string", element);
      }
      list.add(element.textValue());
    }
    return List.copyOf(list);
  }

  /** The nested object {@code name}, whose fields report errors as {@code name.field}. */
  JsonFields requiredObject(String name) {
    return nested(name, required(name));
  }

  Optional<JsonFields> optionalObject(String name) {
    JsonNode node = value(name);
    return node == null ? Optional.empty() : Optional.of(nested(name, node));
  }

  private JsonFields nested(String name, JsonNode node) {
    if (!node.isObject()) {
      throw wrongType(name, "an object", node);
    }
    return new JsonFields(node, owner, prefix + name + ".", source);
  }

  /** The nested JSON object {@code name} itself, as the log holds it. */
  Optional<ObjectNode> optionalObjectNode(String name) {
    JsonNode node = value(name);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      throw wrongType(name, "an object", node);
    }
    return Optional.of((ObjectNode) node);
  }

  /** The array {@code name}, if present. */
  Optional<JsonNode> optionalArray(String name) {
    JsonNode node = value(name);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isArray()) {
      throw wrongType(name, "an array", node);
    }
    return Optional.of(node);
  }

  /** Field {@code name} (possibly nested, e.g. {@code deletionVector.offset}) for messages. */
  String path(String name) {
    return prefix + name;
  }

  /** What the object is, e.g. {@code "action 'add'"}. */
  String owner() {
    return owner;
  }
}
