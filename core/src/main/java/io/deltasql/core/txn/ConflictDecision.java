package io.deltasql.core.txn;

/** What the conflict check decided for one table whose version moved since the transaction read it. */
sealed interface ConflictDecision {

  /** The table the decision is about. */
  String table();

  /** Nothing the other commits did conflicts: move the transaction's read of the table to {@code version}. */
  record Rebase(String table, long version) implements ConflictDecision {}

  /** One of the newer versions is this very transaction's commit (a retried commit): it is already done. */
  record AlreadyCommitted(String table, long version) implements ConflictDecision {}

  /**
   * A newer version conflicts with what the transaction read or writes.
   *
   * @param readVersion the version the transaction read
   * @param conflictingVersion the first version that conflicts
   * @param reason what it did that conflicts, in words, starting with what was committed
   */
  record Conflict(String table, long readVersion, long conflictingVersion, String reason) implements ConflictDecision {
    /** The conflict in one sentence naming the table and both versions. */
    String describe() {
      return "table '" + table + "' was read at version " + readVersion + ", and " + reason;
    }
  }
}
