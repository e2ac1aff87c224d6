package io.deltasql.core.json;

import static io.deltasql.core.json.SharedLogParsingTest.assertCorrupt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Schema strings: Spark's byte-for-byte form, every type, and bad schemas. */
class SchemaJsonTest {
  private static final String SOURCE = "t/_delta_log/00000000000000000000.json line 2";

  @TestFactory
  Stream<DynamicTest> everySharedSchemaStringRoundTripsByteForByte() {
    Set<String> schemas = SharedLogFiles.schemaStrings();
    assertTrue(schemas.size() >= 40, "distinct schema strings: " + schemas.size());
    return schemas.stream().map(s -> DynamicTest.dynamicTest(
        s.length() > 80 ? s.substring(0, 80) : s,
        () -> assertEquals(s, SchemaJson.write(SchemaJson.parse(s, SOURCE)))));
  }

  @Test
  void everyCheckpointSchemaOfALastCheckpointFileRoundTripsByteForByte() throws IOException {
    int checked = 0;
    for (Path file : SharedLogFiles.lastCheckpoints()) {
      if (Files.size(file) == 0) {
        continue;
      }
      JsonNode schema = SharedLogFiles.plainTree(Files.readString(file)).get("checkpointSchema");
      if (schema != null) {
        String text = schema.toString();
        assertEquals(text, SchemaJson.write(SchemaJson.parse(text, file.toString())));
        checked++;
      }
    }
    assertTrue(checked >= 8, "checkpoint schemas checked: " + checked);
  }

  @Test
  void everyTypeIsReadAndWritten() {
    ObjectNode metadata = JsonSupport.mapper().createObjectNode();
    metadata.put("delta.columnMapping.id", 5L).put("comment", "a \"quoted\" é")
        .put("ratio", 0.25).putArray("list").add(1L).add("x").addNull();
    metadata.putObject("delta.columnMapping.nested.ids").put("col-a.element", 100L);
    List<StructField> fields = new ArrayList<>();
    for (PrimitiveType type : PrimitiveType.values()) {
      fields.add(new StructField("c_" + type.typeName(), type, true, empty()));
    }
    fields.add(new StructField("dec", new DecimalType(38, 18), false, empty()));
    fields.add(new StructField("arr", new ArrayType(PrimitiveType.LONG, false), true, metadata));
    fields.add(new StructField("map", new MapType(PrimitiveType.STRING,
        new ArrayType(new StructType(List.of(
            new StructField("x", PrimitiveType.INTEGER, false, empty()))), true), true),
        true, empty()));
    StructType schema = new StructType(fields);
    String json = SchemaJson.write(schema);
    assertEquals(schema, SchemaJson.parse(json));
    assertEquals(json, SchemaJson.write(SchemaJson.parse(json)));
    assertTrue(json.contains("{\"name\":\"dec\",\"type\":\"decimal(38,18)\",\"nullable\":false,"
        + "\"metadata\":{}}"));
    assertTrue(json.contains("\"type\":{\"type\":\"array\",\"elementType\":\"long\","
        + "\"containsNull\":false}"));
    assertTrue(json.contains("\"type\":{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":"
        + "{\"type\":\"array\",\"elementType\":{\"type\":\"struct\",\"fields\":[{\"name\":\"x\""));
    assertTrue(json.contains("\"ratio\":0.25"));
  }

  @Test
  void protocolExampleIsRead() {
    String example = """
        {
          "type" : "struct",
          "fields" : [ {
            "name" : "a", "type" : "integer", "nullable" : false, "metadata" : { }
          }, {
            "name" : "e",
            "type" : {
              "type" : "array",
              "elementType" : {
                "type" : "struct",
                "fields" : [ {"name" : "d", "type" : "integer", "nullable" : false, "metadata" : { }} ]
              },
              "containsNull" : true
            },
            "nullable" : true,
            "metadata" : { }
          }, {
            "name" : "f",
            "type" : {"type" : "map", "keyType" : "string", "valueType" : "string",
                      "valueContainsNull" : true},
            "nullable" : true,
            "metadata" : { }
          } ]
        }""";
    StructType schema = SchemaJson.parse(example);
    assertEquals(List.of("a", "e", "f"), schema.fieldNames());
    ArrayType e = (ArrayType) schema.fields().get(1).type();
    assertEquals(new StructType(List.of(new StructField("d", PrimitiveType.INTEGER, false,
        empty()))), e.elementType());
    assertEquals(new MapType(PrimitiveType.STRING, PrimitiveType.STRING, true),
        schema.fields().get(2).type());
  }

