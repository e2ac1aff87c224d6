package io.deltasql.core.catalog;

import static io.deltasql.core.catalog.TestActions.T0;
import static io.deltasql.core.catalog.TestActions.add;
import static io.deltasql.core.catalog.TestActions.remove;
import static io.deltasql.core.catalog.TestActions.withDv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.json.FileStatsView;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * File images ({@code delta_file_images}): a snapshot read through an image, at its version
 * and after it, equals the plain replay of the committed actions; images are written after a
 * large read and only for committed versions, dropped with their table, and a damaged image
 * is not used.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileImageTest {
  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;
  private CatalogStore store;
  /** The replay of each table's commits so far. */
  private final Map<Long, Replay> replays = new java.util.HashMap<>();

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("images");
    replays.clear();
    store = catalog.store(config -> config.withBatchSize(7));
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  @Test
  void snapshotsThroughAnImageEqualThePlainReplayAtEveryVersion() {
    for (long seed = 1; seed <= 3; seed++) {
      List<List<Action>> commits = new ArrayList<>(new SnapshotReplayTest.Scenario(new Random(seed)).commits(60));
      commits.add(TestActions.commit(T0 + 100_000, "WRITE", everyField("all-fields.parquet")));
      long id = register();
      List<Snapshot> expected = commitAll(id, commits, 0);
      long imageAt = 20 + seed * 5;
      assertTrue(writeImage(id, imageAt), "image written at " + imageAt);
      assertEquals(1, images(id));
      // Before the image: rows; at it: the image alone; after it: the image and the changed rows.
      for (int v = 0; v < commits.size(); v++) {
        assertEquals(expected.get(v), store.snapshotAt(id, v), "seed " + seed + ", snapshot at version " + v);
      }
      assertEquals(expected.get(expected.size() - 1), store.snapshot(id));
      // A second image, at the last version: the image carries every field of every file.
      assertTrue(writeImage(id, commits.size() - 1));
      assertEquals(expected.get(expected.size() - 1), store.snapshot(id));
      assertEquals(expected.get((int) imageAt + 3), store.snapshotAt(id, imageAt + 3));
    }
  }

  @Test
  void theImageIsReadInsteadOfTheRows() throws SQLException {
    long id = register();
    AddFile a = add("p=a/a.parquet", "a", 10);
    AddFile b = add("p=b/b.parquet", "b", 20);
    AddFile c = add("p=a/c.parquet", "a", 30);
    List<Snapshot> expected = commitAll(id, List.of(TestActions.create(T0),
        TestActions.commit(T0 + 1000, "WRITE", a, b),
        TestActions.commit(T0 + 2000, "WRITE", c)), 0);
    assertTrue(writeImage(id, 2));
    // The rows of a and b are gone (never done to a real catalog): a reader that finds them
    // anyway has read the image.
    try (Connection connection = catalog.rawConnection();
        PreparedStatement ps = connection.prepareStatement(
            "DELETE FROM delta_files WHERE table_id = ? AND add_version = 1")) {
      ps.setLong(1, id);
      assertEquals(2, ps.executeUpdate());
    }
    assertEquals(expected.get(2), store.snapshot(id));
    assertEquals(3, store.snapshot(id).files().size());
  }

  @Test
  void removesReAddsAndDeletionVectorUpdatesAfterTheImage() {
    long id = register();
    AddFile f1 = add("p=a/f1.parquet", "a", 10);
    AddFile f2 = add("p=null/f2.parquet", null, 20);
    AddFile f3 = add("p=b/f3.parquet", "b", 30);
    AddFile f1dv1 = withDv(f1, "dv1", 2);
    AddFile f1dv2 = withDv(f1, "dv2", 5);
    AddFile f2again = add("p=null/f2.parquet", null, 21);
    List<List<Action>> commits = List.of(
        TestActions.create(T0),
        TestActions.commit(T0 + 1000, "WRITE", f1, f2, f3),
        TestActions.commit(T0 + 2000, "DELETE", remove(f1, T0 + 2000), f1dv1),
        TestActions.commit(T0 + 3000, "DELETE", remove(f1dv1, T0 + 3000), f1dv2),
        TestActions.commit(T0 + 4000, "WRITE", f2again),
        TestActions.commit(T0 + 5000, "DELETE", remove(f2again, T0 + 5000), remove(f3, T0 + 5000)),
        TestActions.commit(T0 + 6000, "WRITE", f2, f3));
    List<Snapshot> expected = commitAll(id, commits, 0);
    for (long imageAt = 1; imageAt < commits.size(); imageAt++) {
      assertTrue(writeImage(id, imageAt));
      for (int v = 0; v < commits.size(); v++) {
        assertEquals(expected.get(v), store.snapshotAt(id, v), "image at " + imageAt + ", snapshot at " + v);
      }
    }
    // Two images kept: the newest and the one before it.
    assertEquals(2, images(id));
  }

  @Test
  void aLargeReadLeavesAnImageOfItsCommittedVersion() throws InterruptedException {
    long id = register();
    List<List<Action>> commits = new ArrayList<>();
    commits.add(TestActions.create(T0));
    commits.add(manyFiles(T0 + 1000, "big", FileImageWriter.MIN_FILES + 200));
    List<Snapshot> expected = commitAll(id, commits, 0);
    assertEquals(0, images(id));
    assertEquals(expected.get(1), store.snapshot(id));
    store.awaitFileImages();
    assertEquals(1, images(id), "the first read of 1,200 rows leaves an image");
    assertEquals(1, catalog.count("SELECT COUNT(*) FROM delta_file_images WHERE table_id = ? AND version = 1", id));
    // A few changes after it: the next read takes the image and a few rows, and leaves no image.
    expected.addAll(commitAll(id, List.of(manyFiles(T0 + 2000, "small", 10)), 2));
    assertEquals(expected.get(2), store.snapshot(id));
    store.awaitFileImages();
    assertEquals(1, images(id));
    assertEquals(0, catalog.count("SELECT COUNT(*) FROM delta_file_images WHERE table_id = ? AND version = 2", id));
    // Many changes after it: a new image.
    expected.addAll(commitAll(id, List.of(manyFiles(T0 + 3000, "more", FileImageWriter.MIN_FILES)), 3));
    assertEquals(expected.get(3), store.snapshot(id));
    store.awaitFileImages();
    assertEquals(2, images(id));
    assertEquals(expected.get(3), store.snapshot(id));
  }

  @Test
  void anUncommittedVersionGetsNoImage() {
    long id = register();
    List<Snapshot> expected = commitAll(id, List.of(TestActions.create(T0),
        TestActions.commit(T0 + 1000, "WRITE", add("p=a/a.parquet", "a", 10))), 0);
    List<byte[]> chunks = FileImageCodec.encode(expected.get(1).files().values());
    boolean uncommitted = store.inTransaction(tx -> tx.writeFileImage(id, 2, 1, chunks, OptionalLong.empty()));
    assertFalse(uncommitted, "version 2 is not committed");
    boolean committed = store.inTransaction(tx -> tx.writeFileImage(id, 1, 1, chunks, OptionalLong.empty()));
    assertTrue(committed);
    boolean again = store.inTransaction(tx -> tx.writeFileImage(id, 1, 1, chunks, OptionalLong.empty()));
    assertFalse(again, "written already");
    assertEquals(1, images(id));
  }

  @Test
  void dropTableDropsItsImages() {
    long id = register();
    commitAll(id, List.of(TestActions.create(T0), TestActions.commit(T0 + 1000, "WRITE", add("p=a/a.parquet", "a", 1))), 0);
    assertTrue(writeImage(id, 1));
    assertEquals(1, images(id));
    assertTrue(store.dropTable(id));
    assertEquals(0, catalog.count("SELECT COUNT(*) FROM delta_file_images WHERE table_id = ?", id));
  }

  @Test
  void aDamagedImageIsNotUsedAndSaysSo() throws SQLException, InterruptedException {
    long id = register();
    List<List<Action>> commits = new ArrayList<>();
    commits.add(TestActions.create(T0));
    commits.add(manyFiles(T0 + 1000, "f", 3 * FileImageCodec.FILES_PER_CHUNK + 5));
    commits.add(TestActions.commit(T0 + 2000, "WRITE", add("p=b/late.parquet", "b", 7)));
    List<Snapshot> expected = commitAll(id, commits, 0);
    List<String> damages = List.of(
        "UPDATE delta_file_images SET data = ? WHERE table_id = ? AND chunk = 1",   // flipped byte
        "UPDATE delta_file_images SET data = ? WHERE table_id = ? AND chunk = 2",   // truncated
        "UPDATE delta_file_images SET data = ? WHERE table_id = ? AND chunk = 0",   // unknown format
        "DELETE FROM delta_file_images WHERE table_id = ? AND chunk = 3");          // a chunk missing
    for (int damage = 0; damage < damages.size(); damage++) {
      store.awaitFileImages();
      deleteImages(id);
      assertTrue(writeImage(id, 1));
      assertEquals(4, catalog.count("SELECT COUNT(*) FROM delta_file_images WHERE table_id = ?", id));
      damage(id, damages.get(damage), damage);
      String log = stderrOf(() -> {
        assertEquals(expected.get(1), store.snapshotAt(id, 1));
        assertEquals(expected.get(2), store.snapshot(id));
      });
      assertTrue(log.contains("file image unusable, reading the rows instead tableId=" + id), log);
      // The reads leave a good image in place of the damaged one.
      store.awaitFileImages();
      String after = stderrOf(() -> assertEquals(expected.get(2), store.snapshot(id)));
      assertFalse(after.contains("file image unusable"), after);
    }
  }

  /**
   * A listing reads each chunk's main part only; a file's stats come later from the image's
   * stats column, and from the rows once the image is gone (replaced since the read) or its
   * stats parts are damaged; skipping then parses the JSON instead of the stats columns.
   */
  @Test
  void statsAreFetchedWhenReadFromTheImageOrElseTheRows() throws SQLException {
    long id = register();
    List<List<Action>> commits = new ArrayList<>();
    commits.add(TestActions.create(T0));
    commits.add(manyFiles(T0 + 1000, "s", 2 * FileImageCodec.FILES_PER_CHUNK + 3));
    List<Snapshot> expected = commitAll(id, commits, 0);
    for (String variant : List.of("there", "gone", "damaged")) {
      deleteImages(id);
      assertTrue(writeImage(id, 1));
      Snapshot listed = store.snapshot(id);
      String log = stderrOf(() -> {
        try (Connection connection = catalog.rawConnection()) {
          String sql = variant.equals("gone") ? "DELETE FROM delta_file_images WHERE table_id = ?"
              : variant.equals("damaged")
                  ? "UPDATE delta_file_images SET stats = ?, stats_columns = ? WHERE table_id = ?"
              : "SELECT 1 FROM delta_file_images WHERE table_id = ?";
          try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int p = 1;
            if (variant.equals("damaged")) {
              ps.setBytes(p++, new byte[] {1, 2, 3});
              ps.setBytes(p++, new byte[] {4, 5, 6});
            }
            ps.setLong(p, id);
            ps.execute();
          }
        } catch (SQLException e) {
          throw new AssertionError(e);
        }
        for (AddFile file : listed.files().values()) {
          assertEquals(file.stats().map(s -> FileStatsJson.parse(s, "test").numRecords()),
              file.typedStats().map(FileStatsView::numRecords), variant);
        }
        assertEquals(expected.get(1), listed, variant);
      });
      assertEquals(!variant.equals("there"), log.contains("catalog file image part unusable"),
          variant + ": " + log);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private long register() {
    return store.registerTable("main", TestActions.tableName("img"), "/lake/" + TestActions.txnId(), Map.of())
        .tableId();
  }

  /** Commits {@code commits} as versions {@code first}, {@code first + 1}, ... and returns the replayed snapshots. */
  private List<Snapshot> commitAll(long id, List<List<Action>> commits, long first) {
    Replay replay = replays.computeIfAbsent(id, k -> new Replay());
    List<Snapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < commits.size(); i++) {
      long version = first + i;
      store.commit(CommitRequest.of(id, version - 1, TestActions.txnId(), commits.get(i)));
      snapshots.add(replay.apply(commits.get(i)).snapshot());
    }
    return snapshots;
  }

  /**
   * Writes the image of {@code version} (after any that the reads queued, so that they do not
   * race), unless one is there; returns whether the image is there.
   */
  private boolean writeImage(long id, long version) {
    try {
      store.awaitFileImages();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    store.writeFileImage(id, version);
    return catalog.count("SELECT COUNT(*) FROM delta_file_images WHERE table_id = ? AND version = ? AND chunk = 0",
        id, version) == 1;
  }

  /** How many images (versions) the table has. */
  private long images(long id) {
    return catalog.count("SELECT COUNT(DISTINCT version) FROM delta_file_images WHERE table_id = ?", id);
  }

  private void deleteImages(long id) throws SQLException {
    try (Connection connection = catalog.rawConnection();
        PreparedStatement ps = connection.prepareStatement("DELETE FROM delta_file_images WHERE table_id = ?")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
  }

  private void damage(long id, String sql, int kind) throws SQLException {
    try (Connection connection = catalog.rawConnection(); PreparedStatement ps = connection.prepareStatement(sql)) {
      if (kind == 3) {
        ps.setLong(1, id);
      } else {
        byte[] chunk = FileImageCodec.split(FileImageCodec.encode(List.of(add("x.parquet", "a", 1))).get(0)).main();
        if (kind == 0) {
          chunk[chunk.length - 3] ^= 0x5a;
        } else if (kind == 1) {
          chunk = java.util.Arrays.copyOf(chunk, chunk.length / 2);
        } else {
          chunk[4] = 99;
        }
        ps.setBytes(1, chunk);
        ps.setLong(2, id);
      }
      assertEquals(1, ps.executeUpdate());
    }
  }

  private static List<Action> manyFiles(long timestamp, String prefix, int count) {
    List<Action> actions = new ArrayList<>();
    actions.add(TestActions.commitInfo(timestamp, "WRITE"));
    for (int i = 0; i < count; i++) {
      actions.add(add("p=a/" + prefix + "-" + i + ".parquet", i % 3 == 0 ? null : "a", 1 + i));
    }
    return actions;
  }

  /** A file with every optional field of an add set, and a path that is not ASCII. */
  private static AddFile everyField(String name) {
    return new AddFile("p=b/é ü €/" + name, Map.of("p", "b"), 77, T0 + 77, true,
        Optional.of("{\"numRecords\":77,\"minValues\":{\"p\":\"ä\"}}"), Map.of("INSERTION_TIME", "1", "k", "v"),
        Optional.of(new DeletionVectorDescriptor("p", "dv/file.bin", Optional.of(4), 40, 3)), Optional.of(1000L),
        Optional.of(12L), Optional.of("liquid"));
  }

  /** What {@code action} writes to standard error (the log). */
  static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
