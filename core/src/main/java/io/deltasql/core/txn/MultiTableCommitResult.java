package io.deltasql.core.txn;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The outcome of a committed multi-table transaction.
 *
 * @param transactionId the transaction's id, shared by every table's commit
 * @param tables one result per table written, in canonical (key) order; empty for a
 *     transaction that wrote nothing
 * @param retries how many times the commit was rebased or retried after losing a race
 * @param duration how long the commit took, locks and mirroring included
 */
public record MultiTableCommitResult(UUID transactionId, List<TableCommitResult> tables, int retries,
    Duration duration) {
  public MultiTableCommitResult {
    Objects.requireNonNull(transactionId, "transactionId");
    tables = List.copyOf(tables);
    Objects.requireNonNull(duration, "duration");
  }

  /** The result of one table, by key. */
  public Optional<TableCommitResult> table(String key) {
    return tables.stream().filter(t -> t.table().equals(key)).findFirst();
  }

  /** The version committed to a table, by key. */
  public Optional<Long> version(String key) {
    return table(key).map(TableCommitResult::version);
  }

  /** Whether every table's commit was already in the catalog (a retried commit). */
  public boolean alreadyCommitted() {
    return !tables.isEmpty() && tables.stream().allMatch(TableCommitResult::alreadyCommitted);
  }
}