  static Stream<Arguments> otherWritersForms() {
    return Stream.of(
        Arguments.of("\"decimal(10, 2)\"", new DecimalType(10, 2)),
        Arguments.of("\"decimal( 5 ,0 )\"", new DecimalType(5, 0)),
        Arguments.of("\"decimal\"", new DecimalType(10, 0)),
        Arguments.of("{\"type\":\"variant\"}", PrimitiveType.VARIANT),
        Arguments.of("\"timestamp_ntz\"", PrimitiveType.TIMESTAMP_NTZ));
  }

  @ParameterizedTest
  @MethodSource("otherWritersForms")
  void otherWritersFormsAreReadAndNormalised(String typeJson, DataType expected) {
    StructType schema = SchemaJson.parse(field(typeJson));
    assertEquals(expected, schema.fields().get(0).type());
    assertEquals(field("\"" + expected.typeName() + "\""), SchemaJson.write(schema));
  }

  @Test
  void fieldWithoutMetadataGetsEmptyMetadata() {
    StructType schema = SchemaJson.parse(
        "{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true}]}");
    assertEquals(empty(), schema.fields().get(0).metadata());
    assertEquals(field("\"long\""), SchemaJson.write(schema));
  }

  @Test
  void writesAnyTypeAlone() {
    assertEquals("\"decimal(5,1)\"", SchemaJson.write((DataType) new DecimalType(5, 1)));
    assertEquals("{\"type\":\"array\",\"elementType\":\"string\",\"containsNull\":true}",
        SchemaJson.write(new ArrayType(PrimitiveType.STRING, true)));
  }

  static Stream<Arguments> badSchemas() {
    return Stream.of(
        Arguments.of(field("\"interval\""), List.of("unknown type 'interval'", "'a'")),
        Arguments.of(field("\"void\""), List.of("unknown type 'void'")),
        Arguments.of(field("{\"type\":\"udt\",\"class\":\"x.Y\"}"), List.of("unknown type 'udt'")),
        Arguments.of(field("{\"type\":\"array\",\"elementType\":{\"type\":\"struct\",\"fields\":"
            + "[{\"name\":\"b\",\"type\":\"int\",\"nullable\":true,\"metadata\":{}}]},"
            + "\"containsNull\":true}"), List.of("unknown type 'int'", "'a.element.b'")),
        Arguments.of(field("\"decimal(39,2)\""), List.of("decimal(39,2)")),
        Arguments.of(field("\"decimal(5,-1)\""), List.of("decimal(5,-1)")),
        Arguments.of(field("{\"type\":\"array\",\"elementType\":\"long\"}"),
            List.of("'containsNull'")),
        Arguments.of(field("{\"type\":\"map\",\"keyType\":\"long\",\"valueContainsNull\":true}"),
            List.of("'valueType'")),
        Arguments.of(field("7"), List.of("type name or an object")),
        Arguments.of("{\"type\":\"struct\",\"fields\":[{\"type\":\"long\",\"nullable\":true}]}",
            List.of("'name'")),
        Arguments.of("{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}",
            List.of("'nullable'")),
        Arguments.of("{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\","
            + "\"nullable\":true,\"metadata\":[]}]}", List.of("'metadata'")),
        Arguments.of("{\"type\":\"struct\"}", List.of("'fields'")),
        Arguments.of("\"long\"", List.of("must be a struct")),
        Arguments.of("{\"type\":\"struct\",\"fields\":[", List.of("not valid JSON")),
        Arguments.of("", List.of("empty")));
  }

  @ParameterizedTest
  @MethodSource("badSchemas")
  void badSchemasAreDataCorruptedErrors(String schema, List<String> mentions) {
    DeltaException e = assertThrows(DeltaException.class, () -> SchemaJson.parse(schema, SOURCE));
    assertCorrupt(e, SOURCE);
    assertCorrupt(e, mentions.toArray(String[]::new));
  }

  @Test
  void deeplyNestedSchemaWithinTheLimitIsRead() {
    DataType type = PrimitiveType.INTEGER;
    for (int i = 0; i < 200; i++) {
      type = new ArrayType(type, true);
    }
    StructType schema = new StructType(List.of(new StructField("deep", type, true, empty())));
    assertEquals(schema, SchemaJson.parse(SchemaJson.write(schema)));
  }

  private static String field(String typeJson) {
    return "{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":" + typeJson
        + ",\"nullable\":true,\"metadata\":{}}]}";
  }

  private static ObjectNode empty() {
    return JsonSupport.mapper().createObjectNode();
  }
}
