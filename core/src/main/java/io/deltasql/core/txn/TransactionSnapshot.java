package io.deltasql.core.txn;

import io.deltasql.core.table.Snapshot;
import java.util.Objects;

/**
 * A table as one statement of a transaction sees it: the committed snapshot it read (the
 * pinned version under REPEATABLE READ and SERIALIZABLE, the statement's cut under READ
 * COMMITTED) with the transaction's own staged changes applied, so that a transaction
 * reads its own writes.
 *
 * @param table the table's key ({@code schema.table})
 * @param readVersion the committed version read ({@link TableActions#NEW_TABLE} for a table
 *     the transaction creates); statements that write the table stage at this version
 * @param snapshot what the statement sees: {@code readVersion}'s files minus the staged
 *     removes plus the staged adds, and the staged protocol and metadata if any; its
 *     {@link Snapshot#version()} is {@code readVersion}
 * @param includesOwnWrites whether staged changes were applied
 */
public record TransactionSnapshot(String table, long readVersion, Snapshot snapshot, boolean includesOwnWrites) {
  public TransactionSnapshot {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(snapshot, "snapshot");
  }
}
