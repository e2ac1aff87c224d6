package io.deltasql.core.log;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;

/** Every error of reading a {@code _delta_log}: what went wrong, where, and what to do. */
final class LogErrors {
  private LogErrors() {}

  static DeltaException notADeltaTable(String tableRoot) {
    return new DeltaException(SqlState.UNDEFINED_TABLE,
        "No Delta table at '" + tableRoot + "': its _delta_log folder is missing or holds no commit"
            + " or checkpoint. Check the location, or create the table instead of importing it.");
  }

  static DeltaException versionNotFound(String tableRoot, long version, long latest) {
    return new DeltaException(SqlState.DATA_EXCEPTION,
        "Table '" + tableRoot + "' has no version " + version + ": its latest version is " + latest + ".");
  }

  static DeltaException versionNotReconstructable(String tableRoot, long version, long oldest) {
    return new DeltaException(SqlState.DATA_EXCEPTION,
        "Version " + version + " of table '" + tableRoot + "' can no longer be reconstructed: its log"
            + " was cleaned up; the oldest version available is " + oldest + ".");
  }

  static DeltaException noCheckpoint(String tableRoot, long version) {
    return new DeltaException(SqlState.DATA_EXCEPTION,
        "Table '" + tableRoot + "' has no complete checkpoint at version " + version + ".");
  }

  static DeltaException checkpointContradictsCommits(String tableRoot, long version, String what,
      java.util.List<String> checkpointFiles) {
    return new DeltaException(SqlState.DATA_CORRUPTED,
        "The log of table '" + tableRoot + "' contradicts itself at version " + version + ": the "
            + what + " of checkpoint " + String.join(", ", checkpointFiles) + " differ from the replay of the"
            + " commits before it. A commit file or the checkpoint was damaged; restore it from a backup"
            + " (readers that start from the checkpoint and those that replay commits see different tables).");
  }

  static DeltaException missingCommit(String tableRoot, long missing, long checkpointVersion, long target) {
    String from = checkpointVersion < 0 ? "version 0" : "checkpoint " + checkpointVersion;
    return new DeltaException(SqlState.DATA_CORRUPTED,
        "The log of table '" + tableRoot + "' is not contiguous: commit " + missing
            + " is missing between " + from + " and version " + target
            + ". The table cannot be read; restore the missing commit file.");
  }

  static DeltaException missingProtocol(String tableRoot, long version) {
    return new DeltaException(SqlState.DATA_CORRUPTED,
        "The log of table '" + tableRoot + "' has no protocol action up to version " + version
            + ": the table's state cannot be reconstructed.");
  }

  static DeltaException missingMetadata(String tableRoot, long version) {
    return new DeltaException(SqlState.DATA_CORRUPTED,
        "The log of table '" + tableRoot + "' has no metaData action up to version " + version
            + ": the table's state cannot be reconstructed.");
  }

  static DeltaException unsupportedReaderVersion(String tableRoot, long version, int readerVersion) {
    return new DeltaException(SqlState.FEATURE_NOT_SUPPORTED,
        "Table '" + tableRoot + "' at version " + version + " requires Delta reader version "
            + readerVersion + "; deltasql reads versions 1 to 3. Upgrade deltasql or read the table"
            + " with a newer engine.");
  }

  static DeltaException unsupportedReaderFeatures(String tableRoot, long version, Iterable<String> features) {
    return new DeltaException(SqlState.FEATURE_NOT_SUPPORTED,
        "Table '" + tableRoot + "' at version " + version + " requires reader feature(s) "
            + String.join(", ", features) + " that deltasql does not support.");
  }

  static DeltaException catalogManaged(String tableRoot, long version) {
    return new DeltaException(SqlState.FEATURE_NOT_SUPPORTED,
        "Table '" + tableRoot + "' at version " + version + " is managed by another catalog"
            + " (feature catalogManaged): its commits must go through that catalog, so deltasql"
            + " refuses to import or write it.");
  }

  static DeltaException corrupt(String what, Throwable cause) {
    return new DeltaException(SqlState.DATA_CORRUPTED, what, cause);
  }

  static DeltaException corrupt(String what) {
    return new DeltaException(SqlState.DATA_CORRUPTED, what);
  }
}
