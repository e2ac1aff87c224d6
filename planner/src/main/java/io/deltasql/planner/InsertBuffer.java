package io.deltasql.planner;

import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.txn.MultiTableTransaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rows of a JDBC batch's {@code INSERT … VALUES} parameter sets, held until the batch ends
 * ({@link DeltaSession#bufferInserts}) so that they go to one data file per table (and
 * partition) instead of one file per parameter set. Rows are converted to the table's types as
 * each set executes, so a bad value still fails its own set. One connection's; not thread-safe.
 */
final class InsertBuffer {
  /** Rows of one table above which they are written at once (a bound on a long batch's heap). */
  static final int FLUSH_ROWS = 100_000;

  private final List<Pending> tables = new ArrayList<>();

  /** The rows of one table, staged in {@code tx} on top of the version {@code readVersion}. */
  static final class Pending {
    final TableInfo info;
    final MultiTableTransaction tx;
    final long readVersion;
    final Snapshot snapshot;
    final List<Object[]> rows = new ArrayList<>();

    Pending(TableInfo info, MultiTableTransaction tx, long readVersion, Snapshot snapshot) {
      this.info = info;
      this.tx = tx;
      this.readVersion = readVersion;
      this.snapshot = snapshot;
    }
  }

  /** The pending rows of the table in {@code tx}, started from this set's read if it is the first. */
  Pending pending(TableInfo info, MultiTableTransaction tx, long readVersion, Snapshot snapshot) {
    for (Pending pending : tables) {
      if (pending.tx == tx && pending.info.tableId() == info.tableId()) {
        return pending;
      }
    }
    Pending pending = new Pending(info, tx, readVersion, snapshot);
    tables.add(pending);
    return pending;
  }

  /** What is pending, and forgets it. */
  Collection<Pending> drain() {
    List<Pending> all = new ArrayList<>(tables);
    tables.clear();
    return all;
  }
}
