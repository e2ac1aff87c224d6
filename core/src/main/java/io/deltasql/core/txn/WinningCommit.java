package io.deltasql.core.txn;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.CommitInfo;
import java.util.List;
import java.util.Optional;

/**
 * One version of a table committed by another writer after this transaction read the
 * table: its number and its actions, as the catalog recorded them.
 *
 * @param version the version the other writer committed
 * @param actions its actions, in commit order
 */
record WinningCommit(long version, List<Action> actions) {
  WinningCommit {
    actions = List.copyOf(actions);
  }

  /** The commitInfo of the version, if it has one. */
  Optional<CommitInfo> commitInfo() {
    for (Action a : actions) {
      if (a instanceof CommitInfo info) {
        return Optional.of(info);
      }
    }
    return Optional.empty();
  }

  /** The transaction id the committer recorded in its commitInfo ({@code txnId}), if any. */
  Optional<String> txnId() {
    return commitInfo().map(c -> c.values().get(CommitInfo.TXN_ID)).filter(JsonNode::isTextual).map(JsonNode::asText);
  }

  /** How the version is named in messages: its number, operation and transaction. */
  String describe() {
    Optional<CommitInfo> info = commitInfo();
    return "version " + version + info.flatMap(CommitInfo::operation).map(op -> " (" + op + ")").orElse("")
        + txnId().map(id -> " of transaction " + id).orElse("");
  }
}
