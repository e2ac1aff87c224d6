package io.deltasql.bench;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.data.FileSkipping;
import io.deltasql.core.data.Predicate;
import io.deltasql.core.data.TableLayout;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Heap retained by one snapshot of a large table: the generated table ({@link TableGenerator},
 * checkpoint every 10 versions) is read with deltasql's log reader into a {@link Snapshot} (the
 * same value the catalog and its snapshot cache hold), and the heap in use after a full GC is
 * compared with the heap in use after a full GC before the read. The difference is what a
 * cached snapshot of that size costs; divided by the file count, what one active file costs.
 *
 * <p>No JOL: {@link MemoryMXBean#getHeapMemoryUsage()} after {@code System.gc()} (three times,
 * the JVM's default collector), so the figure is approximate (a few MB of unrelated garbage
 * or class metadata loaded by the read can move it), which is well within what 1M files take.
 *
 * <p>With {@code --catalog h2|postgresql} the snapshot is read cold from that catalog instead
 * ({@code CatalogStore.snapshot}, through the table's file image, as {@link CatalogOpenBenchmark}
 * imports and reads it): the heap before is taken with the catalog open and its image written.
 * With {@code --plan} the snapshot is also planned against once ({@link FileSkipping} for
 * {@code id = k}, as {@link CatalogOpenBenchmark#catalogSelectivePlanning}), so that what a
 * snapshot keeps for planning (the typed statistics of the {@code id} column, decoded from
 * its file image) is counted too.
 *
 * <pre>
 *   java -cp ... io.deltasql.bench.SnapshotMemory [--commits 10000] [--files 1000000] [--catalog h2] [--plan] [--out results/base]
 * </pre>
 */
public final class SnapshotMemory {
  private SnapshotMemory() {}

  /** What was measured. */
  record Result(int commits, int files, long retainedBytes, double loadSeconds) {
    double bytesPerFile() {
      return (double) retainedBytes / files;
    }

    String json() {
      return String.format(Locale.ROOT, "{\"commits\":%d,\"files\":%d,\"retainedBytes\":%d,\"retainedMb\":%.1f,"
          + "\"bytesPerFile\":%.0f,\"loadSeconds\":%.2f}", commits, files, retainedBytes, retainedBytes / 1048576.0,
          bytesPerFile(), loadSeconds);
    }
  }

  public static void main(String[] args) throws Exception {
    int commits = 10_000;
    int files = 1_000_000;
    Optional<Path> out = Optional.empty();
    Optional<String> catalog = Optional.empty();
    boolean plan = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--commits" -> commits = Integer.parseInt(args[++i]);
        case "--files" -> files = Integer.parseInt(args[++i]);
        case "--out" -> out = Optional.of(Path.of(args[++i]));
        case "--catalog" -> catalog = Optional.of(args[++i]);
        case "--plan" -> plan = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    GeneratedTable table = TableGenerator.cached(GeneratedTableState.cacheRoot(),
        new TableSpec(commits, files, 10, false, Checksums.NONE));
    Result result;
    boolean planned = plan;
    if (catalog.isPresent()) {
      try (CatalogStore store = CatalogOpenBenchmark.open(catalog.get(), table, "")) {
        long id = CatalogOpenBenchmark.importOnce(store, "t", table);
        CatalogOpenBenchmark.awaitFileImage(store, id);
        result = measure(table, () -> planned(table, store.snapshot(id), planned));
      }
    } else {
      result = measure(table, () -> planned(table, DeltaLog.open(LocalStorage.INSTANCE, table.path()).snapshot(),
          planned));
    }
    System.err.printf(Locale.ROOT, "snapshot memory: %d commits, %d files: %.1f MB retained, %.0f bytes per file,"
        + " read in %.2f s%n", commits, files, result.retainedBytes() / 1048576.0, result.bytesPerFile(),
        result.loadSeconds());
    if (out.isPresent()) {
      Files.writeString(Path.of(out.get() + ".json"), "{\"results\":[" + result.json() + "]}\n");
    }
  }

  /** {@code snapshot}, planned against once for {@code id = k} if {@code plan}. */
  private static Snapshot planned(GeneratedTable table, Snapshot snapshot, boolean plan) {
    if (plan) {
      FileSkipping skipping = new FileSkipping(TableLayout.of(snapshot.metadata(), "t"),
          new Predicate.Comparison(List.of("id"), Predicate.Op.EQ, table.probeId().orElseThrow()));
      long kept = snapshot.files().values().stream().filter(skipping::mightMatch).count();
      if (kept != 1) {
        throw new IllegalStateException("planning kept " + kept + " files for id = " + table.probeId().getAsLong());
      }
    }
    return snapshot;
  }

  static Result measure(GeneratedTable table, Supplier<Snapshot> read) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = usedAfterGc(memory);
    long start = System.nanoTime();
    Snapshot snapshot = read.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    table.requireFileCount("snapshot", snapshot.files().size());
    long after = usedAfterGc(memory);
    Reference.reachabilityFence(snapshot);
    return new Result(table.spec().commits(), table.spec().activeFiles(), after - before, seconds);
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
