package io.deltasql.core.catalog;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.table.Snapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Log replay in its simplest form, the oracle of the catalog tests: apply each version's
 * actions to the previous state (removes, then adds: a valid commit never adds and
 * removes the same logical file, so the order does not matter).
 */
final class Replay {
  private long version = -1;
  private long timestamp;
  private Protocol protocol;
  private Metadata metadata;
  private final Map<FileKey, AddFile> files = new LinkedHashMap<>();
  private final Map<String, SetTransaction> txns = new LinkedHashMap<>();
  private final Map<String, DomainMetadata> domains = new LinkedHashMap<>();

  /** Starts from a snapshot (an imported base version). */
  static Replay from(Snapshot base) {
    Replay replay = new Replay();
    replay.version = base.version();
    replay.timestamp = base.timestamp();
    replay.protocol = base.protocol();
    replay.metadata = base.metadata();
    replay.files.putAll(base.files());
    replay.txns.putAll(base.appTransactions());
    replay.domains.putAll(base.domains());
    return replay;
  }

  /** Applies the next version. */
  Replay apply(Iterable<Action> actions) {
    version++;
    for (Action action : actions) {
      if (action instanceof RemoveFile r) {
        files.remove(r.fileKey());
      }
    }
    for (Action action : actions) {
      if (action instanceof AddFile a) {
        files.put(a.fileKey(), a);
      } else if (action instanceof Protocol p) {
        protocol = p;
      } else if (action instanceof Metadata m) {
        metadata = m;
      } else if (action instanceof SetTransaction t) {
        txns.put(t.appId(), t);
      } else if (action instanceof DomainMetadata d) {
        if (d.removed()) {
          domains.remove(d.domain());
        } else {
          domains.put(d.domain(), d);
        }
      } else if (action instanceof CommitInfo c) {
        timestamp = c.inCommitTimestamp().orElseThrow();
      }
    }
    return this;
  }

  long version() {
    return version;
  }

  Snapshot snapshot() {
    return new Snapshot(version, timestamp, protocol, metadata, files, txns, domains);
  }
}
