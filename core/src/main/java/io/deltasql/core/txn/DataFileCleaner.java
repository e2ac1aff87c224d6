package io.deltasql.core.txn;

import io.deltasql.core.actions.AddFile;
import java.util.List;

/**
 * Deletes the data files a transaction wrote when it rolls back (DESIGN.md: "Rollback
 * discards staged actions and deletes data files written only for them"), and, when it
 * commits, those of adds that a later statement of it removed again (no version refers to
 * them). The writer calls it with such adds of one table; only the caller, who wrote the
 * files, knows which of them are new (an add with {@code dataChange=false} may re-add a file
 * the table already holds) and must delete only those. Failures are logged by the writer and
 * fail neither the rollback nor the commit: an orphan data file is harmless, and VACUUM
 * removes it.
 */
@FunctionalInterface
public interface DataFileCleaner {
  /**
   * Deletes the files of {@code adds} that the transaction wrote.
   *
   * @param table the table's key ({@code schema.table})
   * @param location the table root the paths are relative to
   * @param adds the adds the transaction staged for the table, in staging order
   */
  void deleteUncommitted(String table, String location, List<AddFile> adds);

  /** Deletes nothing. */
  DataFileCleaner NONE = (table, location, adds) -> { };
}
