package io.deltasql.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.VersionRecord;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.function.Executable;

/**
 * A real catalog (H2 or PostgreSQL) with writers on it, and builders of the tables, files
 * and transactions the writer tests use. Each data file carries a "value" as its record
 * count ({@code numRecords} in its statistics), which the property test uses as a balance.
 */
final class WriterFixture implements AutoCloseable {
  static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}";

  private final CatalogFixture catalog;
  private final List<MultiTableWriter> writers = new ArrayList<>();

  WriterFixture(CatalogBackend backend, String prefix) {
    this.catalog = backend.fresh(prefix);
  }

  CatalogStore store() {
    return catalog.store();
  }

  CatalogFixture catalog() {
    return catalog;
  }

  /** Fast retries and a short lock timeout, for tests. */
  static MultiTableConfig config() {
    return MultiTableConfig.builder().backoffInitial(Duration.ofMillis(1)).backoffMax(Duration.ofMillis(20))
        .lockTimeout(Duration.ofSeconds(10)).build();
  }

  /** A writer with {@link #config()}, closed with the fixture. */
  MultiTableWriter writer() {
    return writer(b -> b);
  }

  MultiTableWriter writer(UnaryOperator<MultiTableWriter.Builder> options) {
    MultiTableWriter w = options.apply(MultiTableWriter.builder(store()).config(config())).build();
    writers.add(w);
    return w;
  }

  static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  static Metadata metadata() {
    return new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(), Format.PARQUET, SCHEMA,
        List.of(), Map.of(), Optional.of(0L));
  }

  /** A data file worth {@code value} (its statistics' record count). */
  static AddFile file(String path, long value) {
    return AddFile.of(path, Map.of(), 100 + value, 1, Optional.of("{\"numRecords\":" + value + "}"));
  }

  static AddFile file(String path) {
    return file(path, 1);
  }

  static RemoveFile remove(AddFile file) {
    return file.toRemove(2, true);
  }

  /** What a file is worth (see {@link #file(String, long)}). */
  static long value(AddFile file) {
    String stats = file.stats().orElseThrow();
    return Long.parseLong(stats.replaceAll("[^0-9]", ""));
  }

  /** Creates table {@code main.<name>} with these files, committed through {@code writer}. */
  TableRef createTable(MultiTableWriter writer, String name, AddFile... files) {
    MultiTableTransaction tx = writer.begin();
    NewTable table = NewTable.of("main", name, "/lake/main/" + name);
    writer.createTable(tx, table, metadata(), Optional.empty());
    if (files.length > 0) {
      tx.addFiles(table.key(), TableActions.NEW_TABLE, List.of(files));
    }
    writer.commit(tx);
    return writer.table("main", name);
  }

  TableRef createTable(MultiTableWriter writer, AddFile... files) {
    return createTable(writer, unique("t"), files);
  }

  long version(TableRef table) {
    return store().currentVersion(table.tableId());
  }

  Snapshot latest(TableRef table) {
    return store().snapshot(table.tableId());
  }

  /** The version records of a table, oldest first. */
  List<VersionRecord> history(TableRef table) {
    return store().inTransaction(tx -> {
      List<VersionRecord> records = new ArrayList<>();
      long current = tx.currentVersion(table.tableId());
      for (long v = 0; v <= current; v++) {
        records.add(tx.versionRecord(table.tableId(), v).orElseThrow());
      }
      return records;
    });
  }

  /** The transaction ids of a table's versions, oldest first. */
  List<String> txnIds(TableRef table) {
    return history(table).stream().map(r -> r.txnId().orElse("")).toList();
  }

  /** Appends one file to a table in a transaction of its own; returns the committed version. */
  long append(MultiTableWriter writer, TableRef table, AddFile file) {
    MultiTableTransaction tx = writer.begin();
    tx.addFiles(table.key(), version(table), List.of(file));
    return writer.commit(tx).version(table.key()).orElseThrow();
  }

  static DeltaException assertFails(SqlState state, Executable executable, String... fragments) {
    DeltaException e = assertThrows(DeltaException.class, executable);
    assertEquals(state, e.state(), () -> "state of: " + e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' missing from: " + e.getMessage());
    }
    return e;
  }

  @Override
  public void close() {
    try {
      writers.forEach(MultiTableWriter::close);
    } finally {
      catalog.close();
    }
  }
}
