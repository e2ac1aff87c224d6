package io.deltasql.core.txn;

/**
 * Runs inside the catalog transaction of a commit attempt, after validation passed and just
 * before the tables are committed. It exists for fault injection: a test makes another
 * writer win a table's version there, or fails the attempt, and checks that nothing of the
 * transaction is left in any table. It must be idempotent: the catalog may run an attempt
 * twice.
 */
@FunctionalInterface
interface CommitHook {
  void beforeCatalogCommit(MultiTableTransaction tx, int attempt);

  CommitHook NONE = (tx, attempt) -> { };
}
