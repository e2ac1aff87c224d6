package io.deltasql.core.txn;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.catalog.CommitRequest;
import io.deltasql.core.catalog.TableInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * Turns a transaction's staged actions into one catalog commit request per table: the
 * {@code commitInfo} first, then protocol, metadata, the net removes, the net adds, app
 * transactions and domains. A table the transaction creates is registered first (inside
 * the same catalog transaction, so that the registration and version 0 land together, or
 * not at all).
 */
final class CommitPlan {
  private final CommitInfoFactory commitInfos;
  private final Clock clock;
  private final String committer;

  CommitPlan(CommitInfoFactory commitInfos, Clock clock, String committer) {
    this.commitInfos = commitInfos;
    this.clock = clock;
    this.committer = committer;
  }

  /** One table's request: the key it is staged under and what to send the catalog. */
  record TableRequest(String table, CommitRequest request) {}

  /**
   * The requests of every staged table, in canonical order. Runs inside the commit's catalog
   * transaction: {@code view} gives the ids of existing tables; new ones are registered
   * through {@code tx} unless a table of that name exists already (then the catalog either
   * finds this transaction's own earlier commit of it, or reports the lost race).
   */
  List<TableRequest> requests(CatalogTransaction tx, CatalogTransactionView view, MultiTableTransaction txn,
      WriterSession session) {
    SortedMap<String, TableActions> staged = txn.stagedActions();
    List<String> tables = List.copyOf(staged.keySet());
    long timestamp = clock.millis();
    List<TableRequest> requests = new ArrayList<>(tables.size());
    for (TableActions actions : staged.values()) {
      String key = actions.table();
      long tableId;
      NetFileChanges net = actions.netChanges();
      Optional<Set<FileKey>> replaced;
      if (actions.isNewTable()) {
        NewTable table = session.created(key).orElseThrow(() -> WriterErrors.noLocation(txn.id(), key));
        Optional<TableInfo> existing = tx.findTable(table.schemaName(), table.tableName());
        tableId = existing.isPresent() ? existing.get().tableId()
            : tx.registerTable(table.schemaName(), table.tableName(), table.location(), table.properties()).tableId();
        // A table registered right here has no files; one found registered is left to the catalog.
        replaced = existing.isPresent() ? Optional.empty() : Optional.of(Set.of());
      } else {
        tableId = view.table(key).orElseThrow(() -> WriterErrors.unknownTable(key)).tableId();
        replaced = replaced(view, key, actions.readVersion(), net.adds());
      }
      CommitInfo info = commitInfos.create(txn.id(), actions, net, tables, txn.isolationLevel(), timestamp);
      CommitRequest request = new CommitRequest(tableId, actions.readVersion(), txn.id().toString(),
          actions(info, actions, net), Optional.of(committer), Optional.empty(), false, replaced);
      requests.add(new TableRequest(key, request));
    }
    return requests;
  }

  /**
   * The added files that replace a file active at the read version, from the snapshot that
   * validation read at the cut when the cut is the read version (the compare-and-set then
   * makes sure nothing committed in between); empty when the snapshot is not at hand.
   */
  private static Optional<Set<FileKey>> replaced(CatalogTransactionView view, String key, long readVersion,
      List<AddFile> adds) {
    if (view.version(key).filter(v -> v == readVersion).isEmpty()) {
      return Optional.empty();
    }
    return view.readSnapshot(key).map(snapshot -> {
      Set<FileKey> replaced = new HashSet<>();
      for (AddFile add : adds) {
        FileKey file = add.fileKey();
        if (snapshot.files().containsKey(file)) {
          replaced.add(file);
        }
      }
      return replaced;
    });
  }

  private static List<Action> actions(CommitInfo info, TableActions actions, NetFileChanges net) {
    List<Action> list = new ArrayList<>(3 + net.removes().size() + net.adds().size()
        + actions.appTransactions().size() + actions.domainMetadata().size());
    list.add(info);
    actions.protocol().ifPresent(list::add);
    actions.metadata().ifPresent(list::add);
    list.addAll(net.removes());
    list.addAll(net.adds());
    list.addAll(actions.appTransactions());
    list.addAll(actions.domainMetadata());
    return list;
  }
}
