package io.deltasql.core.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Builders of the actions the catalog tests commit. */
final class TestActions {
  static final long T0 = 1_767_000_000_000L;
  static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestActions() {}

  static Protocol protocol() {
    return new Protocol(3, 7, Set.of("deletionVectors"), Set.of("deletionVectors", "inCommitTimestamp"));
  }

  static Metadata metadata(List<String> partitionColumns) {
    return new Metadata("6c2b8a0e-0000-4000-8000-000000000001", Optional.of("t"), Optional.empty(),
        Format.PARQUET, SCHEMA, partitionColumns, Map.of("delta.enableInCommitTimestamps", "true"),
        Optional.of(T0));
  }

  /** A commitInfo written the way a log reader would parse it (so JSON node types match). */
  static CommitInfo commitInfo(long inCommitTimestamp, String operation) {
    String json = "{\"inCommitTimestamp\":" + inCommitTimestamp + ",\"timestamp\":" + inCommitTimestamp
        + ",\"operation\":\"" + operation + "\",\"operationParameters\":{\"mode\":\"Append\","
        + "\"partitionBy\":\"[\\\"p\\\"]\"},\"engineInfo\":\"deltasql-test\"}";
    try {
      return new CommitInfo((ObjectNode) MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** Version 0 of a table partitioned by {@code p}. */
  static List<Action> create(long inCommitTimestamp) {
    return List.of(commitInfo(inCommitTimestamp, "CREATE TABLE"), protocol(), metadata(List.of("p")));
  }

  /** A data file of partition {@code p} (null: the null partition) with statistics. */
  static AddFile add(String path, String p, long size) {
    Map<String, String> partition = new HashMap<>();
    partition.put("p", p);
    return new AddFile(path, partition, size, T0 + size, true,
        Optional.of("{\"numRecords\":" + size + ",\"minValues\":{\"id\":1},\"maxValues\":{\"id\":" + size + "}}"),
        Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  static AddFile withDv(AddFile file, String dvPath, long cardinality) {
    DeletionVectorDescriptor dv = new DeletionVectorDescriptor("u", dvPath, Optional.of(1), 40, cardinality);
    return new AddFile(file.path(), file.partitionValues(), file.size(), file.modificationTime(), true, file.stats(),
        Map.of("INSERTION_TIME", "1"), Optional.of(dv), Optional.of(7L), Optional.of(3L), Optional.empty());
  }

  static RemoveFile remove(AddFile file, long timestamp) {
    return file.toRemove(timestamp, true);
  }

  static String txnId() {
    return UUID.randomUUID().toString();
  }

  /** A unique table name for one test. */
  static String tableName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  /** Actions with a commitInfo first. */
  static List<Action> commit(long inCommitTimestamp, String operation, Action... actions) {
    List<Action> result = new ArrayList<>();
    result.add(commitInfo(inCommitTimestamp, operation));
    result.addAll(List.of(actions));
    return result;
  }
}
