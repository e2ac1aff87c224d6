package io.deltasql.core.cache;

import io.deltasql.core.table.Snapshot;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The cached snapshots of one table, by version: the value the {@link SnapshotCache} keeps per
 * table. Immutable; {@link #with} returns a new one.
 *
 * <p><b>Why per table.</b> Caffeine's admission policy (W-TinyLFU) compares how often keys are
 * used. With one key per (table, version), each newly advanced version is a key seen once,
 * and once the cache is full it loses against the older versions of the same table: the
 * newest cached version then stays behind and every advance re-reads all the versions since
 * it (measured: 2,691 versions read for 200 advances, docs/benchmarks.md). With one key per
 * table, the frequency that counts is the table's, and the versions of a table are kept
 * or evicted together.
 *
 * <p><b>Weight.</b> Snapshots advanced from one another share all but their changes
 * ({@link io.deltasql.core.table.FileMap} is a persistent map), so a version derived from a
 * cached one weighs its changes (the actions applied) plus one; a version read whole weighs
 * its file count plus one. Once no version read whole is left (the oldest are dropped first),
 * the shared structure is counted once, as the newest version's file count.
 */
final class TableVersions {
  private static final TableVersions EMPTY = new TableVersions(new TreeMap<>());

  /** A cached snapshot and what it adds to the weight of its table. */
  private record Slot(Snapshot snapshot, long weight, boolean readWhole) {}

  private final NavigableMap<Long, Slot> slots;
  private final int weight;

  private TableVersions(NavigableMap<Long, Slot> slots) {
    this.slots = slots;
    this.weight = (int) Math.min(Integer.MAX_VALUE, weigh(slots));
  }

  static TableVersions empty() {
    return EMPTY;
  }

  /** The snapshot at {@code version}, if cached. */
  Snapshot get(long version) {
    Slot s = slots.get(version);
    return s == null ? null : s.snapshot();
  }

  /** The newest cached version, if any. */
  OptionalLong newest() {
    return slots.isEmpty() ? OptionalLong.empty() : OptionalLong.of(slots.lastKey());
  }

  /** The newest cached snapshot older than {@code version}. */
  Optional<Snapshot> newestBefore(long version) {
    Map.Entry<Long, Slot> e = slots.lowerEntry(version);
    return e == null ? Optional.empty() : Optional.of(e.getValue().snapshot());
  }

  /**
   * These versions and {@code snapshot}, keeping at most {@code maximumVersions} (the oldest
   * others are dropped first; {@code snapshot} is always kept).
   *
   * @param changes the actions applied to a cached snapshot to build {@code snapshot}, or
   *     empty when it was read whole
   */
  TableVersions with(Snapshot snapshot, Optional<Integer> changes, int maximumVersions) {
    TreeMap<Long, Slot> next = new TreeMap<>(slots);
    long w = changes.map(c -> c + 1L).orElse(snapshot.files().size() + 1L);
    next.put(snapshot.version(), new Slot(snapshot, w, changes.isEmpty()));
    while (next.size() > maximumVersions) {
      long oldest = next.firstKey() == snapshot.version() ? next.higherKey(snapshot.version()) : next.firstKey();
      next.remove(oldest);
    }
    return new TableVersions(next);
  }

  /** Caffeine's weight of this entry; see the class comment. */
  int weight() {
    return weight;
  }

  /** How many versions are cached. */
  int size() {
    return slots.size();
  }

  private static long weigh(NavigableMap<Long, Slot> slots) {
    long sum = 0;
    boolean anyReadWhole = false;
    for (Slot s : slots.values()) {
      sum += s.weight();
      anyReadWhole |= s.readWhole();
    }
    if (!anyReadWhole && !slots.isEmpty()) {
      sum += slots.lastEntry().getValue().snapshot().files().size();
    }
    return sum;
  }
}
