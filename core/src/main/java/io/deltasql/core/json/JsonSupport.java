package io.deltasql.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The one configured Jackson {@link ObjectMapper} of deltasql, and the few reads and writes
 * that every JSON class here shares.
 *
 * <p>Reading is strict where the Delta log needs it: trailing content after a value, duplicate
 * keys and nesting deeper than {@value #MAX_NESTING_DEPTH} are errors. Numbers are exact:
 * integers become {@code int}/{@code long}/{@code BigInteger} nodes and fractions become
 * {@code BigDecimal} nodes that keep their scale ({@code 1.50} stays {@code 1.50}), so decimal
 * statistics survive a read and a write. Unknown properties never fail a binding (the
 * protocol asks readers to ignore fields they do not know).
 *
 * <p>Schema strings are the exception: Spark keeps field metadata numbers as {@code long} or
 * {@code double}, so schemas are read with a reader that keeps them as such; Spark's own rendering
 * of a double ({@code Double.toString}) is then reproduced byte for byte.
 */
public final class JsonSupport {
  /** The deepest JSON nesting accepted in any log content. */
  public static final int MAX_NESTING_DEPTH = 1000;

  private static final ObjectMapper MAPPER = createMapper();
  private static final ObjectReader SPARK_METADATA_READER = MAPPER.reader()
      .without(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .with(DeserializationFeature.USE_LONG_FOR_INTS);

  private JsonSupport() {}

  private static ObjectMapper createMapper() {
    JsonFactory factory = new JsonFactoryBuilder()
        .rootValueSeparator((String) null)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
        .build();
    return JsonMapper.builder(factory)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
        .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
        .build();
  }

  /** The shared mapper. Its configuration must not be changed. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * A reader of the shared mapper that reads numbers as Spark keeps field metadata: integers
   * as {@code long} nodes, fractions as {@code double} nodes.
   */
  static ObjectReader sparkMetadataReader() {
    return SPARK_METADATA_READER;
  }

  /**
   * Parses one JSON value.
   *
   * @param source what the text is, for error messages (e.g. a file name and line number)
   * @throws io.deltasql.core.errors.DeltaException {@code XX001} if it is not valid JSON
   */
  public static JsonNode readTree(String json, String source) {
    return readTree(MAPPER.reader(), json, source);
  }

  /** Parses the UTF-8 JSON value in {@code bytes[offset, offset + length)}. */
  public static JsonNode readTree(byte[] bytes, int offset, int length, String source) {
    try {
      JsonNode node = MAPPER.reader().readTree(bytes, offset, length);
      return requireContent(node, source);
    } catch (JsonProcessingException e) {
      throw JsonErrors.notJson(source, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readTree(ObjectReader reader, String json, String source) {
    try {
      return requireContent(reader.readTree(json), source);
    } catch (JsonProcessingException e) {
      throw JsonErrors.notJson(source, e);
    }
  }

  private static JsonNode requireContent(JsonNode node, String source) {
    if (node == null || node.isMissingNode()) {
      throw JsonErrors.corrupt(source, "it is empty, where a JSON value was expected");
    }
    return node;
  }

  /** Writes a JSON value on one line, compactly. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree could not be written", e);
    }
  }

  /** Runs {@code body} on a compact generator and returns what it wrote. */
  static String writeString(GeneratorBody body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = MAPPER.createGenerator(out)) {
      body.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Runs {@code body} on a compact UTF-8 generator writing to {@code out}. */
  static void writeBytes(ByteArrayOutputStream out, GeneratorBody body) {
    try (JsonGenerator generator = MAPPER.createGenerator(out)) {
      body.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Something that writes JSON on a generator. */
  @FunctionalInterface
  interface GeneratorBody {
    void write(JsonGenerator generator) throws IOException;
  }
}
