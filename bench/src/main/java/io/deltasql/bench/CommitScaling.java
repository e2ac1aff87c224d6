package io.deltasql.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.imports.ImportProgress;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.mirror.MirrorConfig;
import io.deltasql.core.mirror.MirrorEngine;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.TableRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Commits per second as the table grows (issue 8, measure 7 for measure 3): one writer
 * appends one file per commit to one table, through {@link MultiTableWriter} with the
 * {@link MirrorEngine} writing the table's {@code _delta_log} (async, checkpoints as
 * configured by default), first to a new empty table, then to copies of the generated
 * tables (checkpoint every 10) imported into a fresh catalog. The empty table in the same
 * run is the baseline: a commit that costs the same whatever the table's size keeps its
 * rate.
 *
 * <p>What can grow with the size: the validation snapshot (the cached snapshot advanced by
 * each commit), the catalog's indexes, and the mirror's checkpoints, which list every
 * active file (for tables of more than 1,000 files, spaced to one a second or four times the
 * previous one's cost, whichever is longer, see {@link MirrorConfig}). Reported per size: commits/s, the JVM's CPU per commit (writer,
 * mirror and everything else of the process; the catalog database's own CPU is not
 * counted for PostgreSQL), mirror lag p50/p99, checkpoints written, and how long the import
 * took.
 *
 * <pre>
 *   java -cp ... io.deltasql.bench.CommitScaling [--catalogs h2,postgresql]
 *       [--sizes 1000x10000,10000x100000] [--seconds N] [--warmup N] [--out results/base]
 * </pre>
 *
 * <p>The generated tables are read from (and generated into) the folder of
 * {@link GeneratedTableState#cacheRoot()}; they are copied before the import, so the mirror
 * writes only to the copies.
 */
public final class CommitScaling {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One measured size: {@code commits == 0} is the new, empty table. */
  record Size(int commits, int files) {
    static Size parse(String text) {
      String[] parts = text.split("x");
      if (parts.length != 2) {
        throw new IllegalArgumentException("a size is COMMITSxFILES, e.g. 1000x10000; got " + text);
      }
      return new Size(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    String describe() {
      return commits == 0 ? "new table" : commits + " commits × " + files + " files, checkpoint every 10";
    }
  }

  /** What one size measured. */
  record Result(String catalog, Size size, long committed, double seconds, double cpuMicrosPerCommit, double lagP50,
      double lagP99, long checkpoints, long refused, double importSeconds) {
    double rate() {
      return committed / seconds;
    }
  }

  private final double warmupSeconds;
  private final double measureSeconds;

  private CommitScaling(double warmupSeconds, double measureSeconds) {
    this.warmupSeconds = warmupSeconds;
    this.measureSeconds = measureSeconds;
  }

  public static void main(String[] args) throws Exception {
    List<String> catalogs = List.of("h2", "postgresql");
    List<Size> sizes = List.of(new Size(1000, 10000), new Size(10000, 100000));
    double seconds = 4;
    double warmup = 1;
    Optional<Path> out = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--catalogs" -> catalogs = List.of(args[++i].split(","));
        case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(Size::parse).toList();
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--warmup" -> warmup = Double.parseDouble(args[++i]);
        case "--out" -> out = Optional.of(Path.of(args[++i]));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    CommitScaling bench = new CommitScaling(warmup, seconds);
    Path work = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")).resolve("commit-scaling"));
    List<Result> results = new ArrayList<>();
    for (String catalog : catalogs) {
      results.add(bench.run(catalog, new Size(0, 0), work));
      for (Size size : sizes) {
        results.add(bench.run(catalog, size, work));
      }
    }
    String md = markdown(results, bench);
    System.out.print(md);
    if (out.isPresent()) {
      Files.writeString(Path.of(out.get() + ".md"), md);
      Files.writeString(Path.of(out.get() + ".json"), json(results, bench));
    }
  }

  private Result run(String kind, Size size, Path work) throws Exception {
    Path dir = Files.createTempDirectory(work, kind + "-");
    try (CommitBenchmark.Catalog catalog = CommitBenchmark.Catalog.fresh(kind, dir)) {
      double importSeconds = 0;
      if (size.commits() > 0) {
        GeneratedTable generated = TableGenerator.cached(GeneratedTableState.cacheRoot(),
            new TableSpec(size.commits(), size.files(), 10, false, Checksums.NONE));
        Path copy = dir.resolve("t");
        copyTree(generated.root(), copy);
        try (CatalogStore store = CatalogStore.open(CatalogConfig.of(catalog.url()))) {
          long t0 = System.nanoTime();
          new TableImporter(store, LocalStorage.INSTANCE, ImportProgress.SILENT)
              .importTable("bench", "t", copy.toAbsolutePath().toString());
          importSeconds = (System.nanoTime() - t0) / 1e9;
        }
      }
      Result result = measure(kind, size, catalog, dir, importSeconds);
      System.err.printf(Locale.ROOT, "commit scaling: %s %s: %.0f commits/s, %.0f µs CPU/commit, lag p50 %.0f ms "
          + "p99 %.0f ms, %d checkpoints, %d refused, import %.1f s%n", kind, size.describe(), result.rate(),
          result.cpuMicrosPerCommit(), result.lagP50(), result.lagP99(), result.checkpoints(), result.refused(),
          importSeconds);
      return result;
    } finally {
      SqlTable.deleteTree(dir);
    }
  }

  private Result measure(String kind, Size size, CommitBenchmark.Catalog catalog, Path dir, double importSeconds)
      throws InterruptedException {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (CatalogStore store = CatalogStore.open(CatalogConfig.of(catalog.url()).withPoolSize(4));
        MirrorEngine mirror = MirrorEngine.open(store, LocalStorage.INSTANCE,
            MirrorConfig.DEFAULTS.withReconcilePeriod(Duration.ZERO), meters);
        MultiTableWriter writer = MultiTableWriter.builder(store).mirror(mirror)
            .mirrorMode(MultiTableWriter.MirrorMode.ASYNCHRONOUS).build()) {
      TableRef table = size.commits() == 0 ? CommitBenchmark.create(writer, dir.resolve("new"), "t")
          : writer.table("bench", "t");
      long version = store.findTable("bench", table.tableName()).map(TableInfo::currentVersion).orElseThrow();
      // Lag by the wall clock (MirrorLag): the in-commit timestamps of an imported table may run
      // ahead of the clock (Delta keeps them increasing).
      MirrorLag lag = new MirrorLag(1 << 20);
      mirror.addListener((tableId, v, commitTimestamp) -> lag.published(tableId, v, System.currentTimeMillis()));
      AtomicLong refused = new AtomicLong();
      long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
      long n = 0;
      while (System.nanoTime() < warmupEnd) {
        version = commit(writer, table, version, n++, refused);
      }
      double checkpointsBefore = meters.counter("deltasql.mirror.checkpoints").count();
      long refusedBefore = refused.get();
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      long end = t0 + (long) (measureSeconds * 1e9);
      long committed = 0;
      while (System.nanoTime() < end) {
        long started = System.currentTimeMillis();
        long next = commit(writer, table, version, n++, refused);
        if (next != version) {
          lag.committed(table.tableId(), next, started, true);
          committed++;
          version = next;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long cpu = processCpuNanos() - cpu0;
      mirror.awaitMirrored(table.tableId(), version, Duration.ofSeconds(120));
      long checkpoints = Math.round(meters.counter("deltasql.mirror.checkpoints").count() - checkpointsBefore);
      long[] sorted = lag.sorted();
      return new Result(kind, size, committed, seconds, cpu / 1000.0 / Math.max(1, committed),
          CommitBenchmark.percentile(sorted, 0.5), CommitBenchmark.percentile(sorted, 0.99), checkpoints,
          refused.get() - refusedBefore, importSeconds);
    }
  }

  /**
   * Appends one file at {@code version}; the table's new version, or {@code version} again when
   * backpressure refused the commit (53000: the mirror is too far behind; counted, retried by
   * the caller after a millisecond).
   */
  private static long commit(MultiTableWriter writer, TableRef table, long version, long n, AtomicLong refused)
      throws InterruptedException {
    MultiTableTransaction tx = writer.begin();
    tx.addFiles(table.key(), version, List.of(CommitBenchmark.file(0, n)));
    try {
      return writer.commit(tx).table(table.key()).orElseThrow().version();
    } catch (DeltaException e) {
      if (e.state() != SqlState.INSUFFICIENT_RESOURCES) {
        throw e;
      }
      refused.incrementAndGet();
      Thread.sleep(1);
      return version;
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  // ---- output ---------------------------------------------------------------------------

  private static String markdown(List<Result> results, CommitScaling bench) {
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "Commits per second by table size: 1 writer, 1 file per commit, mirror async; warm-up %.0f s, "
            + "measured %.0f s each.%n%n| catalog | table | commits/s | of the new table's | JVM CPU µs/commit "
            + "| lag p50 (ms) | lag p99 (ms) | checkpoints | refused (53000) | import (s) |%n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|%n",
        bench.warmupSeconds, bench.measureSeconds));
    for (Result r : results) {
      double base = baseline(results, r.catalog());
      md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f %% | %.0f | %.0f | %.0f | %d | %d | %.1f |%n",
          r.catalog(), r.size().describe(), r.rate(), 100 * r.rate() / base, r.cpuMicrosPerCommit(), r.lagP50(),
          r.lagP99(), r.checkpoints(), r.refused(), r.importSeconds()));
    }
    return md.toString();
  }

  private static double baseline(List<Result> results, String catalog) {
    return results.stream().filter(r -> r.catalog().equals(catalog) && r.size().commits() == 0)
        .mapToDouble(Result::rate).findFirst().orElse(Double.NaN);
  }

  private static String json(List<Result> results, CommitScaling bench) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("warmupSeconds", bench.warmupSeconds);
    root.put("seconds", bench.measureSeconds);
    ArrayNode rows = root.putArray("results");
    for (Result r : results) {
      ObjectNode row = rows.addObject();
      row.put("catalog", r.catalog());
      row.put("tableCommits", r.size().commits());
      row.put("tableFiles", r.size().files());
      row.put("commits", r.committed());
      row.put("seconds", r.seconds());
      row.put("commitsPerSecond", r.rate());
      row.put("newTableCommitsPerSecond", baseline(results, r.catalog()));
      row.put("cpuMicrosPerCommit", r.cpuMicrosPerCommit());
      row.put("lagP50Ms", r.lagP50());
      row.put("lagP99Ms", r.lagP99());
      row.put("checkpoints", r.checkpoints());
      row.put("refused", r.refused());
      row.put("importSeconds", r.importSeconds());
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
