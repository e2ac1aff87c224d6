package io.deltasql.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.Scan;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.checksum.CRCInfo;
import io.delta.kernel.utils.CloseableIterator;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.json.LastCheckpointJson;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generator writes the table it promises: deltasql's log reader finds exactly the
 * requested versions and active files, and Delta Kernel, on Hadoop's local file system as in
 * the benchmarks, agrees on the version and the files (and, with checksum files, reads them).
 */
class TableGeneratorTest {
  private static final Engine KERNEL = DefaultEngine.create(new Configuration());

  @TempDir
  Path dir;

  @ParameterizedTest(name = "commits={0} files={1} checkpointInterval={2} partitioned={3} crc={4}")
  @CsvSource({
      "57, 430, 10, false, NONE",
      "57, 430, 0, true, NONE",
      "57, 430, 10, true, ALL",
      "57, 430, 0, false, ALL",
      "57, 430, 10, false, LATEST",
      "40, 12, 7, false, NONE",
      "2, 3, 0, false, NONE"})
  void deltaLogAndKernelReadTheRequestedTable(int commits, int files, int interval,
      boolean partitioned, Checksums crc) throws IOException {
    TableSpec spec = new TableSpec(commits, files, interval, partitioned, crc);
    GeneratedTable table = TableGenerator.generate(dir.resolve("t"), spec);

    Snapshot ours = DeltaLog.open(LocalStorage.INSTANCE, table.path()).snapshot();
    assertEquals(commits - 1, ours.version());
    assertEquals(files, ours.files().size());
    assertEquals(table.latestVersion(), ours.version());
    assertEquals(table.activeFiles(), ours.files().size());
    assertEquals(partitioned ? 1 : 0, ours.metadata().partitionColumns().size());
    assertEquals(spec.checkpointVersion(), table.checkpointVersion());
    // in-commit timestamps: the latest version's, one commit a minute from 2025-01-01
    assertEquals(1_735_689_600_000L + (commits - 1) * 60_000L, ours.timestamp());

    io.delta.kernel.Snapshot kernel = Table.forPath(KERNEL, table.path()).getLatestSnapshot(KERNEL);
    assertEquals(commits - 1, kernel.getVersion());
    assertEquals(ours.timestamp(), kernel.getTimestamp(KERNEL));
    Set<String> ourPaths = ours.files().values().stream().map(AddFile::path)
        .collect(Collectors.toSet());
    assertEquals(ourPaths, kernelPaths(kernel));

    // selective planning: Kernel's data skipping keeps exactly the one file whose id range holds k
    long k = table.probeId().orElseThrow();
    Set<String> holding = ours.files().values().stream()
        .filter(f -> {
          FileStats stats = FileStatsJson.parse(f.stats(), f.path());
          return stats.minValue("id").orElseThrow().longValue() <= k
              && k <= stats.maxValue("id").orElseThrow().longValue();
        })
        .map(AddFile::path)
        .collect(Collectors.toSet());
    assertEquals(1, holding.size());
    Scan selective = kernel.getScanBuilder()
        .withFilter(new Predicate("=", new Column("id"), Literal.ofLong(k))).build();
    assertEquals(holding, paths(selective));

    // Kernel takes the latest version's checksum file when there is one, and it agrees
    try (var listed = Files.list(dir.resolve("t").resolve("_delta_log"))) {
      long crcFiles = listed.filter(p -> p.toString().endsWith(".crc")).count();
      assertEquals(switch (crc) { case NONE -> 0; case LATEST -> 1; case ALL -> commits; }, crcFiles);
    }
    Optional<CRCInfo> checksum = ((SnapshotImpl) kernel).getCurrentCrcInfo();
    assertEquals(crc != Checksums.NONE, checksum.isPresent());
    if (checksum.isPresent()) {
      assertEquals(commits - 1, checksum.get().getVersion());
      assertEquals(files, checksum.get().getNumFiles());
      assertEquals(ours.files().values().stream().mapToLong(AddFile::size).sum(),
          checksum.get().getTableSizeBytes());
      assertEquals(ours.metadata().id(), checksum.get().getMetadata().getId());
    }
  }

