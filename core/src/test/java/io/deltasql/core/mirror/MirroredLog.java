package io.deltasql.core.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.catalog.MirrorStatus;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.json.LastCheckpoint;
import io.deltasql.core.json.LastCheckpointJson;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import java.util.List;
import java.util.Optional;

/** Assertions that a table's {@code _delta_log} is exactly what the catalog holds. */
final class MirroredLog {
  private static final Storage STORAGE = LocalStorage.INSTANCE;

  private MirroredLog() {}

  /**
   * Every version's commit file holds the canonical bytes of the catalog's actions, the
   * commit files are exactly versions 0 to the latest, and every version is {@code DONE}.
   */
  static void assertCommitFilesEqualCatalog(CatalogStore store, TestTable table) {
    long latest = store.currentVersion(table.id());
    for (long v = 0; v <= latest; v++) {
      String path = table.logFile(LogFile.commitFileName(v));
      assertTrue(STORAGE.status(path).isPresent(), "missing " + path);
      assertArrayEquals(CommitJson.write(store.versionActions(table.id(), v)), STORAGE.readAll(path),
          "content of " + path);
    }
    assertEquals(latest + 1, commitFiles(table).size(), "commit files of " + table.info().qualifiedName());
    assertEquals(List.of(), store.inTransaction(tx -> tx.unmirroredVersions(table.id())), "unmirrored versions");
  }

  /** {@link #assertCommitFilesEqualCatalog}, and our log reader rebuilds the catalog's snapshot at every version. */
  static void assertEqualsCatalog(CatalogStore store, TestTable table) {
    assertCommitFilesEqualCatalog(store, table);
    DeltaLog log = DeltaLog.open(STORAGE, table.location());
    long latest = store.currentVersion(table.id());
    assertEquals(latest, log.latestVersion());
    for (long v = 0; v <= latest; v++) {
      assertSnapshotEquals(store.snapshotAt(table.id(), v), log.snapshotAt(v));
    }
  }

  static void assertSnapshotEquals(Snapshot catalog, Snapshot log) {
    String at = "version " + catalog.version();
    assertEquals(catalog.version(), log.version(), at);
    assertEquals(catalog.protocol(), log.protocol(), at);
    assertEquals(catalog.metadata(), log.metadata(), at);
    assertEquals(catalog.files(), log.files(), at);
    assertEquals(catalog.appTransactions(), log.appTransactions(), at);
    assertEquals(catalog.domains(), log.domains(), at);
    assertEquals(catalog.timestamp(), log.timestamp(), at + " timestamp");
  }

  /** The commit files of the table's log, by name. */
  static List<String> commitFiles(TestTable table) {
    return STORAGE.list(StoragePaths.logDir(table.location())).stream().map(FileStatus::name)
        .filter(n -> n.matches("\\d{20}\\.json")).toList();
  }

  /** The versions that have a classic checkpoint. */
  static List<Long> checkpointVersions(TestTable table) {
    return checkpointVersions(table.location());
  }

  /** The versions that have a classic checkpoint in the log of the table at {@code location}. */
  static List<Long> checkpointVersions(String location) {
    return STORAGE.list(StoragePaths.logDir(location)).stream().map(FileStatus::name)
        .filter(n -> n.endsWith(".checkpoint.parquet"))
        .map(n -> Long.parseLong(n.substring(0, 20))).toList();
  }

  /** The content of {@code _last_checkpoint}, if the log has one. */
  static Optional<LastCheckpoint> lastCheckpoint(TestTable table) {
    return lastCheckpoint(table.location());
  }

  /** The content of {@code _last_checkpoint} of the table at {@code location}, if its log has one. */
  static Optional<LastCheckpoint> lastCheckpoint(String location) {
    String path = StoragePaths.join(StoragePaths.logDir(location), CheckpointPublisher.LAST_CHECKPOINT);
    return STORAGE.status(path).map(s -> LastCheckpointJson.parse(STORAGE.readAll(path), path));
  }

  /** The mirror status of one version. */
  static MirrorStatus status(CatalogStore store, TestTable table, long version) {
    return store.inTransaction(tx -> tx.mirrorStatus(table.id(), version)).orElseThrow();
  }

  /** Asserts the state of each of {@code versions}. */
  static void assertStates(CatalogStore store, TestTable table, MirrorState state, long... versions) {
    for (long v : versions) {
      assertEquals(state, status(store, table, v).state(), "state of version " + v);
    }
  }
}
