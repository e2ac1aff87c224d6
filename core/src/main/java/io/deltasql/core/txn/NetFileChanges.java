package io.deltasql.core.txn;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.RemoveFile;
import java.util.List;

/**
 * The file actions a table's commit writes once the transaction's own cancellations are
 * taken out (a file added by one statement and removed by a later one appears in
 * neither list). Removes are written before adds. These lists are also what a statement
 * of the same transaction sees as its own writes: the table at the read version, minus
 * {@code removes}, plus {@code adds}.
 *
 * @param adds the adds that remain, in staging order
 * @param removes the removes of files that existed before the transaction, in staging order
 */
public record NetFileChanges(List<AddFile> adds, List<RemoveFile> removes) {
  public NetFileChanges {
    adds = immutable(adds, "adds");
    removes = immutable(removes, "removes");
  }

  /** Staged views are immutable already (and may be large): kept; other lists are copied. */
  private static <T> List<T> immutable(List<T> list, String what) {
    Checks.notNull(list, what);
    return list instanceof AppendOnlyList.View<T> ? list : List.copyOf(Checks.noNulls(list, what));
  }
}
