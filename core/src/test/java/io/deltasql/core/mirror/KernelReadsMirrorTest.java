package io.deltasql.core.mirror;

import static io.deltasql.core.mirror.MirrorEngineTest.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.types.StructField;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.deltasql.core.testing.KernelFileIO;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Delta Kernel 4.0.0, an independent reader, reads the mirrored tables: at every version
 * exactly the catalog's active files and schema, through our checkpoints where they exist,
 * and time travel by the catalog's commit timestamps lands on the same versions.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelReadsMirrorTest {
  static final Engine KERNEL = DefaultEngine.create(new KernelFileIO(LocalStorage.INSTANCE));

  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("mirrorkernel");
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  private CatalogStore store() {
    return catalog.store();
  }

  /** What Kernel and the catalog both say about one active file. */
  record ScanFile(String path, long size, Map<String, String> partitionValues) {}

  /**
   * Mirrored after the commits, so that file modification times say nothing of commit
   * times: Kernel's timestamp of each version is the in-commit timestamp the catalog
   * recorded. (Kernel 4.0.0's lookup of a version by timestamp still goes by the commit
   * files' modification times, whatever the table's in-commit timestamps; it is not checked.)
   */
  @Test
  void kernelReadsEveryMirroredVersionAsTheCatalogHoldsIt() throws InterruptedException {
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), LocalStorage.INSTANCE, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      // Two passes, each writing the newest checkpoint due among its versions: 10, then 20.
      table.commit(12);
      Thread.sleep(5);
      assertTrue(engine.mirror(table.id()).complete());
      table.commit(12);
      Thread.sleep(5);
      assertTrue(engine.mirror(table.id()).complete());

      Table kernelTable = Table.forPath(KERNEL, table.location());
      for (long v = 0; v <= 24; v++) {
        SnapshotImpl kernel = (SnapshotImpl) kernelTable.getSnapshotAsOfVersion(KERNEL, v);
        Snapshot ours = store().snapshotAt(table.id(), v);
        assertEquals(v, kernel.getVersion());
        Optional<Long> checkpoint = v >= 20 ? Optional.of(20L) : v >= 10 ? Optional.of(10L) : Optional.empty();
        assertEquals(checkpoint, kernel.getLogSegment().getCheckpointVersionOpt(), "checkpoint of version " + v);
        assertSameTable(ours, kernel, table);
        long version = v;
        long atCommit = store().inTransaction(tx -> tx.versionRecord(table.id(), version)).orElseThrow().timestamp();
        assertEquals(atCommit, kernel.getTimestamp(KERNEL), "timestamp of version " + v);
      }
    }
  }

  /** With the commits before it gone (log cleanup), the latest checkpoint alone gives Kernel the state. */
  @Test
  void kernelReadsTheTableThroughTheCheckpointAlone() {
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), LocalStorage.INSTANCE, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      table.configure(Map.of("delta.checkpointInterval", "5"));
      table.commit(13);
      assertTrue(engine.mirror(table.id()).complete());
      for (long v = 0; v < 10; v++) {
        LocalStorage.INSTANCE.delete(table.logFile(LogFile.commitFileName(v)));
      }

      SnapshotImpl kernel = (SnapshotImpl) Table.forPath(KERNEL, table.location()).getLatestSnapshot(KERNEL);

      assertEquals(14, kernel.getVersion());
      assertEquals(Optional.of(10L), kernel.getLogSegment().getCheckpointVersionOpt());
      assertSameTable(store().snapshotAt(table.id(), 14), kernel, table);
    }
  }

  private static void assertSameTable(Snapshot ours, SnapshotImpl kernel, TestTable table) {
    String at = "version " + ours.version();
    assertEquals(List.of("id", "p"), kernel.getSchema().fields().stream().map(StructField::getName).toList(), at);
    assertEquals(List.of("long", "string"),
        kernel.getSchema().fields().stream().map(f -> f.getDataType().toString()).toList(), at);
    assertEquals(ours.metadata().id(), kernel.getMetadata().getId(), at);
    assertEquals(ours.metadata().configuration(), kernel.getMetadata().getConfiguration(), at);
    assertEquals(Set.copyOf(ours.metadata().partitionColumns()), kernel.getMetadata().getPartitionColNames(), at);
    assertEquals(ours.protocol().readerFeatures(), kernel.getProtocol().getReaderFeatures(), at);
    assertEquals(ours.protocol().writerFeatures(), kernel.getProtocol().getWriterFeatures(), at);
    assertEquals(catalogFiles(table.location(), ours), scanFiles(kernel), at);
  }

  /** The active files of {@code snapshot} of the table at {@code location}, as Kernel names them. */
  static Set<ScanFile> catalogFiles(String location, Snapshot snapshot) {
    return snapshot.activeFiles().stream()
        .map(f -> new ScanFile(StoragePaths.resolveInTable(location, f.path()), f.size(), f.partitionValues()))
        .collect(Collectors.toSet());
  }

  /** The files Kernel's scan of {@code snapshot} returns. */
  static Set<ScanFile> scanFiles(SnapshotImpl snapshot) {
    Set<ScanFile> files = new HashSet<>();
    try (CloseableIterator<FilteredColumnarBatch> batches =
        snapshot.getScanBuilder().build().getScanFiles(KERNEL)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            Row row = rows.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(row);
            files.add(new ScanFile(status.getPath(), status.getSize(), InternalScanFileUtils.getPartitionValues(row)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
