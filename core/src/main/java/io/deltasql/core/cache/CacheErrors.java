package io.deltasql.core.cache;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;

/** Every exception of the snapshot cache, each saying what went wrong and what to do. */
final class CacheErrors {
  private CacheErrors() {}

  static DeltaException missingVersion(long tableId, long version) {
    return new DeltaException(SqlState.DATA_CORRUPTED, "The catalog has no version record for version " + version
        + " of table id " + tableId + " although the table reached that version: the catalog was changed outside"
        + " deltasql; restore it from a backup");
  }

  static DeltaException noVersions(long tableId) {
    return new DeltaException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "Table id " + tableId
        + " has no committed version yet, so it has no snapshot: commit version 0 first");
  }

  static DeltaException invalidArgument(String message) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE, message);
  }

  static DeltaException incompleteReplay(long tableId, long version) {
    return new DeltaException(SqlState.DATA_CORRUPTED, "Advancing the cached snapshot of table id " + tableId
        + " to version " + version + " found no protocol or metadata: the catalog is inconsistent; restore it"
        + " from a backup");
  }
}