  @Test
  void checkpointAndLastCheckpointPointAtTheNewestMultipleOfTheInterval() throws IOException {
    GeneratedTable table = TableGenerator.generate(dir, new TableSpec(57, 430, 10, false, Checksums.NONE));
    Path log = dir.resolve("_delta_log");
    assertEquals(50, table.checkpointVersion().orElseThrow());
    assertTrue(Files.exists(log.resolve("00000000000000000050.checkpoint.parquet")));
    try (var listed = Files.list(log)) {
      assertEquals(1, listed.filter(p -> p.toString().endsWith(".parquet")).count());
    }
    var last = LastCheckpointJson.parse(Files.readAllBytes(log.resolve("_last_checkpoint")), "test");
    assertEquals(50, last.version());
    assertEquals(DeltaLog.open(LocalStorage.INSTANCE, table.path()).snapshotAt(50).files().size(),
        last.numOfAddFiles().orElseThrow());
  }

  @Test
  void filesHaveStatsWithDisjointIdRangesAndDeletesRemoveActiveFiles() throws IOException {
    GeneratedTable table = TableGenerator.generate(dir, new TableSpec(30, 200, 0, false, Checksums.NONE));
    DeltaLog log = DeltaLog.open(LocalStorage.INSTANCE, table.path());
    Set<Long> minIds = new HashSet<>();
    int removes = 0;
    for (long v = 1; v <= table.latestVersion(); v++) {
      for (var action : log.commitActions(v)) {
        if (action instanceof AddFile add) {
          FileStats stats = FileStatsJson.parse(add.stats(), add.path());
          long rows = stats.numRecords().orElseThrow();
          long min = stats.minValue("id").orElseThrow().longValue();
          assertEquals(min + rows - 1, stats.maxValue("id").orElseThrow().longValue());
          assertTrue(minIds.add(min), "id ranges overlap at " + min);
          assertTrue(stats.minValue("category").isPresent());
          assertTrue(stats.maxValue("ts").isPresent());
          assertEquals(0L, stats.nullCount("id").orElseThrow());
        } else if (action instanceof RemoveFile) {
          removes++;
          assertEquals(5, v % 10, "only DELETE commits remove files");
        }
      }
    }
    assertEquals(3 * TableGenerator.REWRITTEN_PER_DELETE, removes);
  }

  @Test
  void cacheReusesACompleteTable() {
    TableSpec spec = new TableSpec(12, 40, 10, true, Checksums.ALL);
    GeneratedTable first = TableGenerator.cached(dir, spec);
    assertEquals(dir.resolve(spec.directoryName()), first.root());
    GeneratedTable second = TableGenerator.cached(dir, spec);
    assertEquals(first, second);
    try (var listed = Files.list(dir)) {
      assertEquals(1, listed.count(), "no temporary folder left behind");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertSame(spec, second.spec());
  }

  @Test
  void refusesImpossibleSpecs() {
    assertThrows(IllegalArgumentException.class, () -> new TableSpec(0, 0, 0, false, Checksums.NONE));
    assertThrows(IllegalArgumentException.class, () -> new TableSpec(1, 5, 0, false, Checksums.NONE));
    assertThrows(IllegalArgumentException.class, () -> new TableSpec(10, 5, -1, false, Checksums.NONE));
    assertFalse(new TableSpec(5, 5, 10, false, Checksums.NONE).checkpointVersion().isPresent());
  }

  private static Set<String> kernelPaths(io.delta.kernel.Snapshot snapshot) throws IOException {
    return paths(snapshot.getScanBuilder().build());
  }

  private static Set<String> paths(Scan scan) throws IOException {
    Set<String> paths = new HashSet<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(KERNEL)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            assertTrue(paths.add(TableOpenBenchmark.addPath(rows.next())), "duplicate path");
          }
        }
      }
    }
    return paths;
  }
}
