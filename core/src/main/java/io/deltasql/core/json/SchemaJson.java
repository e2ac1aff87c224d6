package io.deltasql.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table schema as Delta writes it in {@code metaData.schemaString} (PROTOCOL.md, "Schema
 * Serialization Format", a subset of Spark's JSON schema).
 *
 * <p>{@link #write} produces exactly what Spark produces, so a schema string written by Spark
 * round-trips byte for byte: keys in Spark's order ({@code name, type, nullable, metadata};
 * {@code type, elementType, containsNull}; {@code type, keyType, valueType,
 * valueContainsNull}), no spaces, field metadata as it was read.
 *
 * <p>{@link #parse} also accepts forms other writers use: {@code decimal(p, s)} with spaces,
 * plain {@code decimal} (Spark's {@code decimal(10,0)}), a primitive written as
 * {@code {"type":"variant"}}, and a field without {@code metadata}. Those normalise to Spark's
 * form when written again. An unknown type name is a {@code DATA_CORRUPTED} error naming it.
 *
 * <p>Field metadata numbers are read as Spark holds them: integers as {@code long} nodes,
 * fractions as {@code double} nodes. Build metadata the same way ({@code put(key, 5L)}) for a
 * schema to equal its parsed copy.
 */
public final class SchemaJson {
  private static final Pattern DECIMAL =
      Pattern.compile("decimal\\(\\s*(-?\\d{1,9})\\s*,\\s*(-?\\d{1,9})\\s*\\)");
  private static final DecimalType DEFAULT_DECIMAL = new DecimalType(10, 0);

  private SchemaJson() {}

  /** Parses a {@code schemaString}; errors name it as "schemaString". */
  public static StructType parse(String schemaString) {
    return parse(schemaString, "schemaString");
  }

  /**
   * Parses a {@code schemaString}.
   *
   * @param source what the schema belongs to, for errors (e.g. the commit file and line)
   */
  public static StructType parse(String schemaString, String source) {
    Objects.requireNonNull(schemaString, "schemaString");
    Objects.requireNonNull(source, "source");
    JsonNode root = JsonSupport.readTree(JsonSupport.sparkMetadataReader(), schemaString, source);
    DataType type = new Reader(source).type(root, "");
    if (!(type instanceof StructType struct)) {
      throw JsonErrors.corrupt(source, "a table schema must be a struct, found type '"
          + type.typeName() + "'");
    }
    return struct;
  }

  /** The Spark-compatible JSON of {@code schema}, on one line. */
  public static String write(StructType schema) {
    Objects.requireNonNull(schema, "schema");
    return JsonSupport.writeString(g -> writeType(g, schema));
  }

  /** The Spark-compatible JSON of any type: a string for primitives, an object otherwise. */
  public static String write(DataType type) {
    Objects.requireNonNull(type, "type");
    return JsonSupport.writeString(g -> writeType(g, type));
  }

  private static void writeType(JsonGenerator g, DataType type) throws IOException {
    if (type instanceof PrimitiveType || type instanceof DecimalType) {
      g.writeString(type.typeName());
    } else if (type instanceof StructType struct) {
      g.writeStartObject();
      g.writeStringField("type", "struct");
      g.writeArrayFieldStart("fields");
      for (StructField field : struct.fields()) {
        g.writeStartObject();
        g.writeStringField("name", field.name());
        g.writeFieldName("type");
        writeType(g, field.type());
        g.writeBooleanField("nullable", field.nullable());
        g.writeFieldName("metadata");
        g.writeTree(field.metadata());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } else if (type instanceof ArrayType array) {
      g.writeStartObject();
      g.writeStringField("type", "array");
      g.writeFieldName("elementType");
      writeType(g, array.elementType());
      g.writeBooleanField("containsNull", array.containsNull());
      g.writeEndObject();
    } else if (type instanceof MapType map) {
      g.writeStartObject();
      g.writeStringField("type", "map");
      g.writeFieldName("keyType");
      writeType(g, map.keyType());
      g.writeFieldName("valueType");
      writeType(g, map.valueType());
      g.writeBooleanField("valueContainsNull", map.valueContainsNull());
      g.writeEndObject();
    } else {
      throw new IllegalStateException("Unhandled type " + type);
    }
  }

  /** Reads types, naming in errors the column (dotted path) where each problem is. */
  private static final class Reader {
    private final String source;

    Reader(String source) {
      this.source = source;
    }

    DataType type(JsonNode node, String column) {
      if (node.isTextual()) {
        return named(node.textValue(), column);
      }
      if (!node.isObject()) {
        throw problem(column, "a type must be a type name or an object, found "
            + JsonErrors.describe(node));
      }
      String name = string(node, "type", column);
      return switch (name) {
        case "struct" -> struct(node, column);
        case "array" -> new ArrayType(
            type(required(node, "elementType", column), column + ".element"),
            bool(node, "containsNull", column));
        case "map" -> new MapType(
            type(required(node, "keyType", column), column + ".key"),
            type(required(node, "valueType", column), column + ".value"),
            bool(node, "valueContainsNull", column));
        default -> named(name, column);
      };
    }

    private StructType struct(JsonNode node, String column) {
      JsonNode fields = required(node, "fields", column);
      if (!fields.isArray()) {
        throw problem(column, "'fields' must be an array, found " + JsonErrors.describe(fields));
      }
      List<StructField> result = new ArrayList<>(fields.size());
      for (JsonNode field : fields) {
        result.add(field(field, column));
      }
      return new StructType(result);
    }

    private StructField field(JsonNode node, String parent) {
      if (!node.isObject()) {
        throw problem(parent, "a struct field must be an object, found "
            + JsonErrors.describe(node));
      }
      String name = string(node, "name", parent);
      String column = parent.isEmpty() ? name : parent + "." + name;
      DataType type = type(required(node, "type", column), column);
      boolean nullable = bool(node, "nullable", column);
      JsonNode metadata = node.get("metadata");
      ObjectNode meta;
      if (metadata == null || metadata.isNull()) {
        meta = JsonSupport.mapper().createObjectNode();
      } else if (metadata.isObject()) {
        meta = (ObjectNode) metadata;
      } else {
        throw problem(column, "'metadata' must be an object, found "
            + JsonErrors.describe(metadata));
      }
      return new StructField(name, type, nullable, meta);
    }

    private DataType named(String name, String column) {
      Optional<PrimitiveType> primitive = PrimitiveType.fromName(name);
      if (primitive.isPresent()) {
        return primitive.get();
      }
      if (name.equals("decimal")) {
        return DEFAULT_DECIMAL;
      }
      Matcher decimal = DECIMAL.matcher(name);
      if (decimal.matches()) {
        try {
          return new DecimalType(
              Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
        } catch (IllegalArgumentException e) {
          throw problem(column, "type '" + name + "' is not a valid decimal: precision must be"
              + " 1 to " + DecimalType.MAX_PRECISION + " and scale 0 to precision");
        }
      }
      throw problem(column, "unknown type '" + name + "'");
    }

    private JsonNode required(JsonNode node, String key, String column) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        throw problem(column, "'" + key + "' is missing");
      }
      return value;
    }

    private String string(JsonNode node, String key, String column) {
      JsonNode value = required(node, key, column);
      if (!value.isTextual()) {
        throw problem(column, "'" + key + "' must be a string, found "
            + JsonErrors.describe(value));
      }
      return value.textValue();
    }

    private boolean bool(JsonNode node, String key, String column) {
      JsonNode value = required(node, key, column);
      if (!value.isBoolean()) {
        throw problem(column, "'" + key + "' must be true or false, found "
            + JsonErrors.describe(value));
      }
      return value.booleanValue();
    }

    private RuntimeException problem(String column, String problem) {
      String where = column.isEmpty() ? "schema" : "schema column '" + column + "'";
      return JsonErrors.corrupt(source, where + ": " + problem);
    }
  }
}
