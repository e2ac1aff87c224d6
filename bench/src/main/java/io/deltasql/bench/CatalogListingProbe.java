package io.deltasql.bench;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.data.FileSkipping;
import io.deltasql.core.data.Predicate;
import io.deltasql.core.data.TableLayout;
import io.deltasql.core.table.Snapshot;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The catalog's full listing as a new reader asks it ({@code CatalogStore.snapshot}, no cache),
 * timed call by call in one JVM: best and mean of the last two thirds of the calls, in wall
 * time and in CPU time of the JVM (less sensitive to other processes' load than wall time;
 * it leaves out the catalog server's CPU, which PostgreSQL spends in another process). A quick
 * check next to {@link CatalogOpenBenchmark#catalogFullListing}, which runs the same call in
 * the same state (the table's file image written first, where the build has them). With
 * {@code plan}, each call also keeps the files that {@link FileSkipping} keeps for
 * {@code id = k}, as {@link CatalogOpenBenchmark#catalogSelectivePlanning} does.
 *
 * <pre>
 *   java -cp ... io.deltasql.bench.CatalogListingProbe postgresql|h2 COMMITS FILES CALLS [plan]
 * </pre>
 */
public final class CatalogListingProbe {
  private CatalogListingProbe() {}

  public static void main(String[] args) {
    String catalog = args[0];
    int commits = Integer.parseInt(args[1]);
    int files = Integer.parseInt(args[2]);
    int loops = Integer.parseInt(args[3]);
    boolean plan = args.length > 4 && args[4].equals("plan");
    GeneratedTable table = TableGenerator.cached(GeneratedTableState.cacheRoot(),
        new TableSpec(commits, files, 10, false, Checksums.NONE));
    try (CatalogStore store = CatalogOpenBenchmark.open(catalog, table, "")) {
      long id = CatalogOpenBenchmark.importOnce(store, "t", table);
      CatalogOpenBenchmark.awaitFileImage(store, id);
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long best = Long.MAX_VALUE;
      long total = 0;
      long bestCpu = Long.MAX_VALUE;
      long totalCpu = 0;
      for (int i = 0; i < loops; i++) {
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Snapshot s = store.snapshot(id);
        if (plan) {
          FileSkipping skipping = new FileSkipping(TableLayout.of(s.metadata(), "t"),
              new Predicate.Comparison(List.of("id"), Predicate.Op.EQ, table.probeId().orElseThrow()));
          if (s.files().values().stream().filter(skipping::mightMatch).count() != 1) {
            throw new IllegalStateException("planning did not keep exactly one file");
          }
        }
        long t = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        if (i >= loops / 3) {
          best = Math.min(best, t);
          total += t;
          bestCpu = Math.min(bestCpu, cpu);
          totalCpu += cpu;
        }
        table.requireFileCount("catalog", s.files().size());
      }
      int counted = loops - loops / 3;
      System.out.printf(java.util.Locale.ROOT, "%s %dx%d%s: best %.1f ms, mean %.1f ms; CPU of this JVM per call (all"
          + " threads, not the catalog server's) best %.1f ms, mean %.1f ms%n", catalog, commits, files,
          plan ? " planned" : "", best / 1e6,
          total / 1e6 / counted, bestCpu / 1e6, totalCpu / 1e6 / counted);
    }
  }
}
