package io.deltasql.core.txn;

import io.deltasql.core.errors.DeltaException;
import java.util.Collection;

/** Argument checks of this package's public API: misuse is a {@link DeltaException}, never an NPE. */
final class Checks {
  private Checks() {}

  /** {@code value}, or {@code 22023} naming {@code what} when it is null. */
  static <T> T notNull(T value, String what) {
    if (value == null) {
      throw TxnErrors.nullArgument(what);
    }
    return value;
  }

  /** {@code collection}, or {@code 22023} when it or one of its elements is null. */
  static <C extends Collection<?>> C noNulls(C collection, String what) {
    notNull(collection, what);
    for (Object element : collection) {
      if (element == null) {
        throw TxnErrors.nullArgument("an element of " + what);
      }
    }
    return collection;
  }

  /** A table identifier: not null and not blank. */
  static String tableName(String table) {
    notNull(table, "table");
    if (table.isBlank()) {
      throw TxnErrors.invalidArgument("the table name is blank; give the table's catalog identifier");
    }
    return table;
  }
}
