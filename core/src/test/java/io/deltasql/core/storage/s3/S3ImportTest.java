package io.deltasql.core.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.data.TableScanner;
import io.deltasql.core.imports.ImportResult;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.deltasql.core.testing.KernelFacts;
import io.deltasql.core.testing.S3TestServer;
import io.deltasql.core.testing.SharedTables;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Delta tables written by Spark and Databricks, copied into an S3 bucket, imported from there
 * into an H2 and a PostgreSQL catalog and scanned through {@link S3Storage}: every version is
 * in the catalog and the rows equal those read from the local copy (and Delta Kernel's count).
 * The tables cover classic, multi-part and V2 checkpoints (JSON and Parquet, with sidecars),
 * deletion vectors, and partition values that need escaping in keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ImportTest {
  static final List<String> TABLES = List.of(
      "basic-with-inserts-deletes-checkpoint",
      "multi-part-checkpoint",
      "v2-checkpoint-json",
      "v2-checkpoint-parquet",
      "basic-dv-no-checkpoint",
      "cdf-table-with-cdc-and-dvs",
      "data-reader-escaped-chars",
      "data-reader-partition-values");

  private final S3TestServer server = S3TestServer.get();
  private final Map<CatalogBackend, CatalogFixture> catalogs = new EnumMap<>(CatalogBackend.class);
  private String bucket;
  private S3Storage storage;

  @BeforeAll
  void uploadTables() {
    bucket = server.newBucket("import");
    for (String table : TABLES) {
      server.upload(SharedTables.table(table), location(table));
    }
    storage = server.storage(bucket + "/lake");
    for (CatalogBackend backend : CatalogBackend.values()) {
      catalogs.put(backend, backend.fresh("s3import"));
    }
  }

  @AfterAll
  void close() {
    catalogs.values().forEach(CatalogFixture::close);
    storage.close();
  }

  private String location(String table) {
    return bucket + "/lake/" + table;
  }

  Stream<Arguments> cases() {
    return Stream.of(CatalogBackend.values()).flatMap(b -> TABLES.stream().map(t -> Arguments.of(b, t)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void importedFromS3TheTableReadsAsTheLocalCopy(CatalogBackend backend, String table) {
    CatalogStore catalog = catalogs.get(backend).store();
    String name = table.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");

    ImportResult imported = new TableImporter(catalog, storage).importTable("s3", name, location(table));

    String local = SharedTables.table(table).toString();
    DeltaLog localLog = DeltaLog.open(LocalStorage.INSTANCE, local);
    assertEquals(localLog.latestVersion(), imported.latestVersion());
    assertEquals(localLog.oldestVersion(), imported.oldestVersion());
    assertEquals(location(table), catalog.findTable(imported.tableId()).orElseThrow().location());
    for (long v = imported.oldestVersion(); v <= imported.latestVersion(); v++) {
      assertEquals(paths(localLog.snapshotAt(v)), paths(catalog.snapshotAt(imported.tableId(), v)), "version " + v);
    }

    Snapshot fromCatalog = catalog.snapshot(imported.tableId());
    List<String> fromS3 = rowsOf(new TableScanner(storage, location(table), fromCatalog));
    List<String> fromDisk = rowsOf(new TableScanner(LocalStorage.INSTANCE, local, localLog.snapshot()));
    assertEquals(fromDisk, fromS3);
    KernelFacts.Fact kernel = KernelFacts.all().get(table);
    if (kernel != null) {
      assertEquals(kernel.rows(), fromS3.size(), "Delta Kernel's row count");
    }
    assertTrue(storage.listRecursively(location(table) + "/_delta_log").size() > 0);
  }

  private static List<String> paths(Snapshot snapshot) {
    return snapshot.activeFiles().stream().map(f -> f.path() + f.deletionVector().map(d -> "#" + d).orElse(""))
        .sorted().toList();
  }

  /** The rows as sorted strings: a multiset comparison. */
  static List<String> rowsOf(TableScanner scanner) {
    return scanner.rows().toList().stream().map(S3ImportTest::render).sorted().toList();
  }

  /** A value as text, arrays and collections element by element. */
  static String render(Object value) {
    if (value instanceof Object[] array) {
      return render(Arrays.asList(array));
    }
    if (value instanceof byte[] b) {
      return Arrays.toString(b);
    }
    if (value instanceof java.util.Collection<?> c) {
      return c.stream().map(S3ImportTest::render).toList().toString();
    }
    if (value instanceof Map<?, ?> m) {
      return m.entrySet().stream().map(e -> render(e.getKey()) + "=" + render(e.getValue())).sorted().toList()
          .toString();
    }
    return String.valueOf(value);
  }
}
