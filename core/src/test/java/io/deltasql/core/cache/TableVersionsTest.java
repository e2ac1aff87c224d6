package io.deltasql.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.table.SnapshotBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link TableVersions} against a model kept in a sorted map: whatever order versions are
 * added in (a commit's next version, an older version read back, the same version again),
 * it holds the newest {@code maximumVersions} others plus the one just added, and weighs
 * them as its class comment says.
 */
class TableVersionsTest {
  private static final Protocol PROTOCOL = new Protocol(1, 2, Set.of(), Set.of());
  private static final Metadata METADATA = new Metadata("6c2b8a0e-0000-4000-8000-000000000009", Optional.of("t"),
      Optional.empty(), Format.PARQUET,
      "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}",
      List.of(), Map.of(), Optional.of(0L));

  /** A snapshot of {@code version} with {@code files} data files. */
  private static Snapshot snapshot(long version, int files) {
    SnapshotBuilder b = new SnapshotBuilder().apply(PROTOCOL).apply(METADATA);
    for (int i = 0; i < files; i++) {
      b.apply(AddFile.of("f-" + version + "-" + i + ".parquet", Map.of(), 10, 1, Optional.empty()));
    }
    return b.build(version, version);
  }

  /** The model: what a slot weighs and whether it was read whole, by version. */
  private record Slot(Snapshot snapshot, long weight, boolean readWhole) {}

  @Property(tries = 300)
  void holdsWhatASortedMapHolds(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 30) Integer> versions,
      @ForAll @Size(max = 40) List<@IntRange(min = -1, max = 4) Integer> changes,
      @ForAll @IntRange(min = 1, max = 6) int maximumVersions) {
    TableVersions actual = TableVersions.empty();
    TreeMap<Long, Slot> model = new TreeMap<>();
    for (int i = 0; i < versions.size(); i++) {
      long version = versions.get(i);
      Optional<Integer> change = i < changes.size() && changes.get(i) >= 0 ? Optional.of(changes.get(i))
          : Optional.empty();
      Snapshot s = snapshot(version, (int) (version % 3));
      actual = actual.with(s, change, maximumVersions);
      model.put(version, new Slot(s, change.map(c -> c + 1L).orElse(s.files().size() + 1L), change.isEmpty()));
      while (model.size() > maximumVersions) {
        model.remove(model.firstKey() == version ? model.higherKey(version) : model.firstKey());
      }
      assertSame(s, actual.get(version), "the version just added is kept");
      assertEquals(model.size(), actual.size());
      assertEquals(model.isEmpty() ? OptionalLong.empty() : OptionalLong.of(model.lastKey()), actual.newest());
      assertEquals(weight(model), actual.weight());
      for (long v = -1; v <= 31; v++) {
        Slot expected = model.get(v);
        assertSame(expected == null ? null : expected.snapshot(), actual.get(v), "version " + v);
        Optional<Snapshot> before = Optional.ofNullable(model.lowerEntry(v)).map(e -> e.getValue().snapshot());
        assertEquals(before.map(Snapshot::version), actual.newestBefore(v).map(Snapshot::version), "before " + v);
      }
    }
  }

  private static int weight(TreeMap<Long, Slot> model) {
    long sum = model.values().stream().mapToLong(Slot::weight).sum();
    if (!model.isEmpty() && model.values().stream().noneMatch(Slot::readWhole)) {
      sum += model.lastEntry().getValue().snapshot().files().size();
    }
    return (int) sum;
  }

  @Test
  void aCommitsNextVersionDropsTheOldest() {
    TableVersions versions = TableVersions.empty();
    for (long v = 0; v < 10; v++) {
      versions = versions.with(snapshot(v, 1), v == 0 ? Optional.empty() : Optional.of(1), 4);
    }
    assertEquals(4, versions.size());
    assertNull(versions.get(5));
    assertEquals(6, versions.newestBefore(7).orElseThrow().version());
    assertEquals(OptionalLong.of(9), versions.newest());
    // four advanced versions of 2 each, plus the shared structure counted once (1 file)
    assertEquals(4 * 2 + 1, versions.weight());
  }
}
