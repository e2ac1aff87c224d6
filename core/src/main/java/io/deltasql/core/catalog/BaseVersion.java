package io.deltasql.core.catalog;

import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.table.Snapshot;
import java.util.Objects;
import java.util.Optional;

/**
 * The first version the catalog holds of a table imported from a checkpoint: the full
 * snapshot at that version (its files get that version as their add version). Ordinary
 * commits follow on top of it; older versions are not available.
 *
 * @param tableId the registered table, which must have no version yet
 * @param snapshot the table state at the base version (from the checkpoint, plus the
 *     commits up to it)
 * @param commitInfo the commitInfo of the base version's commit, if its JSON still exists
 * @param txnId an id for the import: importing again with the same id is a no-op
 */
public record BaseVersion(long tableId, Snapshot snapshot, Optional<CommitInfo> commitInfo, String txnId) {
  public BaseVersion {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(commitInfo, "commitInfo");
    Objects.requireNonNull(txnId, "txnId");
  }
}
