package io.deltasql.core.mirror;

import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;

/** Every message and exception of the mirror, each saying what happened, why, and what to do. */
final class MirrorErrors {
  private MirrorErrors() {}

  /** The divergence reason recorded on a table whose log holds a foreign commit. */
  static String foreignCommit(TableInfo table, long version, String path, String difference) {
    return "Version " + version + " of " + table.qualifiedName() + " cannot be mirrored: '" + path
        + "' already exists and " + difference + ". Another writer committed to the table's _delta_log outside "
        + "deltasql, so the log and the catalog disagree; writes to the table are refused until they are "
        + "reconciled by hand (compare them with CALL verify, then re-import the table or move the foreign "
        + "commit files aside and clear the divergence).";
  }

  /** A table that the mirror does not touch because it diverged earlier. */
  static String alreadyDiverged(TableInfo table, String reason) {
    return "Table " + table.qualifiedName() + " is not mirrored: its _delta_log diverged from the catalog. "
        + reason;
  }

  /** A version whose commit file could not be written after every try. */
  static String writeFailed(TableInfo table, long version, int attempts, RuntimeException cause) {
    return "Writing version " + version + " of " + table.qualifiedName() + " to _delta_log failed after "
        + attempts + (attempts == 1 ? " try" : " tries") + ": " + cause.getMessage()
        + ". The catalog commit stands; the reconciler tries again (CALL reconcile() forces it).";
  }

  /** A version whose commit file is written but whose checkpoint is not. */
  static String checkpointFailed(TableInfo table, long version, int attempts, RuntimeException cause) {
    return "Version " + version + " of " + table.qualifiedName() + " is in _delta_log but its checkpoint could "
        + "not be written after " + attempts + (attempts == 1 ? " try" : " tries") + ": " + cause.getMessage()
        + ". Readers replay the commits instead; the reconciler tries the checkpoint again.";
  }

  /** A pass that could not read or update the catalog. */
  static String passFailed(long tableId, RuntimeException cause) {
    return "Mirroring table id " + tableId + " stopped: " + cause.getMessage()
        + " The versions not yet mirrored stay pending; the reconciler tries again.";
  }

  /** A mirror call after {@link MirrorEngine#close()}. */
  static String closed(long tableId) {
    return "Table id " + tableId + " was not mirrored: the mirror engine is closed. The versions stay pending "
        + "and are mirrored by the next engine's reconcile on open.";
  }

  /** Backpressure: too many versions of the table await the mirror. */
  static DeltaException backlogFull(TableInfo table, long unmirrored, long max) {
    return new DeltaException(SqlState.INSUFFICIENT_RESOURCES, "Table " + table.qualifiedName() + " has "
        + unmirrored + " committed versions not yet mirrored to _delta_log, more than the maximum of " + max
        + ", so new commits to it are refused for now. Retry once the mirror catches up (CALL reconcile() "
        + "forces it; sys.mirror_status shows why versions fail).");
  }

  /** Backpressure asked about a table the catalog does not hold. */
  static DeltaException unknownTable(long tableId) {
    return new DeltaException(SqlState.UNDEFINED_TABLE,
        "Table id " + tableId + " does not exist in the catalog; it may have been dropped.");
  }
}
