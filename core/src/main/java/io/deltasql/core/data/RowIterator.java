package io.deltasql.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Rows read from storage, one at a time. Holds files open until exhausted or closed: use
 * try-with-resources. Failures are {@link io.deltasql.core.errors.DeltaException}s.
 */
public interface RowIterator extends Iterator<Object[]>, AutoCloseable {

  @Override
  void close();

  /** Reads every remaining row into a list, then closes. */
  default List<Object[]> toList() {
    try (this) {
      List<Object[]> rows = new ArrayList<>();
      forEachRemaining(rows::add);
      return rows;
    }
  }

  /** No rows. */
  static RowIterator empty() {
    return of(Collections.emptyIterator());
  }

  /** The rows of an in-memory iterator; closing does nothing. */
  static RowIterator of(Iterator<Object[]> rows) {
    return new RowIterator() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Object[] next() {
        if (!rows.hasNext()) {
          throw new NoSuchElementException();
        }
        return rows.next();
      }

      @Override
      public void close() {}
    };
  }
}
