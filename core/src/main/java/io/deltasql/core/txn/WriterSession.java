package io.deltasql.core.txn;

import io.deltasql.core.txn.lock.LockOwner;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the writer keeps about one live transaction besides the transaction itself: its lock
 * owner, which catalog table each key it touched is bound to, which tables it read through
 * the writer, the tables it creates, and (above READ COMMITTED) the catalog cut its reads
 * are pinned to.
 */
final class WriterSession {
  private final MultiTableTransaction tx;
  private final LockOwner owner;
  private final Map<String, TableRef> bound = new HashMap<>();
  private final Set<String> read = new HashSet<>();
  private final Map<String, NewTable> created = new HashMap<>();
  private Optional<Map<Long, Long>> cut = Optional.empty();

  WriterSession(MultiTableTransaction tx) {
    this.tx = tx;
    this.owner = LockOwner.start(tx.id(), tx.priority());
  }

  MultiTableTransaction transaction() {
    return tx;
  }

  LockOwner owner() {
    return owner;
  }

  /**
   * Binds a key to a catalog table on first use; a later binding of the same key to
   * another table (dropped and re-created meanwhile) is refused.
   */
  synchronized void bind(TableRef ref) {
    TableRef previous = bound.putIfAbsent(ref.key(), ref);
    if (previous != null && previous.tableId() != ref.tableId()) {
      throw WriterErrors.tableReplaced(tx.id(), previous, ref);
    }
  }

  synchronized Map<String, TableRef> bound() {
    return Map.copyOf(bound);
  }

  synchronized Optional<TableRef> boundTable(String key) {
    return Optional.ofNullable(bound.get(key));
  }

  synchronized void markRead(String key) {
    read.add(key);
  }

  /** Whether the transaction read the table's data through the writer. */
  synchronized boolean hasRead(String key) {
    return read.contains(key);
  }

  synchronized void create(NewTable table) {
    created.put(table.key(), table);
  }

  synchronized Optional<NewTable> created(String key) {
    return Optional.ofNullable(created.get(key));
  }

  synchronized Optional<Map<Long, Long>> cut() {
    return cut;
  }

  /** Pins the cut of the first read; later calls keep the first one. */
  synchronized Map<Long, Long> pinCut(Map<Long, Long> versions) {
    if (cut.isEmpty()) {
      cut = Optional.of(Map.copyOf(versions));
    }
    return cut.get();
  }

  /** Where a table's files live, if known (bound or created). */
  synchronized Optional<String> location(String key) {
    TableRef ref = bound.get(key);
    if (ref != null) {
      return Optional.of(ref.location());
    }
    return Optional.ofNullable(created.get(key)).map(NewTable::location);
  }
}
