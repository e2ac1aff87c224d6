package io.deltasql.core.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Import of a log longer than one of the importer's chunks ({@link TableImporter#CHUNK_VERSIONS}
 * versions written by one {@code importCommits}), on H2 and PostgreSQL: files re-added while
 * active (which the importer, not the catalog, finds) within a chunk and across chunks, removed
 * and added again, and a commit the catalog refuses in a later chunk, which leaves nothing.
 */
class LongLogImportTest {
  private static final int CHUNK = TableImporter.CHUNK_VERSIONS;
  private static final int LATEST = 2 * CHUNK + 500;
  private static final String PROTOCOL = "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}";
  private static final String METADATA = "{\"metaData\":{\"id\":\"long-log\",\"format\":{\"provider\":\"parquet\","
      + "\"options\":{}},\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\","
      + "\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\",\"partitionColumns\":[],"
      + "\"configuration\":{},\"createdTime\":1735689600000}}";

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void everyVersionOfALogOfSeveralChunksEqualsTheLog(CatalogBackend backend, @TempDir Path dir) throws IOException {
    Path root = writeLog(dir, LongLogImportTest::commit);
    try (CatalogFixture fixture = backend.fresh("longlog")) {
      CatalogStore catalog = fixture.store();
      ImportResult result = new TableImporter(catalog, LocalStorage.INSTANCE, ImportProgress.SILENT)
          .importTable("imported", "t", root.toString());
      assertEquals(LATEST, catalog.currentVersion(result.tableId()));
      DeltaLog log = DeltaLog.open(LocalStorage.INSTANCE, root.toString());
      TreeSet<Long> versions = new TreeSet<>();
      LongStream.rangeClosed(0, 40).forEach(versions::add);
      LongStream.rangeClosed(CHUNK - 3, CHUNK + 5).forEach(versions::add);
      LongStream.rangeClosed(2L * CHUNK - 3, 2L * CHUNK + 3).forEach(versions::add);
      LongStream.rangeClosed(LATEST - 3, LATEST).forEach(versions::add);
      for (long v : versions) {
        Snapshot expected = log.snapshotAt(v);
        Snapshot actual = catalog.snapshotAt(result.tableId(), v);
        assertEquals(expected.files(), actual.files(), "active files at " + v);
        assertEquals(expected.metadata(), actual.metadata(), "metadata at " + v);
        assertEquals(expected.timestamp(), actual.timestamp(), "timestamp at " + v);
      }
      // f5 added at 5, re-added at 10 and at CHUNK + 3: the latest holds the last add only
      assertEquals(1000L + CHUNK + 3, catalog.snapshotAt(result.tableId(), LATEST).files().values().stream()
          .filter(f -> f.path().equals("f5.parquet")).findFirst().orElseThrow().size());
    }
  }

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void aCommitRefusedInALaterChunkLeavesNothingRegistered(CatalogBackend backend, @TempDir Path dir) throws IOException {
    long refused = CHUNK + 500;
    Path root = writeLog(dir, v -> v == refused
        ? add("dup.parquet", 1) + "\n" + add("dup.parquet", 2) + "\n" + commitInfo(v) : commit(v));
    try (CatalogFixture fixture = backend.fresh("longlog")) {
      CatalogStore catalog = fixture.store();
      TableImporter importer = new TableImporter(catalog, LocalStorage.INSTANCE, ImportProgress.SILENT);
      DeltaException e = assertThrows(DeltaException.class, () -> importer.importTable("refused", "t", root.toString()));
      assertEquals(SqlState.DATA_EXCEPTION, e.state());
      assertTrue(e.getMessage().contains("version " + refused), e.getMessage());
      assertTrue(catalog.listTables("refused").isEmpty(), "nothing registered");
    }
  }

  /** The log of versions 0 to {@link #LATEST}, each commit's lines from {@code commits}. */
  private static Path writeLog(Path root, IntFunction<String> commits) throws IOException {
    Path log = Files.createDirectories(root.resolve("_delta_log"));
    for (int v = 0; v <= LATEST; v++) {
      Files.writeString(log.resolve(String.format(Locale.ROOT, "%020d.json", v)), commits.apply(v) + "\n");
    }
    return root;
  }

  /**
   * Version {@code v}: adds {@code f<v>.parquet}; version 10 re-adds f5 (active, a replace in the
   * first chunk), 20 removes f15 and 25 adds it again (a new file), {@code CHUNK + 1} re-adds
   * f{@code CHUNK - 1} (a replace of a file of the chunk before), {@code CHUNK + 2} removes
   * f{@code CHUNK + 1}, {@code CHUNK + 3} re-adds f5 again.
   */
  private static String commit(int v) {
    List<String> lines = new ArrayList<>();
    if (v == 0) {
      lines.add(PROTOCOL);
      lines.add(METADATA);
    }
    lines.add(add("f" + v + ".parquet", v));
    if (v == 10 || v == CHUNK + 3) {
      lines.add(add("f5.parquet", 1000 + v));
    } else if (v == 20) {
      lines.add(remove("f15.parquet", v));
    } else if (v == 25) {
      lines.add(add("f15.parquet", 1000 + v));
    } else if (v == CHUNK + 1) {
      lines.add(add("f" + (CHUNK - 1) + ".parquet", 1000 + v));
    } else if (v == CHUNK + 2) {
      lines.add(remove("f" + (CHUNK + 1) + ".parquet", v));
    }
    lines.add(commitInfo(v));
    return String.join("\n", lines);
  }

  private static String add(String path, long size) {
    return "{\"add\":{\"path\":\"" + path + "\",\"partitionValues\":{},\"size\":" + size
        + ",\"modificationTime\":1735689600000,\"dataChange\":true}}";
  }

  private static String remove(String path, long version) {
    return "{\"remove\":{\"path\":\"" + path + "\",\"deletionTimestamp\":" + timestamp(version)
        + ",\"dataChange\":true}}";
  }

  private static String commitInfo(long version) {
    return "{\"commitInfo\":{\"timestamp\":" + timestamp(version) + ",\"operation\":\"WRITE\"}}";
  }

  private static long timestamp(long version) {
    return 1735689600000L + version * 1000;
  }
}
