package io.deltasql.core.txn;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Small builders of actions, schemas and metadata for the transaction tests. Schemas are
 * registered under their {@code toString()}, which serves as the metadata's
 * {@code schemaString}, so that {@link #RESOLVER} needs no JSON parser.
 */
final class TxnFixtures {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  static final String UNPARSEABLE = "{not a schema";

  private static final Map<String, StructType> SCHEMAS = new ConcurrentHashMap<>();

  /** Resolves schemas registered by {@link #metadata}; anything else does not parse. */
  static final SchemaResolver RESOLVER = m -> {
    StructType s = SCHEMAS.get(m.schemaString());
    if (s == null) {
      throw new DeltaException(SqlState.DATA_CORRUPTED, "not a schema: " + m.schemaString());
    }
    return s;
  };

  /** (id long NOT NULL, name string) */
  static final StructType BASE_SCHEMA = struct(field("id", PrimitiveType.LONG, false),
      field("name", PrimitiveType.STRING, true));

  static final Protocol LEGACY = new Protocol(1, 2);

  private TxnFixtures() {}

  static ObjectNode json() {
    return JsonNodeFactory.instance.objectNode();
  }

  static StructField field(String name, DataType type, boolean nullable) {
    return new StructField(name, type, nullable, json());
  }

  static StructType struct(StructField... fields) {
    return new StructType(Arrays.asList(fields));
  }

  static AddFile add(String path) {
    return AddFile.of(path, Map.of(), 100, 0, Optional.empty());
  }

  static AddFile add(String path, Map<String, String> partitionValues) {
    return AddFile.of(path, partitionValues, 100, 0, Optional.empty());
  }

  static RemoveFile remove(String path) {
    return add(path).toRemove(1, true);
  }

  static Metadata metadata(StructType schema) {
    return metadata("table-id", schema, List.of(), Map.of());
  }

  static Metadata metadata(String id, StructType schema, List<String> partitionColumns,
      Map<String, String> configuration) {
    String key = schema.toString();
    SCHEMAS.put(key, schema);
    return new Metadata(id, Optional.empty(), Optional.empty(), Format.PARQUET, key, partitionColumns,
        configuration, Optional.of(0L));
  }

  static Metadata unparseableMetadata() {
    return new Metadata("table-id", Optional.empty(), Optional.empty(), Format.PARQUET, UNPARSEABLE, List.of(),
        Map.of(), Optional.empty());
  }

  static MultiTableTransaction txn() {
    return txn(IsolationLevel.READ_COMMITTED);
  }

  static MultiTableTransaction txn(IsolationLevel level) {
    return MultiTableTransaction.builder(MultiTableConfig.defaults()).isolationLevel(level).clock(CLOCK).begin();
  }
}
