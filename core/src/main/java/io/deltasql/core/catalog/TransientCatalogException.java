package io.deltasql.core.catalog;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.sql.SQLException;

/**
 * A conflict that a fresh catalog transaction resolves: {@link CatalogStore#inTransaction}
 * runs the whole transaction again, and only reports it when every attempt failed.
 *
 * <p>Two causes: the catalog database reported a transient conflict ({@code 40001},
 * {@code 40P01} or {@code 23505}); or a table's compare-and-set failed after the checks
 * before it had passed, so a concurrent commit landed in between. Only a new transaction
 * can tell whether that commit was a copy of this one (then the retry returns its recorded
 * result) or another writer's (then the retry reports the lost race as a plain
 * {@link DeltaException} with {@link SqlState#SERIALIZATION_FAILURE}, for the caller to
 * rebase): H2 ends a row-lock wait when the winner is marked committed, slightly before
 * the winner's rows are visible to the waiter's next statement.
 */
final class TransientCatalogException extends DeltaException {
  private static final long serialVersionUID = 1L;

  TransientCatalogException(SqlState state, String message, SQLException cause) {
    super(state, message, cause);
  }

  TransientCatalogException(SqlState state, String message) {
    super(state, message);
  }
}
