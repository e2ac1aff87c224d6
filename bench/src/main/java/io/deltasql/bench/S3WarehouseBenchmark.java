package io.deltasql.bench;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.data.DataFileWriter;
import io.deltasql.core.data.RowIterator;
import io.deltasql.core.data.TableScanner;
import io.deltasql.core.data.WriteOptions;
import io.deltasql.core.mirror.MirrorConfig;
import io.deltasql.core.mirror.MirrorEngine;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.Storages;
import io.deltasql.core.testing.S3TestServer;
import io.deltasql.core.txn.MultiTableCommitResult;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.NewTable;
import io.deltasql.core.txn.TableActions;
import io.deltasql.core.txn.TableRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * A warehouse on S3 against one on the local disk, same catalog (embedded H2), same code:
 *
 * <ul>
 *   <li>{@link #commitAndMirror}: one transaction that writes one small Parquet file (10 rows)
 *       into each of two tables and commits; the result returns after the mirror published both
 *       commit files (and a checkpoint every 10th version). The write-side latency of an INSERT.</li>
 *   <li>{@link #scan}: every row of a table of 20 files of 5,000 rows (3 columns), through
 *       {@link TableScanner}: footer and column chunks by ranged reads.</li>
 * </ul>
 *
 * <p>S3 is S3Proxy 2.6.0 (in-memory back end) on loopback behind the tests' gateway, which
 * honours conditional writes with a HEAD before each conditional PUT: a lower bound of what a
 * network store costs, with no network latency at all.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 4, time = 5, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class S3WarehouseBenchmark {
  static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"name\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"amount\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}}]}";

  /** Where the warehouse is: {@code local} (a temporary folder) or {@code s3} (loopback S3Proxy). */
  @Param({"local", "s3"})
  public String storage;

  private Path dir;
  private CatalogStore catalog;
  private Storage store;
  private MirrorEngine mirror;
  private MultiTableWriter writer;
  private String warehouse;
  private List<TableRef> written;
  private TableRef scanned;
  private long next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("deltasql-bench-s3-");
    catalog = CatalogStore.open(CatalogConfig.of("jdbc:h2:file:" + dir.resolve("catalog")).withPoolSize(4));
    if (storage.equals("s3")) {
      S3TestServer server = S3TestServer.get();
      warehouse = server.newBucket("bench") + "/warehouse";
      store = server.storage(warehouse);
    } else {
      warehouse = Files.createDirectories(dir.resolve("warehouse")).toString();
      store = LocalStorage.INSTANCE;
    }
    mirror = MirrorEngine.open(catalog, store, MirrorConfig.DEFAULTS.withReconcilePeriod(Duration.ZERO),
        new SimpleMeterRegistry());
    writer = MultiTableWriter.builder(catalog).mirror(mirror).build();
    written = List.of(create("a", 0, 0), create("b", 0, 0));
    scanned = create("scan", 20, 5_000);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    writer.close();
    mirror.close();
    catalog.close();
    Storages.close(store);
  }

  private static Metadata metadata() {
    return new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(), Format.PARQUET, SCHEMA,
        List.of(), Map.of(), Optional.of(0L));
  }

  private List<AddFile> write(String location, Metadata metadata, int rows) {
    List<Object[]> data = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      long id = next++;
      data.add(new Object[] {id, "name " + id, id * 0.5});
    }
    return DataFileWriter.of(store, location, metadata, WriteOptions.DEFAULTS).write(data);
  }

  private TableRef create(String name, int files, int rowsPerFile) {
    String location = warehouse + "/main/" + name;
    Metadata metadata = metadata();
    MultiTableTransaction tx = writer.begin();
    writer.createTable(tx, NewTable.of("main", name, location), metadata, Optional.empty());
    List<AddFile> adds = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      adds.addAll(write(location, metadata, rowsPerFile));
    }
    tx.addFiles("main." + name, TableActions.NEW_TABLE, adds);
    writer.commit(tx);
    return writer.table("main", name);
  }

  @Benchmark
  public MultiTableCommitResult commitAndMirror() {
    MultiTableTransaction tx = writer.begin();
    for (TableRef t : written) {
      Metadata metadata = catalog.snapshot(t.tableId()).metadata();
      tx.addFiles(t.key(), catalog.currentVersion(t.tableId()), write(t.location(), metadata, 10));
    }
    MultiTableCommitResult result = writer.commit(tx);
    result.tables().forEach(r -> {
      if (!r.mirror().complete()) {
        throw new IllegalStateException("mirror incomplete: " + r.mirror());
      }
    });
    return result;
  }

  @Benchmark
  public long scan() {
    long rows = 0;
    try (RowIterator it = new TableScanner(store, scanned.location(), catalog.snapshot(scanned.tableId())).rows()) {
      while (it.hasNext()) {
        it.next();
        rows++;
      }
    }
    if (rows != 100_000) {
      throw new IllegalStateException("scanned " + rows + " rows, expected 100000");
    }
    return rows;
  }
}
