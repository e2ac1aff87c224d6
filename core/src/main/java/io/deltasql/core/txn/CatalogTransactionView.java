package io.deltasql.core.txn;

import io.deltasql.core.actions.FileKey;
import io.deltasql.core.cache.SnapshotCache;
import io.deltasql.core.cache.SnapshotSource;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.catalog.TableName;
import io.deltasql.core.catalog.TableState;
import io.deltasql.core.table.Snapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog as one validation sees it, every answer from one catalog transaction and
 * one cut. Opening the view resolves each table (by the id the transaction bound it to, or
 * by name), its current version and its count of unmirrored versions, all tables with one
 * statement: that statement is the cut (with {@code lockRows}, the locking read after it). Everything else the view answers names a version of that cut
 * (snapshots, served by the {@link SnapshotCache}, are immutable per version), so a
 * validation never sees one table before a commit and another after it, even though the
 * catalog connection runs at READ COMMITTED. Mirror backlog and divergence come with each
 * table's row; they are not part of the commit order.
 *
 * <p>Valid only inside the catalog transaction it was opened in.
 */
final class CatalogTransactionView implements CatalogView {
  private final CatalogTransaction tx;
  private final SnapshotCache cache;
  private final SnapshotSource source;
  private final Map<String, TableInfo> tables;
  private final Map<String, Long> cut;
  private final Map<String, Long> unmirrored;
  private final Map<String, TableHead> heads = new HashMap<>();
  /** The snapshots the heads were read from, by table key. */
  private final Map<String, Snapshot> headSnapshots = new HashMap<>();

  private CatalogTransactionView(CatalogTransaction tx, SnapshotCache cache, Map<String, TableInfo> tables,
      Map<String, Long> cut, Map<String, Long> unmirrored) {
    this.tx = tx;
    this.cache = cache;
    this.source = cache.source(tx);
    this.tables = tables;
    this.cut = cut;
    this.unmirrored = unmirrored;
  }

  /**
   * Opens a view of {@code keys}: a key bound to a table id reads that table (absent if it
   * was dropped), any other key is looked up by name. With {@code lockRows} the cut is read
   * by locking the tables' catalog rows ({@link CatalogTransaction#lockCurrentVersions}):
   * then no commit, from this process or another, can change any of these tables until the
   * catalog transaction ends, so what is validated against the cut still holds when the
   * catalog transaction commits. The statement also reads what the commit of transaction
   * {@code txnId} checks of each table ({@link CatalogTransaction#tableStates(Collection,
   * Collection, String)}).
   */
  static CatalogTransactionView open(CatalogTransaction tx, SnapshotCache cache, Collection<String> keys,
      Map<String, TableRef> bound, boolean lockRows, String txnId) {
    Map<String, Long> idOf = new LinkedHashMap<>();
    Map<String, TableName> nameOf = new LinkedHashMap<>();
    for (String key : new LinkedHashSet<>(keys)) {
      TableRef ref = bound.get(key);
      if (ref != null) {
        idOf.put(key, ref.tableId());
      } else {
        String[] names = TableRef.split(key);
        nameOf.put(key, new TableName(names[0], names[1]));
      }
    }
    // One statement: every table's row (its version is the cut) and its mirror backlog.
    Map<Long, TableState> byId = new HashMap<>();
    Map<TableName, TableState> byName = new HashMap<>();
    for (TableState state : tx.tableStates(new LinkedHashSet<>(idOf.values()), new LinkedHashSet<>(nameOf.values()),
        txnId)) {
      byId.put(state.info().tableId(), state);
      byName.put(new TableName(state.info().schemaName(), state.info().tableName()), state);
    }
    Map<String, TableState> found = new LinkedHashMap<>();
    for (String key : new LinkedHashSet<>(keys)) {
      TableState state = idOf.containsKey(key) ? byId.get(idOf.get(key)) : byName.get(nameOf.get(key));
      if (state != null) {
        found.put(key, state);
      }
    }
    Map<Long, Long> versions = new HashMap<>();
    if (lockRows) {
      List<Long> ids = new ArrayList<>();
      found.values().forEach(s -> ids.add(s.info().tableId()));
      versions.putAll(tx.lockCurrentVersions(ids));
    } else {
      found.values().forEach(s -> versions.put(s.info().tableId(), s.info().currentVersion()));
    }
    Map<String, TableInfo> present = new LinkedHashMap<>();
    Map<String, Long> cut = new LinkedHashMap<>();
    Map<String, Long> unmirrored = new HashMap<>();
    for (Map.Entry<String, TableState> e : found.entrySet()) {
      Long version = versions.get(e.getValue().info().tableId());
      if (version != null && version >= 0) {
        present.put(e.getKey(), e.getValue().info());
        cut.put(e.getKey(), version);
        unmirrored.put(e.getKey(), e.getValue().unmirroredVersions());
      }
    }
    return new CatalogTransactionView(tx, cache, present, cut, unmirrored);
  }

