package io.deltasql.bench;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Opening a table, as defined in DESIGN.md "Performance targets, defined precisely": each
 * invocation starts from nothing but the table's path (no snapshot cache), on a warm JVM
 * and a warm OS file cache.
 *
 * <ul>
 *   <li>{@link #kernelFullListing}: Delta Kernel's latest snapshot and its full scan file
 *       list (the baseline of "full listing").
 *   <li>{@link #kernelMetadataOpen}: Delta Kernel's latest snapshot, its version and schema
 *       (the baseline of "metadata open").
 *   <li>{@link #kernelSelectivePlanning}: Delta Kernel's latest snapshot and the scan files
 *       that may hold {@code id = k} by their statistics (the baseline of "selective
 *       planning"; {@code k} is {@link GeneratedTable#probeId()}, held by exactly one file).
 *   <li>{@link #deltaLogFullListing}: deltasql's own log reader ({@link DeltaLog}), latest
 *       snapshot with every active file and its stats.
 * </ul>
 *
 * <p><b>Extension point for the catalog.</b> When {@code CatalogStore} lands, its rows are
 * added here as further {@code @Benchmark} methods named {@code catalogMetadataOpen},
 * {@code catalogFullListing}, {@code catalogSelectivePlanning} (same {@code k}) and
 * {@code catalogCachedSnapshotOneCommit}, taking {@link GeneratedTableState} (the same
 * table) and a new {@code @State} class that imports that table into the catalog once per
 * trial and has its own {@code @Param} for the catalog database (H2, PostgreSQL). JMH
 * creates a state only for the methods that use it, so the Kernel rows do not multiply.
 * Until then docs/benchmarks.md lists those rows as pending.
 *
 * <p>Settings are pinned here; {@code bench/run --quick} only lowers fork and iteration
 * counts and the table size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 7, time = 5, timeUnit = TimeUnit.SECONDS)
public class TableOpenBenchmark {

  /** Delta Kernel's default engine on Hadoop's local file system, one per trial. */
  @State(Scope.Benchmark)
  public static class KernelState {
    Engine engine;

    /** Creates the engine. */
    @Setup(Level.Trial)
    public void createEngine() {
      engine = DefaultEngine.create(new Configuration());
    }
  }

  /** Kernel: latest snapshot, then every active file of a full scan (paths consumed). */
  @Benchmark
  public long kernelFullListing(GeneratedTableState state, KernelState kernel, Blackhole bh)
      throws IOException {
    GeneratedTable table = state.table();
    Engine engine = kernel.engine;
    Snapshot snapshot = Table.forPath(engine, table.path()).getLatestSnapshot(engine);
    Scan scan = snapshot.getScanBuilder().build();
    long files = consumeScanFiles(scan, engine, bh);
    table.requireFileCount("Kernel", files);
    return files;
  }

  /** Kernel: latest snapshot's version and schema (protocol and metadata are loaded). */
  @Benchmark
  public StructType kernelMetadataOpen(GeneratedTableState state, KernelState kernel, Blackhole bh) {
    Engine engine = kernel.engine;
    Snapshot snapshot = Table.forPath(engine, state.table().path()).getLatestSnapshot(engine);
    bh.consume(snapshot.getVersion());
    return snapshot.getSchema();
  }

  /** Kernel: latest snapshot, then the scan files that data skipping keeps for {@code id = k}. */
  @Benchmark
  public long kernelSelectivePlanning(GeneratedTableState state, KernelState kernel, Blackhole bh)
      throws IOException {
    GeneratedTable table = state.table();
    Engine engine = kernel.engine;
    Snapshot snapshot = Table.forPath(engine, table.path()).getLatestSnapshot(engine);
    Predicate idEquals = new Predicate("=", new Column("id"),
        Literal.ofLong(table.probeId().orElseThrow()));
    Scan scan = snapshot.getScanBuilder().withFilter(idEquals).build();
    long files = consumeScanFiles(scan, engine, bh);
    if (files != 1) {
      throw new IllegalStateException("Kernel kept " + files + " files for id = "
          + table.probeId().getAsLong() + " in " + table.root() + "; exactly one holds it");
    }
    return files;
  }

  /** deltasql's log reader: latest snapshot with every active file (paths consumed). */
  @Benchmark
  public int deltaLogFullListing(GeneratedTableState state, Blackhole bh) {
    GeneratedTable table = state.table();
    io.deltasql.core.table.Snapshot snapshot =
        DeltaLog.open(LocalStorage.INSTANCE, table.path()).snapshot();
    for (AddFile file : snapshot.files().values()) {
      bh.consume(file.path());
    }
    table.requireFileCount("DeltaLog", snapshot.files().size());
    return snapshot.files().size();
  }

  /** Reads every scan file of {@code scan}, consumes its path, returns how many there were. */
  static long consumeScanFiles(Scan scan, Engine engine, Blackhole bh) throws IOException {
    long files = 0;
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            bh.consume(addPath(rows.next()));
            files++;
          }
        }
      }
    }
    return files;
  }

  /** The {@code add.path} of one of Kernel's scan file rows. */
  static String addPath(Row scanFile) {
    StructType schema = scanFile.getSchema();
    Row add = scanFile.getStruct(schema.indexOf("add"));
    return add.getString(add.getSchema().indexOf("path"));
  }
}
