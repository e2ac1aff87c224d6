package io.deltasql.core.parquet;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;

/** Every error this package reports, each naming the file at fault and what to do. */
final class CheckpointErrors {
  private static final String REMEDY = " Delete the file (and a _last_checkpoint that points to it)"
      + " so that readers fall back to an older checkpoint or to the JSON commits, or write the"
      + " checkpoint again.";

  private CheckpointErrors() {}

  static DeltaException notParquet(String path, Throwable cause) {
    return new DeltaException(SqlState.DATA_CORRUPTED, "Checkpoint file '" + path
        + "' is not a readable Parquet file (" + describe(cause) + "): it is corrupt or was cut short."
        + REMEDY, cause);
  }

  static DeltaException missingColumn(String path, String column) {
    return new DeltaException(SqlState.DATA_CORRUPTED, "Checkpoint file '" + path + "' has no '"
        + column + "' column, so it cannot list the table's files: it is not a Delta checkpoint or"
        + " it is corrupt." + REMEDY);
  }

  static DeltaException missingField(String path, String column, String field) {
    return new DeltaException(SqlState.DATA_CORRUPTED, "Checkpoint file '" + path + "': column '"
        + column + "' has no field '" + field + "', which every '" + column + "' action needs:"
        + " the checkpoint is corrupt." + REMEDY);
  }

  static DeltaException notAStruct(String path, String column) {
    return new DeltaException(SqlState.DATA_CORRUPTED, "Checkpoint file '" + path + "': column '"
        + column + "' is not a struct: the checkpoint is corrupt." + REMEDY);
  }

  static DeltaException badRow(String path, long row, Throwable cause) {
    return new DeltaException(SqlState.DATA_CORRUPTED, "Checkpoint file '" + path
        + "' is corrupt at row " + row + ": " + describe(cause) + "." + REMEDY, cause);
  }

  static DeltaException unreadable(String path, long row, Throwable cause) {
    return new DeltaException(SqlState.DATA_CORRUPTED, "Cannot decode checkpoint file '" + path
        + "' near row " + row + " (" + describe(cause) + "): it is corrupt or was cut short."
        + REMEDY, cause);
  }

  static DeltaException writeFailed(String path, Throwable cause) {
    return new DeltaException(SqlState.IO_ERROR, "Cannot write checkpoint '" + path + "': "
        + describe(cause) + ". Nothing was published; the table is unchanged and the checkpoint"
        + " can be written again.", cause);
  }

  /** The failure's message, and its root cause's when that says something else. */
  private static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = message(failure);
    return root == failure || message.contains(message(root))
        ? message : message + ", caused by " + message(root);
  }

  private static String message(Throwable failure) {
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }
}
