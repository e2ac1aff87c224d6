package io.deltasql.core.mirror;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.catalog.VersionRecord;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the mirror needs of one committed version, read from the catalog in one
 * transaction: its actions in commit order, its transaction id and commit time, and the
 * checkpoint interval in force at it.
 *
 * @param version the version
 * @param actions the actions, as {@link CatalogTransaction#versionActions} returns them
 * @param txnId the committing transaction, for logs
 * @param commitTimestamp the catalog's commit time in ms (the in-commit timestamp)
 * @param checkpointInterval {@code delta.checkpointInterval} of the table at this version
 */
record VersionToMirror(long version, List<Action> actions, Optional<String> txnId, long commitTimestamp,
    int checkpointInterval) {
  private static final Logger LOG = LoggerFactory.getLogger(VersionToMirror.class);
  static final String CHECKPOINT_INTERVAL = "delta.checkpointInterval";

  VersionToMirror {
    actions = List.copyOf(actions);
  }

  /**
   * Reads version {@code version} of the table; {@code defaultInterval} applies when the
   * table sets none. Empty when the version is not completely visible yet: its version row
   * missing, or fewer actions than the row counts (a commit that H2, at READ COMMITTED,
   * is still making visible table by table). Writing such a version would publish a partial
   * commit, so the caller leaves it for a later pass.
   */
  static Optional<VersionToMirror> read(CatalogTransaction tx, long tableId, long version, int defaultInterval) {
    Optional<VersionRecord> record = tx.versionRecord(tableId, version);
    if (record.isEmpty()) {
      return Optional.empty();
    }
    List<Action> actions = tx.versionActions(tableId, version);
    if (actions.size() != record.get().actionCount()) {
      LOG.debug("mirror waits for a version still becoming visible tableId={} version={} actions={} of={}",
          tableId, version, actions.size(), record.get().actionCount());
      return Optional.empty();
    }
    Metadata metadata = tx.metadataAt(tableId, version);
    return Optional.of(new VersionToMirror(version, actions, record.get().txnId(), record.get().timestamp(),
        checkpointInterval(metadata, defaultInterval)));
  }

  /**
   * Whether a checkpoint is due at {@code version} of a table checkpointed every {@code interval}
   * versions (never at version 0, as Delta does).
   */
  static boolean checkpointDue(long version, int interval) {
    return version > 0 && version % interval == 0;
  }

  /** The table's {@code delta.checkpointInterval}, or {@code defaultInterval} if unset or not a positive number. */
  static int checkpointInterval(Metadata metadata, int defaultInterval) {
    String value = metadata.configuration().get(CHECKPOINT_INTERVAL);
    if (value == null) {
      return defaultInterval;
    }
    try {
      int interval = Integer.parseInt(value.trim());
      if (interval > 0) {
        return interval;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    LOG.warn("mirror ignores invalid {}='{}' metadataId={} using={}", CHECKPOINT_INTERVAL, value,
        metadata.id(), defaultInterval);
    return defaultInterval;
  }
}
