package io.deltasql.core.cache;

import io.deltasql.core.actions.Action;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.table.Snapshot;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link SnapshotCache} reads from the catalog: a table's current version, a whole
 * snapshot, the actions of one version, a version's commit timestamp. {@link #of} reads
 * through one catalog transaction; a wrapper may count or time the reads.
 */
public interface SnapshotSource {

  /** The latest committed version of the table ({@code -1} before version 0). */
  long currentVersion(long tableId);

  /** The whole snapshot at {@code version} (every active file). */
  Snapshot snapshotAt(long tableId, long version);

  /** The actions of one committed version, in commit order. */
  List<Action> versionActions(long tableId, long version);

  /** The commit timestamp (ms) of one committed version. */
  long commitTimestamp(long tableId, long version);

  /** A source reading through {@code tx}; valid only while {@code tx} is. */
  static SnapshotSource of(CatalogTransaction tx) {
    Objects.requireNonNull(tx, "tx");
    return new SnapshotSource() {
      @Override
      public long currentVersion(long tableId) {
        return tx.currentVersion(tableId);
      }

      @Override
      public Snapshot snapshotAt(long tableId, long version) {
        return tx.snapshotAt(tableId, version);
      }

      @Override
      public List<Action> versionActions(long tableId, long version) {
        return tx.versionActions(tableId, version);
      }

      @Override
      public long commitTimestamp(long tableId, long version) {
        return tx.versionRecord(tableId, version)
            .orElseThrow(() -> CacheErrors.missingVersion(tableId, version))
            .timestamp();
      }
    };
  }
}
