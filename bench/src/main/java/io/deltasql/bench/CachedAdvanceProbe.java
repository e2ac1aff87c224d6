package io.deltasql.bench;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.cache.SnapshotCache;
import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CommitRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How many versions the snapshot cache reads to advance a table by one commit, and how long
 * it takes, on a catalog table that already exists (e.g. {@code SnapshotAdvanceBenchmark}'s
 * imported {@code _advance} table in its PostgreSQL schema {@code bench_*}): N times, commit
 * one appended file straight through the catalog, then time {@link SnapshotCache#latest};
 * prints p50/p90 and the cache's meters ({@code advanced.versions} should equal N). Appends N
 * files to the table. Not JMH: a diagnostic, a few seconds.
 *
 * <pre>java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.deltasql.bench.CachedAdvanceProbe \
 *     SCHEMA TABLE_ID [MAXIMUM_FILES (default: the cache's)] [N (default 200)]</pre>
 */
public final class CachedAdvanceProbe {
  private CachedAdvanceProbe() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: CachedAdvanceProbe SCHEMA TABLE_ID [MAXIMUM_FILES] [N]");
    }
    long tableId = Long.parseLong(args[1]);
    long maximumFiles = args.length > 2 ? Long.parseLong(args[2]) : SnapshotCache.DEFAULT_MAXIMUM_FILES;
    int n = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    try (CatalogStore store = CatalogStore.open(CatalogConfig.of(CatalogOpenBenchmark.PG_URL + "&currentSchema=" + args[0]))) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      SnapshotCache cache = SnapshotCache.builder(store).meterRegistry(registry).maximumFiles(maximumFiles).build();
      long version = cache.latest(tableId).version();
      long[] nanos = new long[n];
      for (int i = 0; i < n; i++) {
        AddFile add = AddFile.of("probe/" + UUID.randomUUID() + ".parquet", Map.of(), 1_000, System.currentTimeMillis(),
            Optional.empty());
        version = store.commit(CommitRequest.of(tableId, version, UUID.randomUUID().toString(), List.of(add))).version();
        long start = System.nanoTime();
        long got = cache.latest(tableId).version();
        nanos[i] = System.nanoTime() - start;
        if (got != version) {
          throw new IllegalStateException("the cache answered version " + got + ", the catalog is at " + version);
        }
      }
      Arrays.sort(nanos);
      System.out.printf("maximumFiles=%d advances=%d p50=%.3f ms p90=%.3f ms%n", maximumFiles, n, nanos[n / 2] / 1e6,
          nanos[n * 9 / 10] / 1e6);
      registry.getMeters().forEach(m -> m.measure().forEach(s ->
          System.out.println(m.getId().getName() + " " + s.getStatistic() + " " + s.getValue())));
    }
  }
}