  /**
   * A view of tables the writer holds at their read versions ({@code readVersions}, each
   * cached in {@code cache}), opened without a statement: the cut is the read versions, the
   * rows are {@code rows} as the writer last read them, and each table counts as not diverged
   * with no unmirrored version. A commit through it must be {@link
   * CatalogTransaction#commitAllHeld}, whose compare-and-set checks all of that.
   */
  static CatalogTransactionView held(CatalogTransaction tx, SnapshotCache cache, Map<String, TableInfo> rows,
      Map<String, Long> readVersions) {
    Map<String, Long> unmirrored = new HashMap<>();
    rows.keySet().forEach(key -> unmirrored.put(key, 0L));
    return new CatalogTransactionView(tx, cache, new LinkedHashMap<>(rows), new LinkedHashMap<>(readVersions),
        unmirrored);
  }

  /** The catalog rows of the tables of the view, by key. */
  Map<String, TableInfo> tables() {
    return Collections.unmodifiableMap(tables);
  }

  /** The catalog row of a table of the view, if it exists with at least one version. */
  Optional<TableInfo> table(String key) {
    return Optional.ofNullable(tables.get(key));
  }

  /** The version of a table at the view's cut. */
  Optional<Long> version(String key) {
    return Optional.ofNullable(cut.get(key));
  }

  /** The snapshot of a table at the view's cut. */
  Optional<Snapshot> snapshot(String key) {
    TableInfo info = tables.get(key);
    return info == null ? Optional.empty() : Optional.of(cache.at(source, info.tableId(), cut.get(key)));
  }

  @Override
  public Optional<TableHead> head(String table) {
    TableHead head = heads.get(table);
    if (head == null) {
      TableInfo info = tables.get(table);
      if (info == null) {
        return Optional.empty();
      }
      long version = cut.get(table);
      Snapshot s = cache.at(source, info.tableId(), version);
      head = new TableHead(table, version, s.protocol(), s.metadata(), s.files().size(), unmirrored.get(table),
          info.diverged());
      heads.put(table, head);
      headSnapshots.put(table, s);
    }
    return Optional.of(head);
  }

  /** The head of a table if validation already read it (no catalog access). */
  Optional<TableHead> readHead(String table) {
    return Optional.ofNullable(heads.get(table));
  }

  /** The snapshot at the cut of a table whose head validation already read (no catalog access). */
  Optional<Snapshot> readSnapshot(String table) {
    return Optional.ofNullable(headSnapshots.get(table));
  }

  /** From the cut alone: no snapshot is read for a table that is only read. */
  @Override
  public Optional<Long> currentVersion(String table) {
    return version(table);
  }

  @Override
  public boolean isActive(String table, FileKey file) {
    return snapshot(table).map(s -> s.files().containsKey(file)).orElse(false);
  }

  @Override
  public Set<FileKey> inactive(String table, Collection<FileKey> files) {
    Optional<Snapshot> s = snapshot(table);
    Set<FileKey> inactive = new LinkedHashSet<>();
    for (FileKey f : files) {
      if (s.isEmpty() || !s.get().files().containsKey(f)) {
        inactive.add(f);
      }
    }
    return inactive;
  }

  @Override
  public SchemaResolver schemaResolver() {
    return cache::schemaOf;
  }
}
