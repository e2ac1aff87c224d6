package io.deltasql.bench;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.imports.ImportProgress;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Opening the same synthetic table as {@link TableOpenBenchmark}, from the catalog: the table
 * is imported once per trial (and kept: an H2 file under {@code target/catalogs}, a schema on
 * the local PostgreSQL), then every invocation asks the catalog as a new reader would, with
 * no snapshot cache.
 *
 * <ul>
 *   <li>{@link #catalogMetadataOpen}: the table's row, then the protocol and metadata in
 *       force at its current version (what a BI tool's browse or DESCRIBE needs);
 *   <li>{@link #catalogFullListing}: the latest snapshot with every active file and its stats.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 7, time = 5, timeUnit = TimeUnit.SECONDS)
public class CatalogOpenBenchmark {
  /** PostgreSQL server of the benchmark: {@code DELTASQL_PG_URL} or the local default. */
  static final String PG_URL = System.getenv().getOrDefault("DELTASQL_PG_URL",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  /** The catalog holding the imported table, one per trial. */
  @State(Scope.Benchmark)
  public static class CatalogState {
    /** Catalog database: {@code h2} (embedded file) or {@code postgresql}. */
    @Param({"h2", "postgresql"})
    public String catalog;

    CatalogStore store;
    long tableId;

    /** Opens the catalog and imports the generated table unless an earlier trial did. */
    @Setup(Level.Trial)
    public void importTable(GeneratedTableState tableState) {
      GeneratedTable table = tableState.table();
      String key = Path.of(table.path()).getFileName().toString().toLowerCase(Locale.ROOT)
          .replaceAll("[^a-z0-9]", "_");
      store = CatalogStore.open(config(key));
      tableId = store.findTable("bench", "t").map(TableInfo::tableId).orElseGet(() ->
          new TableImporter(store, LocalStorage.INSTANCE, ImportProgress.LOGGING)
              .importTable("bench", "t", table.path()).tableId());
    }

    private CatalogConfig config(String key) {
      if (catalog.equals("h2")) {
        Path file = GeneratedTableState.cacheRoot().resolveSibling("catalogs").resolve(key).resolve("catalog");
        return CatalogConfig.of("jdbc:h2:file:" + file);
      }
      String schema = "bench_" + Integer.toHexString(key.hashCode());
      try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      } catch (SQLException e) {
        throw new IllegalStateException("PostgreSQL not reachable at " + PG_URL + ": " + e.getMessage(), e);
      }
      return CatalogConfig.of(PG_URL + "&currentSchema=" + schema);
    }

    /** Closes the catalog (the imported table stays for the next run). */
    @TearDown(Level.Trial)
    public void close() {
      store.close();
    }
  }

  /** Catalog: the table's current version, protocol and metadata (schema, properties). */
  @Benchmark
  public Metadata catalogMetadataOpen(CatalogState state, Blackhole bh) {
    return state.store.inTransaction(tx -> {
      TableInfo info = tx.findTable("bench", "t").orElseThrow();
      Protocol protocol = tx.protocolAt(info.tableId(), info.currentVersion());
      bh.consume(protocol);
      bh.consume(info.currentVersion());
      return tx.metadataAt(info.tableId(), info.currentVersion());
    });
  }

  /** Catalog: the latest snapshot with every active file (paths consumed). */
  @Benchmark
  public int catalogFullListing(GeneratedTableState tableState, CatalogState state, Blackhole bh) {
    Snapshot snapshot = state.store.snapshot(state.tableId);
    for (AddFile file : snapshot.files().values()) {
      bh.consume(file.path());
    }
    tableState.table().requireFileCount("catalog", snapshot.files().size());
    return snapshot.files().size();
  }
}
