package io.deltasql.core.catalog;

import static io.deltasql.core.catalog.TestActions.T0;
import static io.deltasql.core.catalog.TestActions.add;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a snapshot read through a file image reads later, when its files' stats are asked for:
 * a few files' stats from their rows (not every chunk's stats part), inside a catalog
 * transaction on that transaction's connection (a pool of one does not wait for a second), and
 * after the store is closed a clear {@code 08000}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class FileImageLaterReadsTest {
  private static final int FILES = 2 * FileImageCodec.FILES_PER_CHUNK + 3;

  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;

  @AfterEach
  void close() {
    if (catalog != null) {
      catalog.close();
    }
  }

  /** A table of {@link #FILES} files in one version with an image of it; returns its id. */
  private long imagedTable(CatalogStore store, Map<String, AddFile> files) {
    TableInfo table = store.registerTable("main", TestActions.tableName("later"), "/lake/" + TestActions.txnId(),
        Map.of());
    store.commit(CommitRequest.of(table.tableId(), -1, TestActions.txnId(), TestActions.create(T0)));
    List<Action> actions = new ArrayList<>();
    actions.add(TestActions.commitInfo(T0 + 1000, "WRITE"));
    for (int i = 0; i < FILES; i++) {
      AddFile file = add("p=a/f-" + i + ".parquet", "a", 1 + i);
      files.put(file.path(), file);
      actions.add(file);
    }
    store.commit(CommitRequest.of(table.tableId(), 0, TestActions.txnId(), actions));
    try {
      store.awaitFileImages();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    store.writeFileImage(table.tableId(), 1);
    assertEquals(3, catalog.count("SELECT COUNT(*) FROM delta_file_images WHERE table_id = ? AND version = 1",
        table.tableId()));
    return table.tableId();
  }

  /**
   * One file's stats (a DELETE removing it) come from its row: the image's stats parts, made
   * unreadable, are not fetched (a fetch would log that it cannot use them). Past the allowance
   * of single reads, every chunk's part is fetched once, and the damaged parts are replaced by
   * the rows.
   */
  @Test
  void aFewFilesStatsAreReadFromTheirRowsNotFromTheImagesChunks() throws SQLException {
    catalog = backend.fresh("later");
    CatalogStore store = catalog.store();
    Map<String, AddFile> files = new HashMap<>();
    long id = imagedTable(store, files);
    Snapshot snapshot = store.snapshot(id);
    try (Connection connection = catalog.rawConnection(); PreparedStatement ps = connection.prepareStatement(
        "UPDATE delta_file_images SET stats = ? WHERE table_id = ?")) {
      ps.setBytes(1, new byte[] {1, 2, 3});
      ps.setLong(2, id);
      assertEquals(3, ps.executeUpdate());
    }
    List<AddFile> listed = new ArrayList<>(snapshot.files().values());
    String single = FileImageTest.stderrOf(() -> {
      assertTrue(FileImages.singleFileReads(3) >= 2, "an image of three chunks answers two files from rows");
      for (int i = 0; i < FileImages.singleFileReads(3) / 2; i++) { // two reads each
        AddFile file = listed.get(i * 251);
        assertEquals(files.get(file.path()).stats(), file.stats());
        assertEquals(files.get(file.path()).toRemove(5, true).stats(), file.toRemove(5, true).stats());
      }
    });
    assertFalse(single.contains("catalog file image part unusable"), single);
    String all = FileImageTest.stderrOf(() -> listed.forEach(f -> assertEquals(files.get(f.path()).stats(), f.stats())));
    assertTrue(all.contains("catalog file image part unusable"), all);
  }

  /**
   * Stats read inside a catalog transaction use its connection: with a pool of one, reading them
   * from a second connection would wait for the pool (here 2 s) and fail. Four threads with a
   * pool of four, each inside a transaction, read one file's stats and then all of them.
   */
  @Test
  void statsReadInsideATransactionTakeNoSecondConnection() throws Exception {
    catalog = backend.fresh("later");
    CatalogStore store = catalog.store(c -> c.withPoolSize(1).withConnectTimeout(Duration.ofSeconds(2)));
    Map<String, AddFile> files = new HashMap<>();
    long id = imagedTable(store, files);
    Snapshot snapshot = store.snapshot(id);
    AddFile one = snapshot.files().values().iterator().next();
    int read = store.inTransaction(tx -> {
      assertEquals(files.get(one.path()).toRemove(5, true), one.toRemove(5, true));
      int n = 0;
      for (AddFile file : snapshot.files().values()) {
        assertEquals(files.get(file.path()).stats(), file.stats());
        assertTrue(file.typedStats().isPresent());
        n++;
      }
      return n;
    });
    assertEquals(FILES, read);

    store = catalog.store(c -> c.withPoolSize(4).withConnectTimeout(Duration.ofSeconds(2)));
    CatalogStore four = store;
    List<Snapshot> snapshots = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      snapshots.add(four.snapshotAt(id, 1)); // each its own image read, nothing fetched yet
    }
    CyclicBarrier allInside = new CyclicBarrier(4);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (Snapshot s : snapshots) {
        results.add(threads.submit(() -> four.inTransaction(tx -> {
          try {
            allInside.await(10, TimeUnit.SECONDS); // every connection of the pool is held
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          int n = 0;
          for (AddFile file : s.files().values()) {
            assertEquals(files.get(file.path()).stats(), file.stats());
            n++;
          }
          return n;
        })));
      }
      for (Future<Integer> result : results) {
        assertEquals(FILES, result.get(60, TimeUnit.SECONDS));
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** After the store is closed, a snapshot's later read fails with 08000 naming the table, the version and why. */
  @Test
  void statsReadAfterTheStoreIsClosedFailClearly() {
    catalog = backend.fresh("later");
    CatalogStore store = catalog.store();
    Map<String, AddFile> files = new HashMap<>();
    long id = imagedTable(store, files);
    String name = store.findTable(id).orElseThrow().qualifiedName();
    Snapshot snapshot = store.snapshot(id);
    List<AddFile> listed = new ArrayList<>(snapshot.files().values());
    catalog.closeStore();
    for (Runnable read : List.<Runnable>of(() -> listed.get(0).stats(), () -> listed.get(1).typedStats(),
        () -> listed.forEach(AddFile::stats))) {
      DeltaException e = assertThrows(DeltaException.class, read::run);
      assertEquals("08000", e.sqlState());
      assertTrue(e.getMessage().contains("version 1 of table " + name), e.getMessage());
      assertTrue(e.getMessage().contains("catalog store"), e.getMessage());
      assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }
  }
}
