package io.deltasql.core.mirror;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CommitRequest;
import io.deltasql.core.catalog.CommitResult;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.storage.StoragePaths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A table committed to straight through {@link CatalogStore#commit}, with fake data file
 * paths (the mirror never reads data files): version 0 creates it, each later commit
 * appends files, removes one, or changes the Delta configuration. Commits carry in-commit
 * timestamps from the wall clock, strictly increasing.
 */
final class TestTable {
  static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] PARTITIONS = {"a", "b", "c"};

  private final CatalogStore store;
  private final TableInfo info;
  private final List<AddFile> active = new ArrayList<>();
  private Metadata metadata;
  private long version;
  private long lastTimestamp;
  private int files;

  private TestTable(CatalogStore store, TableInfo info, Metadata metadata, long version, long lastTimestamp) {
    this.store = store;
    this.info = info;
    this.metadata = metadata;
    this.version = version;
    this.lastTimestamp = lastTimestamp;
  }

  /** Registers a table at {@code location} and commits version 0 with {@code configuration} added. */
  static TestTable create(CatalogStore store, String location, Map<String, String> configuration) {
    return create(store, location, configuration, false);
  }

  /**
   * Like {@link #create(CatalogStore, String, Map)}; {@code alreadyMirrored} records
   * version 0 as present in the log (an imported table).
   */
  static TestTable create(CatalogStore store, String location, Map<String, String> configuration,
      boolean alreadyMirrored) {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    long timestamp = System.currentTimeMillis();
    Map<String, String> config = new LinkedHashMap<>();
    config.put("delta.enableInCommitTimestamps", "true");
    config.putAll(configuration);
    Metadata metadata = new Metadata(UUID.randomUUID().toString(), Optional.of(name), Optional.empty(),
        Format.PARQUET, SCHEMA, List.of("p"), config, Optional.of(timestamp));
    List<Action> actions = List.of(commitInfo(timestamp, "CREATE TABLE"), protocol(), metadata);
    TableInfo info = store.inTransaction(tx -> {
      TableInfo table = tx.registerTable("main", name, location, Map.of());
      CommitRequest request = CommitRequest.of(table.tableId(), -1, UUID.randomUUID().toString(), actions);
      tx.commit(alreadyMirrored ? request.asAlreadyMirrored() : request);
      return tx.findTable(table.tableId()).orElseThrow();
    });
    return new TestTable(store, info, metadata, 0, timestamp);
  }

  static Protocol protocol() {
    return new Protocol(3, 7, Set.of("deletionVectors"), Set.of("deletionVectors", "inCommitTimestamp"));
  }

  long id() {
    return info.tableId();
  }

  TableInfo info() {
    return info;
  }

  String location() {
    return info.location();
  }

  /** The latest committed version. */
  long version() {
    return version;
  }

  /** The path of a file in the table's {@code _delta_log}. */
  String logFile(String name) {
    return StoragePaths.join(StoragePaths.logDir(info.location()), name);
  }

  /** Commits {@code count} versions: mostly appends, every fourth a remove. */
  void commit(int count) {
    for (int i = 0; i < count; i++) {
      if (version % 4 == 3 && !active.isEmpty()) {
        removeOne();
      } else {
        append(1 + (int) (version % 3));
      }
    }
  }

  /** Appends {@code count} new files. */
  CommitResult append(int count) {
    List<Action> actions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String p = PARTITIONS[files % PARTITIONS.length];
      Map<String, String> partition = new HashMap<>();
      partition.put("p", p);
      long rows = 10L + files;
      AddFile add = AddFile.of("p=" + p + "/part-" + files + "-" + info.tableId() + ".parquet", partition,
          1_000 + files, System.currentTimeMillis(), Optional.of("{\"numRecords\":" + rows
              + ",\"minValues\":{\"id\":" + files + "},\"maxValues\":{\"id\":" + (files + rows) + "},"
              + "\"nullCount\":{\"id\":0}}"));
      files++;
      actions.add(add);
      active.add(add);
    }
    return commitWith("WRITE", actions);
  }

  /** Removes the oldest active file. */
  CommitResult removeOne() {
    AddFile removed = active.remove(0);
    return commitWith("DELETE", List.of(removed.toRemove(System.currentTimeMillis(), true)));
  }

  /** Changes the table's Delta configuration (a metadata action). */
  CommitResult configure(Map<String, String> changes) {
    Map<String, String> config = new LinkedHashMap<>(metadata.configuration());
    config.putAll(changes);
    metadata = metadata.withConfiguration(config);
    return commitWith("SET TBLPROPERTIES", List.of(metadata));
  }

  private CommitResult commitWith(String operation, List<Action> body) {
    long timestamp = Math.max(System.currentTimeMillis(), lastTimestamp + 1);
    List<Action> actions = new ArrayList<>();
    actions.add(commitInfo(timestamp, operation));
    actions.addAll(body);
    CommitResult result = store.commit(CommitRequest.of(info.tableId(), version, UUID.randomUUID().toString(),
        actions));
    version = result.version();
    lastTimestamp = result.timestamp();
    return result;
  }

  private static CommitInfo commitInfo(long timestamp, String operation) {
    ObjectNode values = MAPPER.createObjectNode();
    values.put(CommitInfo.IN_COMMIT_TIMESTAMP, timestamp);
    values.put(CommitInfo.TIMESTAMP, timestamp);
    values.put(CommitInfo.OPERATION, operation);
    values.putObject(CommitInfo.OPERATION_PARAMETERS).put("mode", "Append");
    values.put("isBlindAppend", !"DELETE".equals(operation));
    values.put("engineInfo", "deltasql-mirror-tests");
    values.put(CommitInfo.TXN_ID, UUID.randomUUID().toString());
    return new CommitInfo(values);
  }
}
