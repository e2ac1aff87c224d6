package io.deltasql.core.data;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.table.Snapshot;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * All live rows of a table at one {@link Snapshot}: every active file through a
 * {@link DataFileReader}, one file open at a time, files in path order.
 */
public final class TableScanner {
  private final Snapshot snapshot;
  private final DataFileReader reader;

  /**
   * @param tableRoot where the snapshot's table lives (data paths are relative to it)
   */
  public TableScanner(Storage storage, String tableRoot, Snapshot snapshot) {
    this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    this.reader = DataFileReader.of(storage, tableRoot, snapshot.metadata());
  }

  public TableLayout layout() {
    return reader.layout();
  }

  /** Every column of every live row. */
  public RowIterator rows() {
    return rows(reader.layout().schema().fieldNames(), null);
  }

  /**
   * The given columns of the live rows, skipping files and row groups that {@code filter} rules
   * out (the rows returned are a superset of those matching it).
   *
   * @param filter a predicate for skipping, or null
   */
  public RowIterator rows(List<String> columns, Predicate filter) {
    List<String> projection = List.copyOf(columns);
    projection.forEach(reader.layout()::requireIndex);
    Iterator<AddFile> files = snapshot.activeFiles().stream()
        .sorted(Comparator.comparing(AddFile::path)).iterator();
    return new RowIterator() {
      private RowIterator current = RowIterator.empty();

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          current.close();
          if (!files.hasNext()) {
            return false;
          }
          current = reader.read(files.next(), projection, filter);
        }
        return true;
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("no more rows in version " + snapshot.version());
        }
        return current.next();
      }

      @Override
      public void close() {
        current.close();
      }
    };
  }
}
