package io.deltasql.core.txn;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;

/**
 * A commit refused because its transaction id is already recorded in the catalog for some
 * of its tables: the data files it names may belong to that recorded commit, so a rollback
 * must keep them.
 */
final class AlreadyRecordedException extends DeltaException {
  private static final long serialVersionUID = 1L;

  AlreadyRecordedException(SqlState state, String message) {
    super(state, message);
  }
}
