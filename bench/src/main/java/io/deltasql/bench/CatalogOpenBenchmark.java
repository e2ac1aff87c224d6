package io.deltasql.bench;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.cache.SnapshotCache;
import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.data.FileSkipping;
import io.deltasql.core.data.Predicate;
import io.deltasql.core.data.TableLayout;
import io.deltasql.core.imports.ImportProgress;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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
 * the local PostgreSQL), its latest snapshot read once (which leaves the table's file image),
 * then every invocation asks the catalog as a new reader would, with no snapshot cache.
 *
 * <ul>
 *   <li>{@link #catalogMetadataOpen}: the table's row, then the protocol and metadata in
 *       force at its current version (what a BI tool's browse or DESCRIBE needs);
 *   <li>{@link #catalogFullListing}: the latest snapshot with every active file and its stats;
 *   <li>{@link #catalogSelectivePlanning}: the latest snapshot, then the files that may hold
 *       {@code id = k} by their min/max statistics ({@link FileSkipping}, what the planner
 *       does), the same {@code k} as Kernel's row: exactly one file is kept;
 *   <li>{@link #catalogCachedSelectivePlanning}: the same through the snapshot cache, as the
 *       planner gets its snapshot.
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
    /** The planner's snapshot cache, holding the latest snapshot after the setup. */
    SnapshotCache cache;

    /** Opens the catalog and imports the generated table unless an earlier trial did. */
    @Setup(Level.Trial)
    public void importTable(GeneratedTableState tableState) {
      store = open(catalog, tableState.table(), "");
      tableId = importOnce(store, "t", tableState.table());
      awaitFileImage(store, tableId);
      cache = SnapshotCache.create(store);
      cache.latest(tableId);
    }

    /** Closes the catalog (the imported table stays for the next run). */
    @TearDown(Level.Trial)
    public void close() {
      store.close();
    }
  }

  /**
   * The catalog kept for {@code table} on {@code catalog} ({@code h2}: a file under
   * {@code target/catalogs/}; {@code postgresql}: a schema named after the table's spec), one
   * per {@code purpose} ({@code ""} for this class's, which never changes the table) and
   * catalog schema version: a build with a newer schema imports its own copy instead of
   * migrating one that an older build (a baseline checkout, another engineer's branch on the
   * shared PostgreSQL) still uses and would then refuse.
   */
  static CatalogStore open(String catalog, GeneratedTable table, String purpose) {
    String key = Path.of(table.path()).getFileName().toString().toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]", "_") + purpose + "_v" + CatalogStore.currentSchemaVersion();
    return CatalogStore.open(config(catalog, key));
  }

  /**
   * Reads the latest snapshot once and waits for the file image that this first read leaves
   * (written in the background): every measured read then finds it, as every reader after
   * the first does in a running catalog.
   */
  static void awaitFileImage(CatalogStore store, long tableId) {
    store.snapshot(tableId);
    try {
      store.awaitFileImages();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the file image was written", e);
    }
  }

  /** The id of table {@code bench.<name>} in {@code store}, imported from {@code table} unless it is there. */
  static long importOnce(CatalogStore store, String name, GeneratedTable table) {
    return store.findTable("bench", name).map(TableInfo::tableId).orElseGet(() ->
        new TableImporter(store, LocalStorage.INSTANCE, ImportProgress.LOGGING)
            .importTable("bench", name, table.path()).tableId());
  }

  private static CatalogConfig config(String catalog, String key) {
    if (catalog.equals("h2")) {
      Path file = GeneratedTableState.cacheRoot().resolveSibling("catalogs").resolve(key).resolve("catalog");
      return CatalogConfig.of("jdbc:h2:file:" + file);
    }
    if (!catalog.equals("postgresql")) {
      throw new IllegalArgumentException("catalog must be h2 or postgresql, got " + catalog);
    }
    String schema = "bench_" + Integer.toHexString(key.hashCode());
    try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL not reachable at " + PG_URL + ": " + e.getMessage(), e);
    }
    return CatalogConfig.of(PG_URL + "&currentSchema=" + schema);
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

  /**
   * Planning as the planner plans a query on a table it has seen: the latest snapshot from the
   * snapshot cache (one catalog query for the current version; the snapshot itself cached),
   * then the files that {@link FileSkipping} keeps for {@code id = k}. The typed statistics
   * decoded by the first plan are kept with the cached snapshot's files.
   */
  @Benchmark
  public int catalogCachedSelectivePlanning(GeneratedTableState tableState, CatalogState state, Blackhole bh) {
    return keepProbe(tableState.table(), state.cache.latest(state.tableId), bh);
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

  /**
   * Catalog: the latest snapshot, then the files that {@link FileSkipping} keeps for
   * {@code id = k}, as the planner asks (files read through the table's file image answer from
   * its typed statistics; any other file's stats JSON is parsed).
   */
  @Benchmark
  public int catalogSelectivePlanning(GeneratedTableState tableState, CatalogState state, Blackhole bh) {
    return keepProbe(tableState.table(), state.store.snapshot(state.tableId), bh);
  }

  /** The files of {@code snapshot} that {@link FileSkipping} keeps for {@code id = k}: exactly one. */
  private static int keepProbe(GeneratedTable table, Snapshot snapshot, Blackhole bh) {
    long probe = table.probeId().orElseThrow();
    FileSkipping skipping = new FileSkipping(TableLayout.of(snapshot.metadata(), "t"),
        new Predicate.Comparison(List.of("id"), Predicate.Op.EQ, probe));
    int kept = 0;
    for (AddFile file : snapshot.files().values()) {
      if (skipping.mightMatch(file)) {
        bh.consume(file.path());
        kept++;
      }
    }
    if (kept != 1) {
      throw new IllegalStateException("the catalog kept " + kept + " files for id = " + probe + " in "
          + table.root() + "; exactly one holds it");
    }
    return kept;
  }
}
