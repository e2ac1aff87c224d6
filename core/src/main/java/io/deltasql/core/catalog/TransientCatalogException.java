package io.deltasql.core.catalog;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.sql.SQLException;

/**
 * The catalog database reported a transient conflict ({@code 40001}, {@code 40P01} or
 * {@code 23505}): {@link CatalogStore#inTransaction} runs the whole catalog transaction
 * again, and only reports it when every attempt failed. Not to be confused with a lost
 * compare-and-set of a table's version, which is a plain {@link DeltaException} with
 * {@link SqlState#SERIALIZATION_FAILURE} for the caller to rebase.
 */
final class TransientCatalogException extends DeltaException {
  private static final long serialVersionUID = 1L;

  TransientCatalogException(SqlState state, String message, SQLException cause) {
    super(state, message, cause);
  }
}
