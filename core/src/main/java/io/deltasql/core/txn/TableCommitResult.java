package io.deltasql.core.txn;

import io.deltasql.core.mirror.MirrorOutcome;
import java.util.Objects;

/**
 * What a multi-table commit did to one table.
 *
 * @param table the table's key ({@code schema.table})
 * @param tableId its catalog id
 * @param readVersion the version the commit was based on, after any rebase ({@code -1} when
 *     the transaction created the table)
 * @param version the version committed
 * @param timestamp the commit's in-commit timestamp (ms)
 * @param alreadyCommitted whether the catalog already held this transaction's commit (a
 *     retried commit): nothing new was written
 * @param mirror what mirroring the table to its {@code _delta_log} achieved; a failed mirror
 *     does not undo the commit
 */
public record TableCommitResult(String table, long tableId, long readVersion, long version, long timestamp,
    boolean alreadyCommitted, MirrorOutcome mirror) {
  public TableCommitResult {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(mirror, "mirror");
  }
}
