package io.deltasql.core.json;

import static io.deltasql.core.json.SharedLogParsingTest.assertCorrupt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.actions.Sidecar;
import io.deltasql.core.errors.DeltaException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Single log lines: the canonical form of each action, and every way a line can be corrupt. */
class ActionJsonTest {
  private static final String SOURCE = "t/_delta_log/00000000000000000003.json line 2";

  private static final String FULL_ADD = "{\"add\":{"
      + "\"path\":\"part=1/file%20a.parquet\","
      + "\"partitionValues\":{\"part\":\"1\",\"other\":null},"
      + "\"size\":1234,"
      + "\"modificationTime\":1700000000000,"
      + "\"dataChange\":true,"
      + "\"stats\":\"{\\\"numRecords\\\":10,\\\"tightBounds\\\":false}\","
      + "\"tags\":{\"INSERTION_TIME\":\"1700000000000000\",\"OPTIMIZE_TARGET_SIZE\":\"268435456\"},"
      + "\"deletionVector\":{\"storageType\":\"u\",\"pathOrInlineDv\":\"ab^-aqEH.-t@S}K{vb[*k^\","
      + "\"offset\":4,\"sizeInBytes\":40,\"cardinality\":6},"
      + "\"baseRowId\":4071,"
      + "\"defaultRowCommitVersion\":41,"
      + "\"clusteringProvider\":\"liquid\"}}";

