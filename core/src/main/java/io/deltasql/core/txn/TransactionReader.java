package io.deltasql.core.txn;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.cache.SnapshotCache;
import io.deltasql.core.cache.SnapshotSource;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.table.SnapshotBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads of a transaction's statements (DESIGN.md, "Isolation levels"). Every read is a
 * consistent cut: the versions of all tables a statement reads come from one catalog
 * statement, never table A before a multi-table commit and table B after it.
 *
 * <ul>
 *   <li>READ COMMITTED: each call reads the current versions of its tables with one
 *       {@code currentVersions} statement.
 *   <li>REPEATABLE READ and SERIALIZABLE: the first read of the transaction reads the current
 *       version of <em>every</em> catalog table with one statement and pins that cut; every
 *       later read of a table the transaction has not read yet takes its version from the
 *       pinned cut, so tables first read late are read at the same point of the commit
 *       order as those read first. A table created after the cut cannot be read
 *       consistently and fails with {@code 40001}. Tables already read or written keep
 *       their pinned version.
 * </ul>
 *
 * Snapshots come from the {@link SnapshotCache}; the transaction's own staged changes are
 * applied on top (read-your-own-writes).
 */
final class TransactionReader {
  private final CatalogStore catalog;
  private final SnapshotCache cache;
  private final Clock clock;

  TransactionReader(CatalogStore catalog, SnapshotCache cache, Clock clock) {
    this.catalog = catalog;
    this.cache = cache;
    this.clock = clock;
  }

  /** What one catalog transaction read for a statement. */
  private record Read(Map<Long, TableInfo> tables, Map<Long, Long> versions, Map<Long, Snapshot> snapshots,
      Optional<Map<Long, Long>> cut) {}

  /** The tables {@code tableIds} at one cut, with the transaction's own writes. */
  Map<Long, TransactionSnapshot> read(MultiTableTransaction tx, WriterSession session, Collection<Long> tableIds) {
    List<Long> ids = new ArrayList<>(new LinkedHashSet<>(Checks.noNulls(tableIds, "table ids")));
    if (tx.state() != TransactionState.ACTIVE) {
      throw TxnErrors.notActive(tx.id(), tx.state(), "read tables " + ids, tx.failure());
    }
    Optional<Map<Long, Long>> pinnedCut = session.cut();
    Read read = catalog.inTransaction(ctx -> read(ctx, tx, session, ids, pinnedCut));
    read.cut().ifPresent(session::pinCut);
    Map<Long, TransactionSnapshot> result = new LinkedHashMap<>();
    for (long id : ids) {
      TableRef ref = TableRef.of(read.tables().get(id));
      session.bind(ref);
      long version = read.versions().get(id);
      tx.recordRead(ref.key(), version);
      session.markRead(ref.key());
      result.put(id, withOwnWrites(ref.key(), read.snapshots().get(id), tx.stagedActions(ref.key())));
    }
    return result;
  }

  /** A table the transaction creates, as its own statements see it: only what they staged. */
  TransactionSnapshot readNew(MultiTableTransaction tx, String key) {
    TableActions staged = tx.stagedActions(key).filter(TableActions::isNewTable)
        .orElseThrow(() -> WriterErrors.notStagedAsNew(tx.id(), key));
    SnapshotBuilder builder = new SnapshotBuilder();
    apply(builder, staged);
    if (builder.protocol().isEmpty() || builder.metadata().isEmpty()) {
      throw WriterErrors.noLocation(tx.id(), key);
    }
    return new TransactionSnapshot(key, TableActions.NEW_TABLE,
        builder.build(TableActions.NEW_TABLE, clock.millis()), true);
  }

  private Read read(CatalogTransaction ctx, MultiTableTransaction tx, WriterSession session, List<Long> ids,
      Optional<Map<Long, Long>> pinnedCut) {
    Map<Long, TableInfo> tables = new LinkedHashMap<>();
    for (long id : ids) {
      tables.put(id, ctx.findTable(id).orElseThrow(() -> WriterErrors.unknownTable(id)));
    }
    Map<Long, Long> versions = new LinkedHashMap<>();
    Optional<Map<Long, Long>> cut = Optional.empty();
    if (tx.isolationLevel().pinsSnapshot()) {
      Map<Long, Long> pinned = pinnedCut.orElseGet(() -> allCurrentVersions(ctx));
      cut = Optional.of(pinned);
      for (long id : ids) {
        String key = TableRef.of(tables.get(id)).key();
        Long version = tx.pinnedVersion(key).orElse(pinned.get(id));
        if (version == null || version < 0) {
          throw WriterErrors.createdAfterSnapshot(tx.id(), tx.isolationLevel(), key);
        }
        versions.put(id, version);
      }
    } else {
      Map<Long, Long> current = ctx.currentVersions(ids);
      for (long id : ids) {
        Long version = current.get(id);
        if (version == null) {
          throw WriterErrors.unknownTable(id);
        }
        if (version < 0) {
          throw WriterErrors.noVersions(TableRef.of(tables.get(id)).key());
        }
        versions.put(id, version);
      }
    }
    SnapshotSource source = cache.source(ctx);
    Map<Long, Snapshot> snapshots = new LinkedHashMap<>();
    for (long id : ids) {
      snapshots.put(id, cache.at(source, id, versions.get(id)));
    }
    return new Read(tables, versions, snapshots, cut);
  }

  /** The current version of every catalog table, read by one statement: the cut of a pinned transaction. */
  private static Map<Long, Long> allCurrentVersions(CatalogTransaction ctx) {
    Map<Long, Long> versions = new LinkedHashMap<>();
    for (TableInfo t : ctx.listTables()) {
      versions.put(t.tableId(), t.currentVersion());
    }
    return versions;
  }

  private static TransactionSnapshot withOwnWrites(String key, Snapshot base, Optional<TableActions> staged) {
    if (staged.isEmpty()) {
      return new TransactionSnapshot(key, base.version(), base, false);
    }
    SnapshotBuilder builder = new SnapshotBuilder(base);
    apply(builder, staged.get());
    return new TransactionSnapshot(key, base.version(), builder.build(base.version(), base.timestamp()), true);
  }

  private static void apply(SnapshotBuilder builder, TableActions staged) {
    staged.protocol().ifPresent(builder::apply);
    staged.metadata().ifPresent(builder::apply);
    NetFileChanges net = staged.netChanges();
    for (RemoveFile r : net.removes()) {
      builder.apply(r);
    }
    for (AddFile a : net.adds()) {
      builder.apply(a);
    }
    staged.appTransactions().forEach(builder::apply);
    staged.domainMetadata().forEach(builder::apply);
  }
}
