package io.deltasql.planner;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.data.DataFileReader;
import io.deltasql.core.data.DataFileWriter;
import io.deltasql.core.data.RowIterator;
import io.deltasql.core.data.WriteOptions;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.TableActionsBuilder;
import io.deltasql.core.txn.TransactionSnapshot;
import io.deltasql.core.txn.lock.LockMode;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of DML statements: each stages its actions in the statement's transaction (see
 * {@link DeltaSession}), which commits at once in auto-commit.
 *
 * <ul>
 *   <li>{@code INSERT}: the rows, converted to the table's types, are written to new Parquet
 *       files (partitioned by the table's partition columns) and added.
 *   <li>{@code DELETE} and {@code UPDATE} are copy-on-write: a query over the table's
 *       row-tagged variant finds the file and position of every affected row (and the new
 *       values); each affected file is read again from the same snapshot and rewritten without
 *       the deleted rows or with the updated values, and the old file is removed. Files without
 *       affected rows are not touched.
 * </ul>
 */
public final class DeltaDml {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaDml.class);

  private DeltaDml() {}

  /** {@code INSERT}: called by the code Calcite generates for {@link DeltaTableModify}. */
  public static Enumerable<Long> insert(DataContext root, long tableId, Enumerable<Object[]> rows) {
    return insert(root, tableId, rows, false);
  }

  /**
   * {@code INSERT}; {@code literal}: the rows come from a {@code VALUES} list (with parameters)
   * and read no table, so while a JDBC batch buffers inserts ({@link DeltaSession#bufferInserts})
   * they are converted now and written with the batch's other rows when it ends, one file
   * instead of one per parameter set.
   */
  public static Enumerable<Long> insert(DataContext root, long tableId, Enumerable<Object[]> rows, boolean literal) {
    DeltaSession session = Sessions.of(root);
    MultiTableWriter writer = session.writer();
    TableInfo info = table(session, tableId);
    session.requireWritable("INSERT INTO " + info.qualifiedName(), info);
    MultiTableTransaction tx = session.transactionFor(root);
    String key = info.qualifiedName();
    writer.lock(tx, key, LockMode.EXCLUSIVE);
    TransactionSnapshot read = writer.snapshotFor(tx, tableId);
    Snapshot snapshot = read.snapshot();
    StructType schema = writer.cache().schemaOf(snapshot.metadata());
    long[] count = {0};
    Iterable<Object[]> converted = () -> new Iterator<>() {
      private final Enumerator<Object[]> source = rows.enumerator();
      private Boolean ready;

      @Override
      public boolean hasNext() {
        if (ready == null) {
          ready = source.moveNext();
          if (!ready) {
            source.close();
          }
        }
        return ready;
      }

      @Override
      public Object[] next() {
        hasNext();
        ready = null;
        count[0]++;
        return toDelta(schema, source.current());
      }
    };
    InsertBuffer buffer = literal ? session.insertBuffer(tx) : null;
    if (buffer != null) {
      InsertBuffer.Pending pending = buffer.pending(info, tx, read.readVersion(), snapshot);
      converted.forEach(pending.rows::add);
      if (pending.rows.size() >= InsertBuffer.FLUSH_ROWS) {
        write(session, List.of(pending));
        pending.rows.clear();
      }
      LOG.debug("insert buffered txnId={} table={} rows={}", tx.id(), key, count[0]);
      return Linq4j.singletonEnumerable(count[0]);
    }
    List<AddFile> adds = fileWriter(session, info, snapshot).write(converted);
    stageAppend(tx, key, read.readVersion(), adds);
    session.statementWritten(tx);
    LOG.debug("insert staged txnId={} table={} rows={} files={}", tx.id(), key, count[0], adds.size());
    return Linq4j.singletonEnumerable(count[0]);
  }

  /** Writes the rows of a batch's buffered inserts and stages them in their transactions. */
  static void write(DeltaSession session, Iterable<InsertBuffer.Pending> buffered) {
    for (InsertBuffer.Pending pending : buffered) {
      if (pending.rows.isEmpty()) {
        continue;
      }
      List<AddFile> adds = fileWriter(session, pending.info, pending.snapshot).write(pending.rows);
      stageAppend(pending.tx, pending.info.qualifiedName(), pending.readVersion, adds);
      LOG.debug("buffered inserts staged txnId={} table={} rows={} files={}", pending.tx.id(),
          pending.info.qualifiedName(), pending.rows.size(), adds.size());
    }
  }

  private static void stageAppend(MultiTableTransaction tx, String key, long readVersion, List<AddFile> adds) {
    if (!adds.isEmpty()) {
      tx.stageActions(new TableActionsBuilder(key, readVersion).addFiles(adds)
          .withOperation("WRITE", Map.of("mode", "Append")).build());
    }
  }

  /**
   * {@code DELETE}: {@code hits} finds the (file, position) of every row to delete.
   *
   * @return the number of rows deleted
   */
  static long delete(DmlContext dml, long tableId, Supplier<Enumerable<Object[]>> hits) {
    return rewrite(dml, tableId, hits, "DELETE", null);
  }

  /**
   * {@code UPDATE}: {@code hits} finds (file, position, new value, ...) of every row to change;
   * {@code columns} the positions in the table of the columns set, in the same order.
   *
   * @return the number of rows updated
   */
  static long update(DmlContext dml, long tableId, Supplier<Enumerable<Object[]>> hits, int[] columns) {
    return rewrite(dml, tableId, hits, "UPDATE", columns);
  }

  /**
   * The table's lock is taken before {@code hits} reads it: a statement that waited for the
   * lock then finds its rows in what the holder committed (at READ COMMITTED; a transaction
   * whose snapshot is pinned fails to commit with {@code 40001} instead).
   */
  private static long rewrite(DmlContext dml, long tableId, Supplier<Enumerable<Object[]>> hits, String operation,
      int[] columns) {
    DeltaSession session = Sessions.of(dml);
    MultiTableWriter writer = session.writer();
    TableInfo info = table(session, tableId);
    String key = info.qualifiedName();
    session.requireWritable(operation + " " + key, info);
    MultiTableTransaction tx = session.transactionFor(dml);
    writer.lock(tx, key, LockMode.EXCLUSIVE);
    // Positions of the affected rows per file (and their new values, for UPDATE).
    Map<String, Map<Long, Object[]>> byFile = new TreeMap<>();
    long count = 0;
    try (Enumerator<Object[]> e = hits.get().enumerator()) {
      while (e.moveNext()) {
        Object[] hit = e.current();
        Object previous = byFile.computeIfAbsent((String) hit[0], f -> new HashMap<>()).put((Long) hit[1], hit);
        if (previous != null) {
          throw new DeltaException(SqlState.CARDINALITY_VIOLATION, operation + " of " + key
              + " would change one row more than once (file " + hit[0] + ", row " + hit[1] + ")");
        }
        count++;
      }
    }
    Snapshot snapshot = dml.snapshot(tableId).orElseGet(() -> writer.snapshotFor(tx, tableId).snapshot());
    if (byFile.isEmpty()) {
      session.statementWritten(tx);
      return 0;
    }
    StructType schema = writer.cache().schemaOf(snapshot.metadata());
    Map<String, AddFile> files = new HashMap<>();
    snapshot.activeFiles().forEach(f -> files.put(f.path(), f));
    DataFileReader reader = DataFileReader.of(session.runtime().storage(), info.location(), snapshot.metadata());
    DataFileWriter fileWriter = fileWriter(session, info, snapshot);
    long now = System.currentTimeMillis();
    List<RemoveFile> removes = new ArrayList<>();
    List<AddFile> adds = new ArrayList<>();
    for (Map.Entry<String, Map<Long, Object[]>> entry : byFile.entrySet()) {
      AddFile old = files.get(entry.getKey());
      if (old == null) {
        throw new DeltaException(SqlState.SERIALIZATION_FAILURE, "File " + entry.getKey() + " of table " + key
            + " is no longer in the version the statement read; run it again");
      }
      Map<Long, Object[]> affected = entry.getValue();
      List<Object[]> kept = new ArrayList<>();
      long position = 0;
      try (RowIterator rows = reader.read(old)) {
        while (rows.hasNext()) {
          Object[] row = rows.next();
          Object[] hit = affected.get(position++);
          if (hit == null) {
            kept.add(row);
          } else if (columns != null) {
            Object[] changed = row.clone();
            for (int i = 0; i < columns.length; i++) {
              StructField field = schema.fields().get(columns[i]);
              changed[columns[i]] = SqlValues.toDelta(field.type(), hit[2 + i], field.name());
            }
            kept.add(changed);
          }
        }
      }
      removes.add(old.toRemove(now, true));
      adds.addAll(fileWriter.write(kept));
    }
    tx.stageActions(new TableActionsBuilder(key, snapshot.version()).removeFiles(removes).addFiles(adds)
        .withOperation(operation).readsTable(true).build());
    session.statementWritten(tx);
    LOG.debug("{} staged txnId={} table={} rows={} filesRemoved={} filesAdded={}", operation, tx.id(), key, count,
        removes.size(), adds.size());
    return count;
  }

  static DataFileWriter fileWriter(DeltaSession session, TableInfo info, Snapshot snapshot) {
    return DataFileWriter.of(session.runtime().storage(), info.location(), snapshot.metadata(), WriteOptions.DEFAULTS);
  }

  static Object[] toDelta(StructType schema, Object[] row) {
    Object[] out = new Object[schema.fields().size()];
    for (int i = 0; i < out.length; i++) {
      StructField field = schema.fields().get(i);
      out[i] = SqlValues.toDelta(field.type(), row[i], field.name());
    }
    return out;
  }

  private static TableInfo table(DeltaSession session, long tableId) {
    return session.runtime().catalog().findTable(tableId).orElseThrow(() ->
        new DeltaException(SqlState.UNDEFINED_TABLE, "Table " + tableId + " was dropped while the statement ran"));
  }
}
