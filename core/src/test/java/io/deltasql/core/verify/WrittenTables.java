package io.deltasql.core.verify;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.mirror.MirrorConfig;
import io.deltasql.core.mirror.TableMirror;
import io.deltasql.core.txn.MultiTableConfig;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.NewTable;
import io.deltasql.core.txn.TableActionsBuilder;
import io.deltasql.core.txn.TableRef;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Tables written the way deltasql writes them: through a {@link MultiTableWriter} whose
 * commits a mirror publishes. Each history has appends, a remove, an application
 * transaction, domain metadata, a configuration change and a multi-table commit, and
 * {@code delta.checkpointInterval=3}, so the log holds checkpoints at versions 3 and 6.
 */
final class WrittenTables {
  static final MirrorConfig MIRROR = MirrorConfig.DEFAULTS.withReconcilePeriod(Duration.ZERO).withAttempts(2)
      .withBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
  static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";
  /** The version of every table after {@link #history}. */
  static final long LATEST = 7;

  private WrittenTables() {}

  static MultiTableWriter writer(CatalogStore store, TableMirror mirror) {
    MultiTableConfig config = MultiTableConfig.builder().backoffInitial(Duration.ofMillis(1))
        .backoffMax(Duration.ofMillis(20)).lockTimeout(Duration.ofSeconds(10)).build();
    return MultiTableWriter.builder(store).config(config).mirror(mirror)
        .mirrorMode(MultiTableWriter.MirrorMode.SYNCHRONOUS).build();
  }

  static AddFile file(String path, String p) {
    return AddFile.of("p=" + p + "/" + path, Map.of("p", p), 1000 + path.length(), 1,
        Optional.of("{\"numRecords\":3,\"minValues\":{\"id\":1},\"maxValues\":{\"id\":3},\"nullCount\":{\"id\":0}}"));
  }

  /** Creates {@code schema.a} and {@code schema.b} under {@code root} and writes versions 1 to {@link #LATEST} of each. */
  static List<TableRef> history(MultiTableWriter writer, String schema, String root) {
    TableRef a = create(writer, schema, "a", root + "/a");
    TableRef b = create(writer, schema, "b", root + "/b");
    for (TableRef t : List.of(a, b)) {
      append(writer, t, "f1.parquet", "x");                          // 1
      append(writer, t, "f2.parquet", "y");                          // 2
      stage(writer, t, builder -> builder.withAppTransaction(
          new SetTransaction("stream-1", 42, Optional.of(1_700_000_000_000L))));  // 3 (checkpoint)
      stage(writer, t, builder -> builder.removeFile(
          file("f1.parquet", "x").toRemove(1_700_000_000_001L, true)));          // 4
      stage(writer, t, builder -> builder.withDomainMetadata(
          new DomainMetadata("deltasql.test", "{\"k\":1}", false)));              // 5
    }
    MultiTableTransaction both = writer.begin();                                  // 6 of both (checkpoint)
    both.addFiles(a.key(), writer.snapshotFor(both, a.key()).readVersion(), List.of(file("g-a.parquet", "x")));
    both.addFiles(b.key(), writer.snapshotFor(both, b.key()).readVersion(), List.of(file("g-b.parquet", "z")));
    writer.commit(both);
    for (TableRef t : List.of(a, b)) {
      Metadata metadata = metadataOf(writer, t);                                 // 7
      stage(writer, t, builder -> builder.withMetadata(metadata.withConfiguration(
          withEntry(metadata.configuration(), "deltasql.verify.note", "changed"))));
    }
    return List.of(writer.table(schema, "a"), writer.table(schema, "b"));
  }

  private static Metadata metadataOf(MultiTableWriter writer, TableRef t) {
    MultiTableTransaction tx = writer.begin();
    try {
      return writer.snapshotFor(tx, t.key()).snapshot().metadata();
    } finally {
      writer.rollback(tx);
    }
  }

  private static Map<String, String> withEntry(Map<String, String> map, String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(map);
    copy.put(key, value);
    return copy;
  }

  static TableRef create(MultiTableWriter writer, String schema, String name, String location) {
    MultiTableTransaction tx = writer.begin();
    NewTable table = NewTable.of(schema, name, location);
    Metadata metadata = new Metadata(UUID.randomUUID().toString(), Optional.of(name), Optional.empty(),
        Format.PARQUET, SCHEMA, List.of("p"), Map.of("delta.checkpointInterval", "3"), Optional.of(0L));
    writer.createTable(tx, table, metadata, Optional.of(new Protocol(1, 7, Set.of(), Set.of("domainMetadata"))));
    writer.commit(tx);
    return writer.table(schema, name);
  }

  static void append(MultiTableWriter writer, TableRef t, String path, String p) {
    stage(writer, t, builder -> builder.addFile(file(path, p)));
  }

  static void stage(MultiTableWriter writer, TableRef t,
      java.util.function.UnaryOperator<TableActionsBuilder> statement) {
    MultiTableTransaction tx = writer.begin();
    long read = writer.snapshotFor(tx, t.key()).readVersion();
    tx.stageActions(statement.apply(new TableActionsBuilder(t.key(), read)).build());
    writer.commit(tx);
  }
}
