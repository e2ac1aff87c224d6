package io.deltasql.core.parquet;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.table.Snapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Snapshots built from the actions of a checkpoint, and the normal form checkpoints store. */
final class Snapshots {
  private Snapshots() {}

  static Snapshot of(long version, List<Action> checkpoint) {
    Map<FileKey, AddFile> files = new LinkedHashMap<>();
    Map<String, SetTransaction> txns = new LinkedHashMap<>();
    Map<String, DomainMetadata> domains = new LinkedHashMap<>();
    for (Action action : checkpoint) {
      if (action instanceof AddFile add) {
        files.put(add.fileKey(), add);
      } else if (action instanceof SetTransaction txn) {
        txns.put(txn.appId(), txn);
      } else if (action instanceof DomainMetadata domain) {
        domains.put(domain.domain(), domain);
      }
    }
    return new Snapshot(version, 0L, CheckpointReaderTest.only(checkpoint, Protocol.class),
        CheckpointReaderTest.only(checkpoint, Metadata.class), files, txns, domains);
  }

  /** An add as a checkpoint stores it: as state, not as a change. */
  static AddFile asState(AddFile add) {
    return add.withDataChange(false);
  }

  /** A tombstone as a checkpoint stores it: no change flag, and no stats or tags. */
  static RemoveFile asState(RemoveFile remove) {
    return new RemoveFile(remove.path(), remove.deletionTimestamp(), false,
        remove.extendedFileMetadata(), remove.partitionValues(), remove.size(), Optional.empty(),
        Map.of(), remove.deletionVector(), remove.baseRowId(), remove.defaultRowCommitVersion());
  }
}