  private static Map<String, String> partitionValues() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("part", "1");
    values.put("other", null);
    return values;
  }

  private static final DeletionVectorDescriptor DV =
      new DeletionVectorDescriptor("u", "ab^-aqEH.-t@S}K{vb[*k^", Optional.of(4), 40, 6);

  @Test
  void addWithEveryFieldRoundTripsByteForByte() {
    AddFile expected = new AddFile("part=1/file%20a.parquet", partitionValues(), 1234,
        1700000000000L, true, Optional.of("{\"numRecords\":10,\"tightBounds\":false}"),
        Map.of("INSERTION_TIME", "1700000000000000", "OPTIMIZE_TARGET_SIZE", "268435456"),
        Optional.of(DV), Optional.of(4071L), Optional.of(41L), Optional.of("liquid"));
    Action parsed = ActionJson.parse(FULL_ADD, SOURCE).orElseThrow();
    assertEquals(expected, parsed);
    assertEquals(FULL_ADD, ActionJson.write(parsed));
    assertTrue(ActionJson.write(parsed).contains("\"other\":null"));
  }

  static Stream<Arguments> canonicalLines() {
    ObjectNode info = JsonSupport.mapper().createObjectNode();
    info.put("timestamp", 1700000000000L).put("inCommitTimestamp", 1700000000001L)
        .put("operation", "WRITE").putObject("operationParameters").put("mode", "Append");
    Map<String, String> configuration = new LinkedHashMap<>();
    configuration.put("delta.enableDeletionVectors", "true");
    configuration.put("delta.checkpointInterval", "2");
    return Stream.of(
        Arguments.of(AddFile.of("a.parquet", Map.of(), 10, 20, Optional.empty()),
            "{\"add\":{\"path\":\"a.parquet\",\"partitionValues\":{},\"size\":10,"
                + "\"modificationTime\":20,\"dataChange\":true}}"),
        Arguments.of(new RemoveFile("a.parquet", Optional.of(30L), true, Optional.of(true),
                Optional.of(Map.of()), Optional.of(10L), Optional.of("{}"), Map.of("k", "v"),
                Optional.of(DV), Optional.of(1L), Optional.of(2L)),
            "{\"remove\":{\"path\":\"a.parquet\",\"deletionTimestamp\":30,\"dataChange\":true,"
                + "\"extendedFileMetadata\":true,\"partitionValues\":{},\"size\":10,"
                + "\"tags\":{\"k\":\"v\"},\"deletionVector\":{\"storageType\":\"u\","
                + "\"pathOrInlineDv\":\"ab^-aqEH.-t@S}K{vb[*k^\",\"offset\":4,\"sizeInBytes\":40,"
                + "\"cardinality\":6},\"baseRowId\":1,\"defaultRowCommitVersion\":2,"
                + "\"stats\":\"{}\"}}"),
        Arguments.of(new RemoveFile("old.parquet", Optional.empty(), false, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty(),
                Optional.empty(), Optional.empty()),
            "{\"remove\":{\"path\":\"old.parquet\",\"dataChange\":false}}"),
        Arguments.of(new AddCdcFile("_change_data/c.parquet", Map.of("p", "x"), 5, false,
                Map.of()),
            "{\"cdc\":{\"path\":\"_change_data/c.parquet\",\"partitionValues\":{\"p\":\"x\"},"
                + "\"size\":5,\"dataChange\":false}}"),
        Arguments.of(new Metadata("id-1", Optional.of("t"), Optional.of("d"),
                new Format("parquet", Map.of()), "{\"type\":\"struct\",\"fields\":[]}",
                List.of("p"), configuration, Optional.of(99L)),
            "{\"metaData\":{\"id\":\"id-1\",\"name\":\"t\",\"description\":\"d\","
                + "\"format\":{\"provider\":\"parquet\",\"options\":{}},"
                + "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
                + "\"partitionColumns\":[\"p\"],\"configuration\":{"
                + "\"delta.enableDeletionVectors\":\"true\",\"delta.checkpointInterval\":\"2\"},"
                + "\"createdTime\":99}}"),
        Arguments.of(new Protocol(1, 2),
            "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}"),
        Arguments.of(new Protocol(1, 7, Set(), Set("appendOnly", "invariants")),
            "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,"
                + "\"writerFeatures\":[\"appendOnly\",\"invariants\"]}}"),
        Arguments.of(new Protocol(3, 7, Set(), Set()),
            "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                + "\"readerFeatures\":[],\"writerFeatures\":[]}}"),
        Arguments.of(new CommitInfo(info),
            "{\"commitInfo\":{\"timestamp\":1700000000000,\"inCommitTimestamp\":1700000000001,"
                + "\"operation\":\"WRITE\",\"operationParameters\":{\"mode\":\"Append\"}}}"),
        Arguments.of(new SetTransaction("app", 4, Optional.of(5L)),
            "{\"txn\":{\"appId\":\"app\",\"version\":4,\"lastUpdated\":5}}"),
        Arguments.of(new DomainMetadata("delta.rowTracking", "{\"rowIdHighWaterMark\":7}", false),
            "{\"domainMetadata\":{\"domain\":\"delta.rowTracking\","
                + "\"configuration\":\"{\\\"rowIdHighWaterMark\\\":7}\",\"removed\":false}}"),
        Arguments.of(new CheckpointMetadata(2, Map.of()),
            "{\"checkpointMetadata\":{\"version\":2}}"),
        Arguments.of(new Sidecar("s.parquet", 3, 4, Map.of("t", "u")),
            "{\"sidecar\":{\"path\":\"s.parquet\",\"sizeInBytes\":3,\"modificationTime\":4,"
                + "\"tags\":{\"t\":\"u\"}}}"));
  }

  @SafeVarargs
  private static <T> java.util.Set<T> Set(T... values) {
    return new LinkedHashSet<>(List.of(values));
  }

  @ParameterizedTest
  @MethodSource("canonicalLines")
  void eachActionHasOneCanonicalLine(Action action, String line) {
    assertEquals(line, ActionJson.write(action));
    assertEquals(Optional.of(action), ActionJson.parse(line, SOURCE));
  }

  @Test
  void unknownActionsAreEmptyAndUnknownFieldsIgnored() {
    assertEquals(Optional.empty(), ActionJson.parse("{\"some_new_action\":{\"a\":1}}", SOURCE));
    assertEquals(Optional.empty(), ActionJson.parse("{}", SOURCE));
    assertEquals(Optional.empty(), ActionJson.parse("{\"add\":null}", SOURCE));
    Action add = ActionJson.parse("{\"add\":{\"path\":\"a\",\"future\":{\"x\":[1]},"
        + "\"partitionValues\":{},\"size\":1,\"modificationTime\":2,\"dataChange\":false},"
        + "\"alongside\":[\"a\",\"1\"]}", SOURCE).orElseThrow();
    assertEquals(AddFile.of("a", Map.of(), 1, 2, Optional.empty()).withDataChange(false), add);
  }

  @Test
  void nullOptionalFieldsAreAbsent() {
    Action add = ActionJson.parse("{\"add\":{\"path\":\"a\",\"size\":1,\"partitionValues\":{},"
        + "\"modificationTime\":2,\"dataChange\":true,\"stats\":null,\"tags\":null,"
        + "\"deletionVector\":null}}", SOURCE).orElseThrow();
    assertEquals(AddFile.of("a", Map.of(), 1, 2, Optional.empty()), add);
  }

  @Test
  void emptyFeatureListsOfOldProtocolVersionsAreDropped() {
    Action protocol = ActionJson.parse("{\"protocol\":{\"minReaderVersion\":1,"
        + "\"minWriterVersion\":2,\"readerFeatures\":[],\"writerFeatures\":[]}}", SOURCE)
        .orElseThrow();
    assertEquals(new Protocol(1, 2), protocol);
  }

  @Test
  void writerRefusesFeaturesTheVersionsCannotList() {
    Protocol protocol = new Protocol(2, 5, Set("columnMapping"), Set());
    assertThrows(IllegalArgumentException.class, () -> ActionJson.write(protocol));
  }

  static Stream<Arguments> corruptLines() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    String deepAction = "{\"commitInfo\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2001);
    return Stream.of(
        Arguments.of("truncated line", "{\"add\":{\"path\":\"a\",\"size\":1",
            List.of("not valid JSON")),
        Arguments.of("empty add", "{\"add\":{}}", List.of("'add'", "'path'")),
        Arguments.of("add without size", "{\"add\":{\"path\":\"a\",\"partitionValues\":{},"
            + "\"modificationTime\":2,\"dataChange\":true}}", List.of("'add'", "'size'")),
        Arguments.of("size not a number", "{\"add\":{\"path\":\"a\",\"partitionValues\":{},"
            + "\"size\":\"abc\",\"modificationTime\":2,\"dataChange\":true}}",
            List.of("'add'", "'size'", "\"abc\"")),
        Arguments.of("size a fraction", "{\"add\":{\"path\":\"a\",\"partitionValues\":{},"
            + "\"size\":1.5,\"modificationTime\":2,\"dataChange\":true}}",
            List.of("'add'", "'size'", "1.5")),
        Arguments.of("size beyond long", "{\"add\":{\"path\":\"a\",\"partitionValues\":{},"
            + "\"size\":99999999999999999999,\"modificationTime\":2,\"dataChange\":true}}",
            List.of("'add'", "'size'")),
        Arguments.of("dataChange a string", "{\"add\":{\"path\":\"a\",\"partitionValues\":{},"
            + "\"size\":1,\"modificationTime\":2,\"dataChange\":\"true\"}}",
            List.of("'add'", "'dataChange'")),
        Arguments.of("partition value a number", "{\"add\":{\"path\":\"a\","
            + "\"partitionValues\":{\"p\":1},\"size\":1,\"modificationTime\":2,"
            + "\"dataChange\":true}}", List.of("'add'", "'partitionValues.p'")),
        Arguments.of("deletion vector without cardinality", "{\"add\":{\"path\":\"a\","
            + "\"partitionValues\":{},\"size\":1,\"modificationTime\":2,\"dataChange\":true,"
            + "\"deletionVector\":{\"storageType\":\"i\",\"pathOrInlineDv\":\"x\","
            + "\"sizeInBytes\":1}}}", List.of("'add'", "'deletionVector.cardinality'")),
        Arguments.of("deletion vector offset beyond int", "{\"remove\":{\"path\":\"a\","
            + "\"dataChange\":true,\"deletionVector\":{\"storageType\":\"u\","
            + "\"pathOrInlineDv\":\"x\",\"offset\":4294967296,\"sizeInBytes\":1,"
            + "\"cardinality\":1}}}", List.of("'remove'", "'deletionVector.offset'")),
        Arguments.of("metaData without schemaString", "{\"metaData\":{\"id\":\"x\","
            + "\"format\":{\"provider\":\"parquet\",\"options\":{}},\"partitionColumns\":[],"
            + "\"configuration\":{}}}", List.of("'metaData'", "'schemaString'")),
        Arguments.of("metaData format without provider", "{\"metaData\":{\"id\":\"x\","
            + "\"format\":{},\"schemaString\":\"{}\",\"partitionColumns\":[],"
            + "\"configuration\":{}}}", List.of("'metaData'", "'format.provider'")),
        Arguments.of("protocol without versions", "{\"protocol\":{}}",
            List.of("'protocol'", "'minReaderVersion'")),
        Arguments.of("protocol without writer version", "{\"protocol\":{\"minReaderVersion\":1}}",
            List.of("'protocol'", "'minWriterVersion'")),
        Arguments.of("reader features below version 3", "{\"protocol\":{\"minReaderVersion\":2,"
            + "\"minWriterVersion\":7,\"readerFeatures\":[\"columnMapping\"],"
            + "\"writerFeatures\":[\"columnMapping\"]}}",
            List.of("'protocol'", "'readerFeatures'", "columnMapping")),
        Arguments.of("txn without appId", "{\"txn\":{\"version\":1}}", List.of("'txn'", "'appId'")),
        Arguments.of("sidecar without size", "{\"sidecar\":{\"path\":\"s\","
            + "\"modificationTime\":1}}", List.of("'sidecar'", "'sizeInBytes'")),
        Arguments.of("commitInfo not an object", "{\"commitInfo\":5}",
            List.of("'commitInfo'", "object")),
        Arguments.of("add an array", "{\"add\":[]}", List.of("'add'", "object")),
        Arguments.of("array line", "[1,2]", List.of("JSON object")),
        Arguments.of("number line", "42", List.of("JSON object")),
        Arguments.of("string line", "\"add\"", List.of("JSON object")),
        Arguments.of("two actions in a line", "{\"txn\":{\"appId\":\"a\",\"version\":1},"
            + "\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}",
            List.of("two actions", "'txn'", "'protocol'")),
        Arguments.of("trailing content", "{\"txn\":{\"appId\":\"a\",\"version\":1}} x",
            List.of("not valid JSON")),
        Arguments.of("duplicate key", "{\"txn\":{\"appId\":\"a\",\"appId\":\"b\",\"version\":1}}",
            List.of("not valid JSON", "appId")),
        Arguments.of("absurdly nested arrays", deep, List.of("not valid JSON", "nesting")),
        Arguments.of("absurdly nested commitInfo", deepAction,
            List.of("not valid JSON", "nesting")),
        Arguments.of("blank line", "  ", List.of("empty")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptLines")
  void corruptLinesAreDataCorruptedErrorsNamingTheSource(
      String name, String line, List<String> mentions) {
    DeltaException e = assertThrows(DeltaException.class, () -> ActionJson.parse(line, SOURCE));
    assertCorrupt(e, SOURCE);
    assertCorrupt(e, mentions.toArray(String[]::new));
  }

  @Test
  void invalidUtf8IsCorrupt() {
    byte[] bytes = {'{', '"', 't', 'x', 'n', '"', ':', (byte) 0xC3, (byte) 0x28, '}'};
    DeltaException e = assertThrows(DeltaException.class,
        () -> ActionJson.parse(bytes, 0, bytes.length, SOURCE));
    assertCorrupt(e, SOURCE, "not valid JSON");
  }
}
