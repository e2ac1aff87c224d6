package io.deltasql.core.txn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code commitInfo} of one table's commit in a multi-table transaction. Besides what
 * Delta engines write ({@code inCommitTimestamp} first, {@code timestamp},
 * {@code operation}, {@code operationParameters}, {@code readVersion},
 * {@code isolationLevel}, {@code isBlindAppend}, {@code operationMetrics},
 * {@code engineInfo}, {@code txnId}), it names the transaction and every table it wrote
 * ({@value #TXN_ID}, {@value #TABLES}, {@value #ISOLATION}), so that readers and recovery
 * can relate the commits of one transaction across tables.
 */
final class CommitInfoFactory {
  /** The shared transaction id, under deltasql's own key. */
  static final String TXN_ID = "deltasql.txnId";
  /** Every table the transaction wrote, as {@code schema.table}, in canonical order. */
  static final String TABLES = "deltasql.tables";
  /** The deltasql isolation level, as SQL names it. */
  static final String ISOLATION = "deltasql.isolationLevel";

  private final String engineInfo;

  CommitInfoFactory(String engineInfo) {
    this.engineInfo = Checks.notNull(engineInfo, "engineInfo");
  }

  CommitInfo create(UUID txnId, TableActions actions, NetFileChanges net, List<String> tables,
      IsolationLevel level, long timestamp) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode info = json.objectNode();
    info.put(CommitInfo.IN_COMMIT_TIMESTAMP, timestamp);
    info.put(CommitInfo.TIMESTAMP, timestamp);
    TableOperation operation = operation(actions);
    info.put(CommitInfo.OPERATION, operation.name());
    ObjectNode parameters = info.putObject(CommitInfo.OPERATION_PARAMETERS);
    for (Map.Entry<String, String> p : operation.parameters().entrySet()) {
      parameters.put(p.getKey(), p.getValue());
    }
    if (!actions.isNewTable()) {
      info.put("readVersion", actions.readVersion());
    }
    info.put("isolationLevel", deltaIsolationLevel(level));
    info.put("isBlindAppend", actions.isBlindAppend());
    ObjectNode metrics = info.putObject("operationMetrics");
    long bytes = 0;
    for (AddFile add : net.adds()) {
      bytes += add.size();
    }
    metrics.put("numAddedFiles", Integer.toString(net.adds().size()));
    metrics.put("numRemovedFiles", Integer.toString(net.removes().size()));
    metrics.put("numAddedBytes", Long.toString(bytes));
    info.put("engineInfo", engineInfo);
    info.put(CommitInfo.TXN_ID, txnId.toString());
    info.put(TXN_ID, txnId.toString());
    ArrayNode names = info.putArray(TABLES);
    tables.forEach(names::add);
    info.put(ISOLATION, level.sqlName());
    return new CommitInfo(info);
  }

  /**
   * The operation of the table's commit: for a table the transaction creates, {@code CREATE
   * TABLE} (or {@code CREATE TABLE AS SELECT} when the transaction also adds files to it,
   * as Delta names it) with the parameters of the creating statement; else the staged
   * operation ({@link TableActions#operation()}).
   */
  private static TableOperation operation(TableActions actions) {
    if (!actions.isNewTable() || actions.statements().isEmpty()) {
      return actions.operation();
    }
    TableOperation first = actions.statements().get(0).operation();
    String name = actions.adds().isEmpty() ? "CREATE TABLE" : "CREATE TABLE AS SELECT";
    return new TableOperation(name, first.parameters());
  }

  /**
   * The closest of Delta's isolation level names: SERIALIZABLE validates reads as Delta's
   * {@code Serializable} does; below it only write-write conflicts are checked, which is
   * Delta's {@code SnapshotIsolation}.
   */
  static String deltaIsolationLevel(IsolationLevel level) {
    return level == IsolationLevel.SERIALIZABLE ? "Serializable" : "SnapshotIsolation";
  }
}
