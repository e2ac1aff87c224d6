package io.deltasql.core.log;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.Sidecar;
import io.deltasql.core.json.CheckpointJson;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.parquet.CheckpointReader;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Reads the actions of commit and checkpoint files, following V2 checkpoints to their sidecars. */
final class LogActionReader {
  private final Storage storage;
  private final String logDir;
  private final CheckpointReader checkpoints;

  LogActionReader(Storage storage, String tableRoot) {
    this.storage = storage;
    this.logDir = StoragePaths.logDir(tableRoot);
    this.checkpoints = new CheckpointReader(storage);
  }

  List<Action> readCommit(LogFile commit) {
    return CommitJson.parse(storage.readAll(commit.path()), commit.path());
  }

  /** Streams every action of a checkpoint into {@code sink}; sidecars are read in place of their references. */
  void readCheckpoint(Checkpoint checkpoint, Consumer<Action> sink) {
    for (LogFile file : checkpoint.files()) {
      Consumer<Action> followSidecars = action -> {
        if (action instanceof Sidecar sidecar) {
          readSidecar(file, sidecar, sink);
        } else {
          sink.accept(action);
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
}
