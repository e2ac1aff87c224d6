package io.deltasql.core.table;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Log replay: applies actions in log order and yields the {@link Snapshot}. Files are keyed
 * by (path, deletion vector id), as PROTOCOL.md requires: the same path removed and re-added
 * with a new deletion vector in one commit is two different logical files. The latest
 * protocol, metadata, {@code txn} per application and domain metadata per domain win.
 */
public final class SnapshotBuilder {
  private final FileMap.Builder files;
  private final Map<String, SetTransaction> appTransactions = new HashMap<>();
  private final Map<String, DomainMetadata> domains = new HashMap<>();
  private Protocol protocol;
  private Metadata metadata;

  /** An empty table, before version 0. */
  public SnapshotBuilder() {
    files = FileMap.builder();
  }

  /**
   * Continues from an existing snapshot (to advance it by newer commits). The base's files
   * are shared, not copied: advancing costs what the applied actions change.
   */
  public SnapshotBuilder(Snapshot base) {
    files = FileMap.builder(FileMap.copyOf(base.files()));
    appTransactions.putAll(base.appTransactions());
    domains.putAll(base.domains());
    protocol = base.protocol();
    metadata = base.metadata();
  }

  /** Applies one action. */
  public SnapshotBuilder apply(Action action) {
    if (action instanceof AddFile add) {
      files.put(add);
    } else if (action instanceof RemoveFile remove) {
      files.remove(remove.fileKey());
    } else if (action instanceof Protocol p) {
      protocol = p;
    } else if (action instanceof Metadata m) {
      metadata = m;
    } else if (action instanceof SetTransaction txn) {
      appTransactions.put(txn.appId(), txn);
    } else if (action instanceof DomainMetadata dm) {
      if (dm.removed()) {
        domains.remove(dm.domain());
      } else {
        domains.put(dm.domain(), dm);
      }
    }
    // commitInfo, cdc, checkpointMetadata and sidecar do not change the table's state
    return this;
  }

  /** Applies every action, in order. */
  public SnapshotBuilder applyAll(Iterable<? extends Action> actions) {
    for (Action a : actions) {
      apply(a);
    }
    return this;
  }

  public Optional<Protocol> protocol() {
    return Optional.ofNullable(protocol);
  }

  public Optional<Metadata> metadata() {
    return Optional.ofNullable(metadata);
  }

  /** Number of active files so far. */
  public int fileCount() {
    return files.size();
  }

  /**
   * The snapshot at {@code version}. The caller checks first that a protocol and metadata
   * were seen ({@link #protocol()}, {@link #metadata()}).
   */
  public Snapshot build(long version, long timestamp) {
    if (protocol == null || metadata == null) {
      throw new IllegalStateException("no " + (protocol == null ? "protocol" : "metadata")
          + " replayed up to version " + version);
    }
    return new Snapshot(version, timestamp, protocol, metadata, files.build(), appTransactions, domains);
  }
}
