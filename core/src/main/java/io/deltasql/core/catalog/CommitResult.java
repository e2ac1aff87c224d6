package io.deltasql.core.catalog;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of a commit.
 *
 * @param tableId the table
 * @param version the committed version
 * @param timestamp the commit timestamp in ms (the in-commit timestamp)
 * @param txnId the transaction id
 * @param alreadyCommitted true when this transaction id was already recorded for the
 *     table: nothing was written, the recorded version is returned
 */
public record CommitResult(long tableId, long version, long timestamp, String txnId, boolean alreadyCommitted) {
  public CommitResult {
    Objects.requireNonNull(txnId, "txnId");
  }

  public Instant commitTime() {
    return Instant.ofEpochMilli(timestamp);
  }
}
