package io.deltasql.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Random schemas (nested types, odd names, metadata of any shape) survive parse and write. */
class SchemaJsonProperties {
  private static final int MAX_DEPTH = 4;

  @Property(tries = 300)
  void parseInvertsWrite(@ForAll("schemas") StructType schema) {
    String json = SchemaJson.write(schema);
    StructType parsed = SchemaJson.parse(json);
    assertEquals(schema, parsed);
    assertEquals(json, SchemaJson.write(parsed));
  }

  @Property(tries = 100)
  void schemaStringSurvivesAMetadataActionLine(@ForAll("schemas") StructType schema) {
    Metadata metadata = new Metadata("id", Optional.empty(), Optional.empty(), Format.PARQUET,
        SchemaJson.write(schema), List.of(), Map.of(), Optional.of(1L));
    Metadata parsed = (Metadata) ActionJson.parse(ActionJson.write(metadata), "line")
        .orElseThrow();
    assertEquals(schema, SchemaJson.parse(parsed.schemaString()));
  }

  @Provide
  Arbitrary<StructType> schemas() {
    return struct(MAX_DEPTH);
  }

  private Arbitrary<StructType> struct(int depth) {
    Arbitrary<StructField> field = Combinators.combine(
        names(), Arbitraries.lazy(() -> type(depth - 1)), Arbitraries.of(true, false),
        metadata()).as(StructField::new);
    return field.list().ofMaxSize(depth == MAX_DEPTH ? 8 : 4).map(StructType::new);
  }

  private Arbitrary<DataType> type(int depth) {
    Arbitrary<DataType> primitive = Arbitraries.of(PrimitiveType.class).map(DataType.class::cast);
    Arbitrary<DataType> decimal = Arbitraries.integers().between(1, DecimalType.MAX_PRECISION)
        .flatMap(p -> Arbitraries.integers().between(0, p).map(s -> new DecimalType(p, s)));
    if (depth <= 0) {
      return Arbitraries.oneOf(primitive, decimal);
    }
    Arbitrary<DataType> element = Arbitraries.lazy(() -> type(depth - 1));
    Arbitrary<DataType> array = Combinators.combine(element, Arbitraries.of(true, false))
        .as(ArrayType::new);
    Arbitrary<DataType> map = Combinators.combine(element, element, Arbitraries.of(true, false))
        .as(MapType::new);
    Arbitrary<DataType> struct = struct(depth).map(DataType.class::cast);
    return Arbitraries.frequencyOf(
        Tuple.of(6, primitive), Tuple.of(2, decimal),
        Tuple.of(1, array), Tuple.of(1, map),
        Tuple.of(1, struct));
  }

  /** Names: plain, any BMP text (quotes, backslashes, control characters), emoji, odd cases. */
  private Arbitrary<String> names() {
    Arbitrary<String> plain = Arbitraries.strings().alpha().numeric().withChars('_')
        .ofMinLength(1).ofMaxLength(10);
    Arbitrary<String> anyText = Arbitraries.strings()
        .withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\ufffd')
        .ofMaxLength(12);
    Arbitrary<String> odd = Arbitraries.of("", " ", "\"", "\\", "\"quoted\"", "a.b", "col-\u00e9",
        "\u65e5\u672c\u8a9e", "emoji \ud83d\ude00", "tab\tnew\nline", "\u0000", "</script>",
        "\u2028\u2029", "{\"type\":\"struct\"}");
    return Arbitraries.oneOf(plain, anyText, odd);
  }

  /** Field metadata: an object of any JSON shape, numbers as Spark keeps them (long, double). */
  private Arbitrary<ObjectNode> metadata() {
    return Arbitraries.lazy(() -> object(2)).injectNull(0.0);
  }

  private Arbitrary<ObjectNode> object(int depth) {
    return Combinators.combine(names(), value(depth)).as(Map::entry).list().ofMaxSize(3)
        .map(entries -> {
          ObjectNode node = JsonNodeFactory.instance.objectNode();
          entries.forEach(e -> node.set(e.getKey(), e.getValue()));
          return node;
        });
  }

  private Arbitrary<JsonNode> value(int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
        Arbitraries.longs().map(f::numberNode),
        Arbitraries.integers().map(i -> f.numberNode((long) i)),
        Arbitraries.doubles().map(f::numberNode),
        Arbitraries.of(1e-7, 1.0e21, -0.0, 0.1, Double.MAX_VALUE, Double.MIN_VALUE)
            .map(f::numberNode),
        names().map(f::textNode),
        Arbitraries.of(true, false).map(f::booleanNode),
        Arbitraries.just(f.nullNode()));
    if (depth <= 0) {
      return scalar;
    }
    Arbitrary<JsonNode> array = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(3)
        .map(values -> {
          ArrayNode node = f.arrayNode();
          values.forEach(node::add);
          return node;
        });
    return Arbitraries.frequencyOf(
        Tuple.of(5, scalar),
        Tuple.of(1, array),
        Tuple.of(1, Arbitraries.lazy(() -> object(depth - 1)).map(JsonNode.class::cast)));
  }
}
