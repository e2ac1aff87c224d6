package io.deltasql.core.txn;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Delta's logical conflict rules (PROTOCOL.md, and the conflict checks of Delta's
 * optimistic transactions), applied to one table whose version moved past the version a
 * transaction read. The winning versions are checked oldest first; the first rule that
 * fires decides:
 *
 * <ol>
 *   <li>A winning version carries this transaction's own id: it is a retry of a commit
 *       that already landed ({@link ConflictDecision.AlreadyCommitted}).
 *   <li>A winning protocol change, or metadata change (schema, partitioning,
 *       properties): conflict, whatever this transaction does with the table.
 *   <li>A winning remove of a file this transaction removes or rewrites: conflict (a
 *       concurrent delete or update of the same rows: the lost update).
 *   <li>A winning add of a file this transaction adds too, a winning {@code txn} action of
 *       an application id this transaction also records, a winning domain metadata of a
 *       domain this transaction also sets: conflict.
 *   <li>When this transaction depends on the table's data: a winning add or remove that
 *       changes data ({@code dataChange=true}) is a conflict under SERIALIZABLE (what was
 *       read is no longer current), and at every level when this transaction changes the
 *       table's metadata or protocol (the new schema must hold for every file). Under
 *       READ COMMITTED and REPEATABLE READ, reads are not validated: only the write-write
 *       rules above apply.
 * </ol>
 *
 * Otherwise the commits commute with this transaction's ({@link ConflictDecision.Rebase}):
 * blind appends commute with appends, and with rewrites of other files; a compaction
 * ({@code dataChange=false}) does not invalidate a read.
 *
 * <p>A transaction depends on a table's data when it read the table through the writer, or
 * staged for it anything but a blind append ({@link TableActions#isBlindAppend()}).
 */
final class ConflictChecker {
  private final String txnId;
  private final IsolationLevel level;

  ConflictChecker(String txnId, IsolationLevel level) {
    this.txnId = Checks.notNull(txnId, "txnId");
    this.level = Checks.notNull(level, "level");
  }

  /**
   * Decides for one table.
   *
   * @param table the table
   * @param readVersion the version the transaction read (its staged read version, or its read pin)
   * @param staged what the transaction writes to the table; empty for a table it only read
   * @param readsData whether the transaction read the table's data (see the class comment)
   * @param winners the versions committed since {@code readVersion}, oldest first, not empty
   */
  ConflictDecision check(String table, long readVersion, Optional<TableActions> staged, boolean readsData,
      List<WinningCommit> winners) {
    if (winners.isEmpty()) {
      throw TxnErrors.invalidArgument("no newer version of table '" + table + "' to check");
    }
    Writes writes = new Writes(staged);
    boolean dependsOnData = readsData || writes.changesMetadata || staged.isEmpty();
    boolean dataChangesConflict = dependsOnData && (level.validatesReads() || writes.changesMetadata);
    for (WinningCommit w : winners) {
      if (w.txnId().filter(txnId::equals).isPresent()) {
        return new ConflictDecision.AlreadyCommitted(table, w.version());
      }
      Optional<String> reason = conflict(w, writes, dataChangesConflict);
      if (reason.isPresent()) {
        return new ConflictDecision.Conflict(table, readVersion, w.version(), w.describe() + ", committed meanwhile, "
            + reason.get());
      }
    }
    return new ConflictDecision.Rebase(table, winners.get(winners.size() - 1).version());
  }

  private Optional<String> conflict(WinningCommit w, Writes writes, boolean dataChangesConflict) {
    boolean dataChanged = false;
    for (Action a : w.actions()) {
      if (a instanceof Protocol) {
        return Optional.of("changed the table's protocol");
      }
      if (a instanceof Metadata) {
        return Optional.of("changed the table's metadata (schema, partitioning or properties)");
      }
      if (a instanceof RemoveFile r) {
        if (writes.removes().contains(r.fileKey())) {
          return Optional.of("removed file '" + r.path() + "', which this transaction also removes or rewrites"
              + " (a concurrent delete or update of the same rows)");
        }
        dataChanged |= r.dataChange();
      } else if (a instanceof AddFile add) {
        if (writes.adds().contains(add.fileKey())) {
          return Optional.of("added file '" + add.path() + "', which this transaction adds too");
        }
        dataChanged |= add.dataChange();
      } else if (a instanceof SetTransaction t && writes.appIds.contains(t.appId())) {
        return Optional.of("recorded a version of application '" + t.appId() + "', which this transaction"
            + " records too");
      } else if (a instanceof DomainMetadata d && writes.domains.contains(d.domain())) {
        return Optional.of("set metadata domain '" + d.domain() + "', which this transaction sets too");
      }
    }
    if (dataChanged && dataChangesConflict) {
      return Optional.of(writes.changesMetadata
          ? "changed data while this transaction changes the table's schema or protocol"
          : "changed data that this " + level.sqlName() + " transaction read");
    }
    return Optional.empty();
  }

  /** What the transaction writes to the table; the file key sets are built on first use. */
  private static final class Writes {
    private final Optional<TableActions> staged;
    private final boolean changesMetadata;
    private final Set<String> appIds = new HashSet<>();
    private final Set<String> domains = new HashSet<>();
    private Set<FileKey> removes;
    private Set<FileKey> adds;

    Writes(Optional<TableActions> staged) {
      this.staged = staged;
      this.changesMetadata = staged.map(s -> s.metadata().isPresent() || s.protocol().isPresent()).orElse(false);
      staged.ifPresent(s -> {
        s.appTransactions().forEach(t -> appIds.add(t.appId()));
        s.domainMetadata().forEach(d -> domains.add(d.domain()));
      });
    }

    Set<FileKey> removes() {
      if (removes == null) {
        removes = new HashSet<>();
        staged.ifPresent(s -> s.netChanges().removes().forEach(r -> removes.add(r.fileKey())));
      }
      return removes;
    }

    Set<FileKey> adds() {
      if (adds == null) {
        adds = new HashSet<>();
        staged.ifPresent(s -> s.netChanges().adds().forEach(a -> adds.add(a.fileKey())));
      }
      return adds;
    }
  }
}
