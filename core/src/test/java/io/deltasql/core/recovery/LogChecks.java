package io.deltasql.core.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import java.util.List;

/** Assertions that a table's {@code _delta_log} holds exactly what the catalog holds. */
final class LogChecks {
  private static final Storage STORAGE = LocalStorage.INSTANCE;

  private LogChecks() {}

  /**
   * Versions 0 to the catalog's current version each have a commit file with the canonical
   * bytes of the catalog's actions, there are no other commit files, none is unmirrored,
   * and our log reader rebuilds the catalog's snapshot at every version.
   */
  static void assertLogEqualsCatalog(CatalogStore store, long tableId, String location) {
    long latest = store.currentVersion(tableId);
    String logDir = StoragePaths.logDir(location);
    for (long v = 0; v <= latest; v++) {
      String path = logDir + "/" + LogFile.commitFileName(v);
      assertTrue(STORAGE.status(path).isPresent(), "missing " + path);
      assertArrayEquals(CommitJson.write(store.versionActions(tableId, v)), STORAGE.readAll(path),
          "content of " + path);
    }
    List<String> commitFiles = STORAGE.list(logDir).stream().map(FileStatus::name)
        .filter(n -> n.matches("\\d{20}\\.json")).toList();
    assertEquals(latest + 1, commitFiles.size(), "commit files in " + logDir + ": " + commitFiles);
    assertEquals(List.of(), store.inTransaction(tx -> tx.unmirroredVersions(tableId)), "unmirrored versions");

    DeltaLog log = DeltaLog.open(STORAGE, location);
    assertEquals(latest, log.latestVersion(), "latest version of the log");
    for (long v = 0; v <= latest; v++) {
      assertSnapshotEquals(store.snapshotAt(tableId, v), log.snapshotAt(v));
    }
  }

  static void assertSnapshotEquals(Snapshot catalog, Snapshot log) {
    String at = "version " + catalog.version();
    assertEquals(catalog.version(), log.version(), at);
    assertEquals(catalog.protocol(), log.protocol(), at + " protocol");
    assertEquals(catalog.metadata(), log.metadata(), at + " metadata");
    assertEquals(catalog.files().keySet(), log.files().keySet(), at + " file keys");
    assertEquals(catalog.files(), log.files(), at + " files");
    assertEquals(catalog.appTransactions(), log.appTransactions(), at);
    assertEquals(catalog.domains(), log.domains(), at);
  }
}
