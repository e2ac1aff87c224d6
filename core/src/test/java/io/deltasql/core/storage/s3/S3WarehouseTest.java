package io.deltasql.core.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.Scan;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.utils.CloseableIterator;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.data.DataFileWriter;
import io.deltasql.core.data.TableScanner;
import io.deltasql.core.data.WriteOptions;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.mirror.MirrorConfig;
import io.deltasql.core.mirror.MirrorEngine;
import io.deltasql.core.mirror.MirrorOutcome;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.deltasql.core.testing.KernelFileIO;
import io.deltasql.core.testing.S3Gateway;
import io.deltasql.core.testing.S3Gateway.Fault;
import io.deltasql.core.testing.S3TestServer;
import io.deltasql.core.txn.MultiTableCommitResult;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.NewTable;
import io.deltasql.core.txn.TableActions;
import io.deltasql.core.txn.TableRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A warehouse on S3, on H2 and PostgreSQL catalogs: multi-table transactions write Parquet
 * files to S3 and the mirror publishes each version to the tables' {@code _delta_log} there
 * (checkpoints included); Delta Kernel reads a local copy of the objects with the same files
 * and rows as deltasql reads from S3; a foreign commit put first marks the table diverged;
 * injected faults leave the catalog committed and reconcilable, and no partial object.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3WarehouseTest {
  static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"name\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";
  static final MirrorConfig MIRROR = MirrorConfig.DEFAULTS.withReconcilePeriod(Duration.ZERO).withAttempts(3)
      .withBackoff(Duration.ofMillis(1), Duration.ofMillis(4));

  @Parameter
  CatalogBackend backend;

  private final S3TestServer server = S3TestServer.get();
  private final S3Gateway gateway = server.gateway();
  private CatalogFixture catalog;
  private S3Storage s3;
  private String warehouse;
  private MirrorEngine mirror;
  private MultiTableWriter writer;
  private final List<String> cleaned = new ArrayList<>();

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("s3wh");
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  @BeforeEach
  void openWarehouse() {
    gateway.clearFaults();
    cleaned.clear();
    warehouse = server.newBucket("wh") + "/warehouse";
    s3 = server.storage(warehouse);
    mirror = MirrorEngine.open(store(), s3, MIRROR, new SimpleMeterRegistry());
    writer = MultiTableWriter.builder(store()).mirror(mirror).mirrorMode(MultiTableWriter.MirrorMode.SYNCHRONOUS)
        .dataFileCleaner((table, location, adds) ->
        adds.forEach(a -> {
          String path = StoragePaths.resolveInTable(location, a.path());
          s3.delete(path);
          cleaned.add(path);
        })).build();
  }

  @AfterEach
  void closeWarehouse() {
    gateway.clearFaults();
    writer.close();
    mirror.close();
    s3.close();
  }

  private CatalogStore store() {
    return catalog.store();
  }

  static Metadata metadata() {
    return new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(), Format.PARQUET, SCHEMA,
        List.of("p"), Map.of("delta.checkpointInterval", "5"), Optional.of(0L));
  }

  static List<Object[]> rows(int from, int count) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      rows.add(new Object[] {(long) i, "name " + i, i % 3 == 0 ? null : "p" + (i % 3)});
    }
    return rows;
  }

  private List<AddFile> write(String location, Metadata metadata, List<Object[]> rows) {
    return DataFileWriter.of(s3, location, metadata, WriteOptions.DEFAULTS).write(rows);
  }

  private String location(String name) {
    return warehouse + "/main/" + name;
  }

  /** Creates tables in one transaction, each with rows 0..9. */
  private List<TableRef> createTables(String... names) {
    MultiTableTransaction tx = writer.begin();
    for (String name : names) {
      Metadata metadata = metadata();
      writer.createTable(tx, NewTable.of("main", name, location(name)), metadata, Optional.empty());
      tx.addFiles("main." + name, TableActions.NEW_TABLE, write(location(name), metadata, rows(0, 10)));
    }
    MultiTableCommitResult result = writer.commit(tx);
    result.tables().forEach(t -> assertTrue(t.mirror().complete(), t.mirror().toString()));
    List<TableRef> refs = new ArrayList<>();
    for (String name : names) {
      refs.add(writer.table("main", name));
    }
    return refs;
  }

  /** Appends rows to every table in one transaction. */
  private MultiTableCommitResult append(List<TableRef> tables, int from) {
    MultiTableTransaction tx = writer.begin();
    for (TableRef t : tables) {
      Metadata metadata = store().snapshot(t.tableId()).metadata();
      tx.addFiles(t.key(), store().currentVersion(t.tableId()), write(t.location(), metadata, rows(from, 10)));
    }
    return writer.commit(tx);
  }

  private static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  @Test
  void multiTableCommitsAreMirroredToS3AndKernelReadsTheObjects(@TempDir Path copy) {
    List<TableRef> tables = createTables(unique("a"), unique("b"));
    for (int c = 1; c <= 6; c++) {
      MultiTableCommitResult result = append(tables, c * 10);
      result.tables().forEach(t -> assertTrue(t.mirror().complete(), t.mirror().toString()));
    }

    for (TableRef t : tables) {
      String log = StoragePaths.logDir(t.location());
      List<String> names = s3.list(log).stream().map(FileStatus::name).toList();
      for (long v = 0; v <= 6; v++) {
        assertTrue(names.contains(LogFile.commitFileName(v)), v + " in " + names);
      }
      assertTrue(names.contains("00000000000000000005.checkpoint.parquet"), names.toString());
      assertTrue(names.contains("_last_checkpoint"), names.toString());

      // deltasql's own log reader over S3 agrees with the catalog
      assertEquals(6, DeltaLog.open(s3, t.location()).latestVersion());
      List<String> ours = S3ImportTest.rowsOf(new TableScanner(s3, t.location(), store().snapshot(t.tableId())));
      assertEquals(70, ours.size());

      // Delta Kernel reads a local copy of the objects
      Path local = copy.resolve(t.tableName());
      server.download(t.location(), local);
      Engine kernel = DefaultEngine.create(new KernelFileIO(LocalStorage.INSTANCE));
      SnapshotImpl snapshot = (SnapshotImpl) Table.forPath(kernel, local.toString()).getLatestSnapshot(kernel);
      assertEquals(6, snapshot.getVersion());
      assertEquals(Optional.of(5L), snapshot.getLogSegment().getCheckpointVersionOpt());
      List<String> expectedFiles = store().snapshot(t.tableId()).activeFiles().stream()
          .map(f -> local.resolve(java.net.URI.create(f.path()).getPath()).toString()).sorted()
          .toList();
      assertEquals(expectedFiles, kernelFiles(kernel, snapshot));
      assertEquals(ours, kernelRows(kernel, snapshot));
    }
  }

  @Test
  void aForeignCommitPutFirstMarksTheTableDiverged() {
    TableRef t = createTables(unique("f")).get(0);
    String foreignPath = StoragePaths.join(StoragePaths.logDir(t.location()), LogFile.commitFileName(1));
    byte[] foreign = ("{\"commitInfo\":{\"timestamp\":1,\"operation\":\"WRITE\",\"engineInfo\":\"other\"}}\n"
        + "{\"remove\":{\"path\":\"x.parquet\",\"deletionTimestamp\":1,\"dataChange\":true}}\n")
        .getBytes(StandardCharsets.UTF_8);
    String[] bk = foreignPath.substring("s3://".length()).split("/", 2);
    server.direct().putObject(r -> r.bucket(bk[0]).key(bk[1]),
        software.amazon.awssdk.core.sync.RequestBody.fromBytes(foreign));

    MirrorOutcome outcome = append(List.of(t), 10).table(t.key()).orElseThrow().mirror();

    assertTrue(outcome.diverged(), outcome.toString());
    assertTrue(store().findTable(t.tableId()).orElseThrow().diverged());
    assertArrayEquals(foreign, s3.readAll(foreignPath), "the foreign commit is left as it is");
    DeltaException refused = assertThrows(DeltaException.class, () -> append(List.of(t), 20));
    assertTrue(refused.getMessage().contains("diverged"), refused.getMessage());
  }

  @Test
  void rollbackDeletesTheDataFilesWrittenToS3() {
    TableRef t = createTables(unique("r")).get(0);
    MultiTableTransaction tx = writer.begin();
    List<AddFile> adds = write(t.location(), store().snapshot(t.tableId()).metadata(), rows(100, 10));
    tx.addFiles(t.key(), 0, adds);
    for (AddFile a : adds) {
      assertTrue(s3.status(StoragePaths.resolveInTable(t.location(), a.path())).isPresent());
    }
    writer.rollback(tx);
    assertEquals(adds.size(), cleaned.size());
    for (String path : cleaned) {
      assertTrue(s3.status(path).isEmpty(), path);
    }
    assertEquals(0, store().currentVersion(t.tableId()));
  }

  /**
   * Throttling and 500s on the commit file are retried; when they outlast the retries, the
   * catalog commit stands, no commit object exists, and reconciling later publishes it. A data
   * file whose upload keeps dropping fails the write with no object and no pending upload, and
   * the catalog is unchanged.
   */
  @Test
  void faultsLeaveNoTornState() {
    TableRef t = createTables(unique("x")).get(0);
    String log = StoragePaths.logDir(t.location());

    gateway.inject("PUT", "/00000000000000000001.json", Fault.SLOW_DOWN_503, 2);
    gateway.inject("PUT", "/00000000000000000001.json", Fault.INTERNAL_ERROR_500, 2);
    assertTrue(append(List.of(t), 10).table(t.key()).orElseThrow().mirror().complete());
    assertEquals(4, gateway.faultsFired());

    gateway.inject("PUT", "/00000000000000000002.json", Fault.DROP_MID_BODY, 1_000);
    MirrorOutcome failed = append(List.of(t), 20).table(t.key()).orElseThrow().mirror();
    assertFalse(failed.complete(), failed.toString());
    assertEquals(2, store().currentVersion(t.tableId()), "the catalog commit stands");
    assertTrue(s3.status(StoragePaths.join(log, LogFile.commitFileName(2))).isEmpty(), "no partial commit file");
    gateway.clearFaults();
    assertTrue(mirror.reconcile(t.tableId()).complete());
    assertEquals(2, DeltaLog.open(s3, t.location()).latestVersion());

    // a data file whose upload keeps failing
    List<FileStatus> before = s3.listRecursively(t.location());
    gateway.inject("PUT", "/main/", Fault.DROP_MID_BODY, 1_000);
    Metadata metadata = store().snapshot(t.tableId()).metadata();
    DeltaException e = assertThrows(DeltaException.class, () -> write(t.location(), metadata, rows(30, 10)));
    assertEquals(SqlState.IO_ERROR, e.state());
    gateway.clearFaults();
    assertEquals(before, s3.listRecursively(t.location()), "no object of the failed write");
    assertEquals(0, server.pendingUploads(t.location()));
    assertEquals(2, store().currentVersion(t.tableId()));
  }

  // ---- Delta Kernel's reading -------------------------------------------------------------

  private static List<String> kernelFiles(Engine kernel, SnapshotImpl snapshot) {
    List<String> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = snapshot.getScanBuilder().build().getScanFiles(kernel)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            files.add(Path.of(java.net.URI.create(InternalScanFileUtils.getAddFileStatus(rows.next()).getPath())
                .getPath()).toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files.stream().sorted().toList();
  }

  /** Kernel's rows of the table (id, name, p), rendered as {@link S3ImportTest#rowsOf} renders ours. */
  private static List<String> kernelRows(Engine kernel, SnapshotImpl snapshot) {
    Scan scan = snapshot.getScanBuilder().build();
    Row state = scan.getScanState(kernel);
    io.delta.kernel.types.StructType physical = ScanStateRow.getPhysicalDataReadSchema(kernel, state);
    List<String> rows = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(kernel)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            Row file = fileRows.next();
            CloseableIterator<ColumnarBatch> data = kernel.getParquetHandler().readParquetFiles(
                Utils.singletonCloseableIterator(InternalScanFileUtils.getAddFileStatus(file)), physical,
                Optional.empty());
            try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(kernel, state, file,
                data)) {
              while (logical.hasNext()) {
                try (CloseableIterator<Row> values = logical.next().getRows()) {
                  while (values.hasNext()) {
                    Row r = values.next();
                    rows.add(S3ImportTest.render(new Object[] {
                        r.isNullAt(0) ? null : r.getLong(0),
                        r.isNullAt(1) ? null : r.getString(1),
                        r.isNullAt(2) ? null : r.getString(2)}));
                  }
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows.stream().sorted().toList();
  }
}
