package io.deltasql.core.log;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.Sidecar;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.json.CheckpointJson;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.parquet.CheckpointReader;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads the actions of commit and checkpoint files, following V2 checkpoints to their
 * sidecars, and refuses file actions whose relative path leaves the table root: a log must
 * never make deltasql read, rewrite or delete files outside the table.
 */
final class LogActionReader {
  private final Storage storage;
  private final String tableRoot;
  private final String logDir;
  private final CheckpointReader checkpoints;

  LogActionReader(Storage storage, String tableRoot) {
    this.storage = storage;
    this.tableRoot = tableRoot;
    this.logDir = StoragePaths.logDir(tableRoot);
    this.checkpoints = new CheckpointReader(storage);
  }

  List<Action> readCommit(LogFile commit) {
    List<Action> actions = CommitJson.parse(storage.readAll(commit.path()), commit.path());
    if (actions.isEmpty()) {
      // every writer puts at least one action (commitInfo, or the change itself) in a commit
      throw new DeltaException(SqlState.DATA_CORRUPTED, "Commit file " + commit.path()
          + " holds no action: the log is truncated or damaged; restore the file from the writer that made it");
    }
    actions.forEach(a -> checkPath(a, commit.path()));
    return actions;
  }

  /** Streams every action of a checkpoint into {@code sink}; sidecars are read in place of their references. */
  void readCheckpoint(Checkpoint checkpoint, Consumer<Action> sink) {
    readCheckpoint(checkpoint, sink, sidecar -> { });
  }

  /** {@link #readCheckpoint(Checkpoint, Consumer)}, telling {@code sidecars} of each sidecar reference read. */
  void readCheckpoint(Checkpoint checkpoint, Consumer<Action> sink, Consumer<Sidecar> sidecars) {
    for (LogFile file : checkpoint.files()) {
      Consumer<Action> checked = action -> {
        checkPath(action, file.path());
        sink.accept(action);
      };
      Consumer<Action> followSidecars = action -> {
        if (action instanceof Sidecar sidecar) {
          sidecars.accept(sidecar);
          readSidecar(file, sidecar, checked);
        } else {
          checked.accept(action);
        }
      };
      if (file.kind() == LogFile.Kind.V2_CHECKPOINT_JSON) {
        CheckpointJson.parse(storage.readAll(file.path()), file.path()).forEach(followSidecars);
      } else {
        try (Stream<Action> actions = checkpoints.read(file.path())) {
          actions.forEach(followSidecars);
        }
      }
    }
  }

  private void readSidecar(LogFile manifest, Sidecar sidecar, Consumer<Action> sink) {
    String path = CheckpointReader.sidecarPath(logDir, sidecar);
    if (storage.status(path).isEmpty()) {
      throw LogErrors.corrupt("Checkpoint " + manifest.path() + " names sidecar " + sidecar.path()
          + ", which does not exist: the checkpoint is incomplete.");
    }
    try (Stream<Action> actions = checkpoints.read(path)) {
      actions.forEach(sink);
    }
  }

  private void checkPath(Action action, String source) {
    String path = null;
    if (action instanceof AddFile add) {
      path = add.path();
    } else if (action instanceof RemoveFile remove) {
      path = remove.path();
    } else if (action instanceof AddCdcFile cdc) {
      path = cdc.path();
    }
    if (path != null) {
      try {
        StoragePaths.resolveInTable(tableRoot, path);
      } catch (DeltaException e) {
        throw LogErrors.corrupt(e.getMessage() + " (in " + source + ")", e);
      }
    }
  }
}
