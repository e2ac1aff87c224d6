package io.deltasql.bench;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.cache.SnapshotCache;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CommitRequest;
import io.deltasql.core.table.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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

/**
 * Advancing a cached snapshot by one commit (DESIGN.md: "cached snapshot, one new commit",
 * target under 2 ms whatever the table's size): the latest snapshot of a table is in the
 * catalog's {@link SnapshotCache}; another writer commits one version (one appended file);
 * the measured call is {@link SnapshotCache#latest}, which reads the current version, finds
 * the cached snapshot one version behind and applies the new version's actions to it.
 *
 * <p>The table is the generated one ({@link GeneratedTableState}), imported once into a catalog
 * of its own (not {@link CatalogOpenBenchmark}'s, whose table must stay as generated): the
 * commits of this benchmark accumulate there from run to run. They go straight to the catalog
 * ({@link CatalogStore#commit}), without a mirror, so the generated {@code _delta_log} is never
 * written. The commit happens before each invocation ({@link Level#Invocation}) and is not timed.
 * Run it at several table sizes ({@code -p commits=… -p files=…}) to see whether the time
 * depends on the size.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 5, timeUnit = TimeUnit.SECONDS)
public class SnapshotAdvanceBenchmark {

  /** The catalog, the cache holding the table's latest snapshot, and the next file to append. */
  @State(Scope.Benchmark)
  public static class CachedTable {
    /** Catalog database: {@code h2} (embedded file) or {@code postgresql}. */
    @Param({"h2", "postgresql"})
    public String catalog;

    CatalogStore store;
    SnapshotCache cache;
    long tableId;
    long version;
    long appended;

    /** Imports the table unless an earlier run did, and caches its latest snapshot. */
    @Setup(Level.Trial)
    public void open(GeneratedTableState tableState) {
      store = CatalogOpenBenchmark.open(catalog, tableState.table(), "_advance");
      tableId = CatalogOpenBenchmark.importOnce(store, "t", tableState.table());
      cache = SnapshotCache.create(store);
      version = cache.latest(tableId).version();
    }

    /** Another writer's commit: one appended file, straight through the catalog (not timed). */
    @Setup(Level.Invocation)
    public void commitOne() {
      String path = "advance/" + UUID.randomUUID() + ".parquet";
      AddFile add = AddFile.of(path, Map.of(), 1_000, System.currentTimeMillis(), Optional.empty());
      version = store.commit(CommitRequest.of(tableId, version, UUID.randomUUID().toString(), List.of(add)))
          .version();
      appended++;
    }

    /** Closes the catalog (the table and its new versions stay). */
    @TearDown(Level.Trial)
    public void close() {
      store.close();
    }
  }

  /** The latest snapshot, one commit newer than the cached one. */
  @Benchmark
  public Snapshot cachedSnapshotOneCommit(CachedTable table) {
    Snapshot snapshot = table.cache.latest(table.tableId);
    if (snapshot.version() != table.version) {
      throw new IllegalStateException("the cache answered version " + snapshot.version() + ", the catalog is at "
          + table.version);
    }
    return snapshot;
  }
}
