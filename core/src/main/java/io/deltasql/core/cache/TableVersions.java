package io.deltasql.core.cache;

import io.deltasql.core.table.Snapshot;
import java.util.Optional;
import java.util.OptionalLong;

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
  private static final TableVersions EMPTY = new TableVersions(new Slot[0]);

  /** A cached snapshot and what it adds to the weight of its table. */
  private record Slot(Snapshot snapshot, long weight, boolean readWhole) {
    long version() {
      return snapshot.version();
    }
  }

  /**
   * By version, oldest first. An array rather than a sorted map: a commit adds its version
   * at the end and drops the oldest, one array copy of at most {@code maximumVersions}
   * references (a {@code TreeMap} copy allocated an entry per version on every commit).
   */
  private final Slot[] slots;
  private final int weight;

  private TableVersions(Slot[] slots) {
    this.slots = slots;
    this.weight = (int) Math.min(Integer.MAX_VALUE, weigh(slots));
  }

  static TableVersions empty() {
    return EMPTY;
  }

  /** The snapshot at {@code version}, if cached. */
  Snapshot get(long version) {
    int at = indexOf(version);
    return at < 0 ? null : slots[at].snapshot();
  }

  /** The newest cached version, if any. */
  OptionalLong newest() {
    return slots.length == 0 ? OptionalLong.empty() : OptionalLong.of(slots[slots.length - 1].version());
  }

  /** The newest cached snapshot older than {@code version}. */
  Optional<Snapshot> newestBefore(long version) {
    int at = indexOf(version);
    int before = (at < 0 ? -at - 1 : at) - 1;
    return before < 0 ? Optional.empty() : Optional.of(slots[before].snapshot());
  }

  /**
   * These versions and {@code snapshot}, keeping at most {@code maximumVersions} (the oldest
   * others are dropped first; {@code snapshot} is always kept).
   *
   * @param changes the actions applied to a cached snapshot to build {@code snapshot}, or
   *     empty when it was read whole
   */
  TableVersions with(Snapshot snapshot, Optional<Integer> changes, int maximumVersions) {
    Slot added = new Slot(snapshot, changes.map(c -> c + 1L).orElse(snapshot.files().size() + 1L),
        changes.isEmpty());
    int at = indexOf(snapshot.version());
    boolean replaces = at >= 0;
    int insertAt = replaces ? at : -at - 1;
    int size = slots.length + (replaces ? 0 : 1);
    int drop = Math.min(Math.max(0, size - maximumVersions), size - 1);
    Slot[] next = new Slot[size - drop];
    int out = 0;
    int from = 0;
    for (int i = 0; i < size; i++) {
      Slot s;
      if (i == insertAt) {
        s = added;
        from += replaces ? 1 : 0;
      } else {
        s = slots[from++];
      }
      if (s != added && drop > 0) {
        drop--;
      } else {
        next[out++] = s;
      }
    }
    return new TableVersions(next);
  }

  /** Caffeine's weight of this entry; see the class comment. */
  int weight() {
    return weight;
  }

  /** How many versions are cached. */
  int size() {
    return slots.length;
  }

  /** The index of {@code version} in {@link #slots}, or {@code -(insertion point) - 1}. */
  private int indexOf(long version) {
    int low = 0;
    int high = slots.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long v = slots[mid].version();
      if (v < version) {
        low = mid + 1;
      } else if (v > version) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }

  private static long weigh(Slot[] slots) {
    long sum = 0;
    boolean anyReadWhole = false;
    for (Slot s : slots) {
      sum += s.weight();
      anyReadWhole |= s.readWhole();
    }
    if (!anyReadWhole && slots.length > 0) {
      sum += slots[slots.length - 1].snapshot().files().size();
    }
    return sum;
  }
}
