package io.deltasql.core.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.data.FileSkipping;
import io.deltasql.core.data.KernelScan;
import io.deltasql.core.data.Predicate;
import io.deltasql.core.data.TableLayout;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.parquet.StorageInputFile;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.deltasql.core.testing.KernelFacts;
import io.deltasql.core.testing.SharedTables;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Import of every shared Delta table, on H2 and PostgreSQL: the catalog's snapshot at every
 * version equals what the log reader computes from {@code _delta_log}; refused tables leave
 * nothing registered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableImporterTest {
  /** Tables the log reader refuses although their README does not list them as must-reject. */
  private static final List<String> ALSO_REFUSED = List.of("deltalog-commit-info");

  private final Map<CatalogBackend, CatalogFixture> catalogs = new EnumMap<>(CatalogBackend.class);

  @BeforeAll
  void openCatalogs() {
    for (CatalogBackend backend : CatalogBackend.values()) {
      catalogs.put(backend, backend.fresh("import"));
    }
  }

  @AfterAll
  void closeCatalogs() {
    catalogs.values().forEach(CatalogFixture::close);
  }

  Stream<Arguments> importable() {
    return Stream.of(CatalogBackend.values()).flatMap(b -> SharedTables.readable().stream()
        .filter(t -> !ALSO_REFUSED.contains(t)).map(t -> Arguments.of(b, t)));
  }

  Stream<Arguments> refused() {
    return Stream.of(CatalogBackend.values()).flatMap(b -> Stream.concat(SharedTables.MUST_REJECT.stream(),
        ALSO_REFUSED.stream()).map(t -> Arguments.of(b, t)));
  }

  private static String tableName(String shared) {
    return shared.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("importable")
  void everyVersionInTheCatalogEqualsTheLog(CatalogBackend backend, String table) {
    CatalogStore catalog = catalogs.get(backend).store();
    String location = SharedTables.table(table).toString();
    catalog.findTable("shared", tableName(table)).ifPresent(t -> catalog.dropTable(t.tableId()));
    ImportResult result = new TableImporter(catalog, LocalStorage.INSTANCE, ImportProgress.SILENT)
        .importTable("shared", tableName(table), location);
    DeltaLog log = DeltaLog.open(LocalStorage.INSTANCE, location);
    assertEquals(log.oldestVersion(), result.oldestVersion());
    assertEquals(log.latestVersion(), result.latestVersion());
    assertEquals(log.latestVersion(), catalog.currentVersion(result.tableId()));
    for (long v = result.oldestVersion(); v <= result.latestVersion(); v++) {
      Snapshot expected = log.snapshotAt(v);
      Snapshot actual = catalog.snapshotAt(result.tableId(), v);
      assertEquals(expected.version(), actual.version());
      assertEquals(expected.protocol(), actual.protocol(), "protocol at " + v);
      assertEquals(expected.metadata(), actual.metadata(), "metadata at " + v);
      assertEquals(expected.files(), actual.files(), "active files at " + v);
      assertEquals(expected.appTransactions(), actual.appTransactions(), "app transactions at " + v);
      assertEquals(expected.domains(), actual.domains(), "domain metadata at " + v);
      assertEquals(expected.timestamp(), actual.timestamp(), "timestamp at " + v);
    }
  }

  /**
   * Read through file images: an image of the oldest version with the changes after it equals
   * the log reader's snapshot at every version, and the latest listing through an image of the
   * latest version holds the files Delta Kernel lists.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("importable")
  void everyVersionThroughFileImagesEqualsTheLogAndKernel(CatalogBackend backend, String table) {
    CatalogStore catalog = catalogs.get(backend).store();
    String location = SharedTables.table(table).toString();
    catalog.findTable("shared", tableName(table)).ifPresent(t -> catalog.dropTable(t.tableId()));
    ImportResult result = new TableImporter(catalog, LocalStorage.INSTANCE, ImportProgress.SILENT)
        .importTable("shared", tableName(table), location);
    long id = result.tableId();
    DeltaLog log = DeltaLog.open(LocalStorage.INSTANCE, location);
    catalog.writeFileImage(id, result.oldestVersion()); // unless a large read left it already
    for (long v = result.oldestVersion(); v <= result.latestVersion(); v++) {
      assertEquals(log.snapshotAt(v), catalog.snapshotAt(id, v), table + " at version " + v);
    }
    catalog.writeFileImage(id, result.latestVersion());
    Snapshot latest = catalog.snapshot(id);
    assertEquals(log.snapshotAt(result.latestVersion()), latest, table + " latest");
    assertSkippingAgrees(log.snapshotAt(result.latestVersion()), latest, table);
    KernelFacts.Fact kernel = KernelFacts.all().get(table);
    if (kernel != null && kernel.version() == result.latestVersion()) {
      List<String> kernelFiles = KernelScan.filesAsOf(location, kernel.version()).stream()
          .map(TableImporterTest::localPath).sorted().toList();
      List<String> ours = latest.files().values().stream()
          .map(f -> localPath(StoragePaths.resolveInTable(location, f.path()))).sorted().toList();
      assertEquals(kernel.files(), ours.size(), table + ": Kernel's file count");
      assertEquals(kernelFiles, ours, table + ": Kernel's files");
    }
  }

  /**
   * File skipping keeps the same files of {@code fromImage} (typed stats) as of {@code fromLog}
   * (stats JSON parsed), for every comparison of every top-level column with each minimum and
   * maximum in the files' stats, and for IS [NOT] NULL.
   */
  private static void assertSkippingAgrees(Snapshot fromLog, Snapshot fromImage, String table) {
    TableLayout layout = TableLayout.of(fromLog.metadata(), table);
    List<Predicate> predicates = new ArrayList<>();
    for (StructField field : layout.schema().fields()) {
      List<String> column = List.of(field.name());
      predicates.add(new Predicate.IsNull(column, false));
      predicates.add(new Predicate.IsNull(column, true));
      Set<Object> literals = new LinkedHashSet<>();
      for (AddFile file : fromLog.files().values()) {
        FileStats stats;
        try {
          stats = FileStatsJson.parse(file.stats(), file.path());
        } catch (RuntimeException e) {
          continue;
        }
        stats.minValue(layout.storedName(field)).flatMap(n -> literal(field.type(), n)).ifPresent(literals::add);
        stats.maxValue(layout.storedName(field)).flatMap(n -> literal(field.type(), n)).ifPresent(literals::add);
      }
      for (Object literal : literals) {
        for (Predicate.Op op : Predicate.Op.values()) {
          predicates.add(new Predicate.Comparison(column, op, literal));
        }
      }
    }
    for (Predicate predicate : predicates) {
      FileSkipping skipping = new FileSkipping(layout, predicate);
      Set<FileKey> expected = new HashSet<>();
      fromLog.files().forEach((key, file) -> {
        if (skipping.mightMatch(file)) {
          expected.add(key);
        }
      });
      Set<FileKey> actual = new HashSet<>();
      fromImage.files().forEach((key, file) -> {
        if (skipping.mightMatch(file)) {
          actual.add(key);
        }
      });
      assertEquals(expected, actual, table + ": files kept for " + predicate);
    }
  }

  /** A statistic as a literal of the column's type, if it reads as one. */
  private static Optional<Object> literal(DataType type, JsonNode node) {
    try {
      if (type instanceof DecimalType decimal) {
        return node.isNumber() ? Optional.of(node.decimalValue().setScale(decimal.scale(), RoundingMode.HALF_UP))
            : Optional.empty();
      }
      if (!(type instanceof PrimitiveType primitive)) {
        return Optional.empty();
      }
      boolean integral = node.isIntegralNumber() && node.canConvertToLong();
      Object value = switch (primitive) {
        case LONG -> integral ? node.longValue() : null;
        case INTEGER -> integral ? (int) node.longValue() : null;
        case SHORT -> integral ? (short) node.longValue() : null;
        case BYTE -> integral ? (byte) node.longValue() : null;
        case DOUBLE -> node.isNumber() ? node.doubleValue() : null;
        case FLOAT -> node.isNumber() ? node.floatValue() : null;
        case STRING -> node.isTextual() ? node.textValue() : null;
        case DATE -> node.isTextual() ? LocalDate.parse(node.textValue().substring(0, 10)) : null;
        case TIMESTAMP -> node.isTextual() ? Instant.parse(node.textValue()) : null;
        case TIMESTAMP_NTZ -> node.isTextual() ? LocalDateTime.parse(node.textValue().replace("Z", "")) : null;
        default -> null;
      };
      return Optional.ofNullable(value);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A file as a local path, whether Kernel's {@code file:} URI or our resolved path. */
  private static String localPath(String path) {
    return path.startsWith("file:") ? URI.create(path).getPath() : path;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("importable")
  void rowCountOfActiveFilesMatchesExpectedRows(CatalogBackend backend, String table) throws IOException {
    Path expected = SharedTables.expected(table);
    if (!Files.isDirectory(expected)) {
      return; // the table ships no expected rows
    }
    CatalogStore catalog = catalogs.get(backend).store();
    String location = SharedTables.table(table).toString();
    long tableId = catalog.findTable("shared", tableName(table))
        .map(t -> t.tableId())
        .orElseGet(() -> new TableImporter(catalog, LocalStorage.INSTANCE, ImportProgress.SILENT)
            .importTable("shared", tableName(table), location).tableId());
    long live = 0;
    for (AddFile file : catalog.snapshot(tableId).activeFiles()) {
      long rows = parquetRows(StoragePaths.resolveInTable(location, file.path()));
      live += rows - file.deletionVector().map(dv -> dv.cardinality()).orElse(0L);
    }
    long want = 0;
    try (Stream<Path> files = Files.list(expected)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
        want += parquetRows(p.toString());
      }
    }
    assertEquals(want, live, "live rows of " + table);
  }

  private static long parquetRows(String path) {
    try (ParquetFileReader reader = ParquetFileReader.open(StorageInputFile.open(LocalStorage.INSTANCE, path))) {
      return reader.getRecordCount();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("refused")
  void refusedTablesLeaveNothingRegistered(CatalogBackend backend, String table) {
    CatalogStore catalog = catalogs.get(backend).store();
    TableImporter importer = new TableImporter(catalog, LocalStorage.INSTANCE, ImportProgress.SILENT);
    DeltaException e = assertThrows(DeltaException.class,
        () -> importer.importTable("refused", tableName(table), SharedTables.table(table).toString()));
    assertTrue(e.getMessage().contains(table), e.getMessage());
    assertTrue(catalog.listTables("refused").isEmpty(), "nothing registered for " + table);
  }

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void importingTwiceUnderOneNameIsRefused(CatalogBackend backend) throws IOException {
    CatalogStore catalog = catalogs.get(backend).store();
    TableImporter importer = new TableImporter(catalog, LocalStorage.INSTANCE, ImportProgress.SILENT);
    Path dir = Files.createTempDirectory("deltasql-twice-");
    String location = SharedTables.copyToTemp("delta-1.2.1", dir).toString();
    importer.importTable("twice", "t", location);
    long version = catalog.findTable("twice", "t").orElseThrow().currentVersion();
    DeltaException e = assertThrows(DeltaException.class, () -> importer.importTable("twice", "t", location));
    assertEquals(SqlState.DUPLICATE_TABLE, e.state());
    assertEquals(1, catalog.listTables("twice").size());
    assertEquals(version, catalog.findTable("twice", "t").orElseThrow().currentVersion());
  }

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void corruptCommitHalfWayLeavesNothingRegistered(CatalogBackend backend) throws IOException {
    Path dir = Files.createTempDirectory("deltasql-corrupt-");
    Path root = SharedTables.copyToTemp("basic-with-inserts-deletes-checkpoint", dir);
    // version 4 is below the checkpoint: the latest snapshot reads fine, the full replay does not
    Files.writeString(root.resolve("_delta_log/00000000000000000004.json"), "{\"add\":{\"path\":");
    CatalogStore catalog = catalogs.get(backend).store();
    TableImporter importer = new TableImporter(catalog, LocalStorage.INSTANCE, ImportProgress.SILENT);
    DeltaException e = assertThrows(DeltaException.class,
        () -> importer.importTable("corrupt", "t", root.toString()));
    assertEquals(SqlState.DATA_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("00000000000000000004.json"), e.getMessage());
    assertTrue(catalog.listTables("corrupt").isEmpty());
  }
}
