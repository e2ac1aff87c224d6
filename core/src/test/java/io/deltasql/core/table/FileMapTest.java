package io.deltasql.core.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The persistent file map against a plain {@link LinkedHashMap} replay: random sequences of
 * adds and removes (with deletion vectors, and paths whose hashes collide), every built map
 * equal to the replay and unchanged by later edits; snapshots advanced through random commits
 * equal to a fresh replay of the whole log.
 */
class FileMapTest {
  private static final Protocol PROTOCOL = new Protocol(3, 7);
  private static final Metadata METADATA = new Metadata("id", Optional.empty(), Optional.empty(), Format.PARQUET,
      "{\"type\":\"struct\",\"fields\":[]}", List.of(), Map.of(), Optional.empty());

  /** Path number {@code i} of a pool; in the colliding pool many paths share one String hash ("Aa" and "BB"). */
  private static String path(int i, boolean colliding) {
    if (!colliding) {
      return "part-" + i + ".parquet";
    }
    StringBuilder b = new StringBuilder("c/");
    for (int bit = 0; bit < 6; bit++) {
      b.append((i >> bit & 1) == 0 ? "Aa" : "BB");
    }
    return b.append(i >> 6).toString();
  }

  private static AddFile file(Random random, int pool, boolean colliding) {
    int i = random.nextInt(pool);
    Optional<DeletionVectorDescriptor> dv = random.nextInt(5) == 0
        ? Optional.of(new DeletionVectorDescriptor("u", "dv" + random.nextInt(3), Optional.of(1), 40, 2))
        : Optional.empty();
    return new AddFile(path(i, colliding), Map.of(), random.nextInt(1000), 7, random.nextBoolean(),
        Optional.of("{\"numRecords\":" + random.nextInt(10) + "}"), Map.of(), dv, Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  private static void assertSameAs(Map<FileKey, AddFile> expected, FileMap actual) {
    assertEquals(expected.size(), actual.size());
    assertEquals(expected, actual);
    assertEquals(actual, expected);
    assertEquals(expected.hashCode(), actual.hashCode());
    assertEquals(new HashSet<>(expected.values()), new HashSet<>(actual.values()));
    assertEquals(expected.keySet(), actual.keySet());
    for (Map.Entry<FileKey, AddFile> e : expected.entrySet()) {
      assertEquals(e.getValue(), actual.get(e.getKey()));
      assertTrue(actual.containsKey(e.getKey()));
    }
    int iterated = 0;
    for (AddFile add : actual.values()) {
      assertFalse(add.dataChange());
      iterated++;
    }
    assertEquals(expected.size(), iterated);
  }

  @Property(tries = 150)
  void randomEditsEqualAPlainReplay(@ForAll long seed) {
    Random random = new Random(seed);
    boolean colliding = random.nextBoolean();
    int pool = 1 + random.nextInt(random.nextBoolean() ? 40 : 3000);
    Map<FileKey, AddFile> expected = new LinkedHashMap<>();
    FileMap.Builder builder = FileMap.builder();
    List<FileMap> built = new ArrayList<>();
    List<Map<FileKey, AddFile>> expectedBuilt = new ArrayList<>();
    int steps = random.nextInt(4000);
    for (int step = 0; step < steps; step++) {
      AddFile add = file(random, pool, colliding);
      if (random.nextInt(3) == 0) {
        builder.remove(add.fileKey());
        expected.remove(add.fileKey());
      } else {
        builder.put(add);
        expected.put(add.fileKey(), add.withDataChange(false));
      }
      assertEquals(expected.size(), builder.size());
      if (random.nextInt(200) == 0) {
        built.add(builder.build());
        expectedBuilt.add(new LinkedHashMap<>(expected));
        if (random.nextBoolean()) {
          builder = FileMap.builder(built.get(built.size() - 1));
        }
      }
    }
    FileMap last = builder.build();
    assertSameAs(expected, last);
    for (int i = 0; i < built.size(); i++) {
      assertSameAs(expectedBuilt.get(i), built.get(i)); // later edits left it as it was
    }
    assertEquals(last, FileMap.copyOf(new HashMap<>(expected)));
  }

  @Property(tries = 60)
  void advancedSnapshotsEqualAFreshReplay(@ForAll long seed) {
    Random random = new Random(seed);
    boolean colliding = random.nextBoolean();
    int pool = 1 + random.nextInt(500);
    List<Action> log = new ArrayList<>(List.of(PROTOCOL, METADATA));
    Snapshot snapshot = new SnapshotBuilder().applyAll(log).build(0, 0);
    List<Snapshot> history = new ArrayList<>(List.of(snapshot));
    int commits = 1 + random.nextInt(60);
    for (int v = 1; v <= commits; v++) {
      List<Action> commit = new ArrayList<>();
      int actions = random.nextInt(30);
      for (int a = 0; a < actions; a++) {
        AddFile add = file(random, pool, colliding);
        commit.add(random.nextInt(3) == 0 ? add.toRemove(v, true) : add);
      }
      log.addAll(commit);
      snapshot = new SnapshotBuilder(snapshot).applyAll(commit).build(v, v);
      history.add(snapshot);
      Snapshot fresh = new SnapshotBuilder().applyAll(log).build(v, v);
      assertEquals(fresh, snapshot);
      assertEquals(snapshot, fresh);
      assertEquals(fresh.hashCode(), snapshot.hashCode());
      Map<FileKey, AddFile> plain = new LinkedHashMap<>();
      for (AddFile f : fresh.activeFiles()) {
        plain.put(f.fileKey(), f);
      }
      Snapshot fromPlainMap = new Snapshot(v, v, PROTOCOL, METADATA, plain, Map.of(), Map.of());
      assertEquals(snapshot, fromPlainMap);
      assertEquals(snapshot.hashCode(), fromPlainMap.hashCode());
      assertEquals(new HashSet<>(fresh.activeFiles()), new HashSet<>(snapshot.activeFiles()));
    }
    // every earlier snapshot is still the replay of its prefix
    for (Snapshot s : history) {
      assertEquals(s.files().size(), s.activeFiles().size());
    }
  }

  /**
   * A map made from distinct files equals the trie built from them before and after its first
   * lookup, iterates in the given order, and a builder from it advances like one from the trie.
   */
  @Property(tries = 100)
  void aMapOfDistinctFilesEqualsTheTrieOfTheSameFiles(@ForAll long seed) {
    Random random = new Random(seed);
    boolean colliding = random.nextBoolean();
    int pool = 1 + random.nextInt(random.nextBoolean() ? 40 : 3000);
    Map<FileKey, AddFile> distinct = new LinkedHashMap<>();
    int count = random.nextInt(2 * pool);
    for (int i = 0; i < count; i++) {
      AddFile add = file(random, pool, colliding);
      distinct.put(add.fileKey(), add);
    }
    FileMap trie = FileMap.copyOf(distinct);
    FileMap flat = FileMap.ofDistinct(distinct.values());
    List<AddFile> order = new ArrayList<>();
    for (AddFile add : distinct.values()) {
      order.add(add.withDataChange(false));
    }
    assertEquals(order, new ArrayList<>(flat.values())); // iterated as given, before any lookup
    Map<FileKey, AddFile> expected = new LinkedHashMap<>();
    order.forEach(add -> expected.put(add.fileKey(), add));
    assertSameAs(expected, flat); // looks every file up: builds the trie
    assertEquals(order, new ArrayList<>(flat.values())); // the same order after it
    assertEquals(trie, flat);
    assertEquals(flat, trie);
    assertEquals(trie.hashCode(), flat.hashCode());

    FileMap.Builder fromFlat = FileMap.builder(flat);
    FileMap.Builder fromTrie = FileMap.builder(trie);
    for (int step = random.nextInt(200); step > 0; step--) {
      AddFile add = file(random, pool, colliding);
      if (random.nextBoolean()) {
        fromFlat.remove(add.fileKey());
        fromTrie.remove(add.fileKey());
      } else {
        fromFlat.put(add);
        fromTrie.put(add);
      }
    }
    assertEquals(fromTrie.build(), fromFlat.build());
    assertSameAs(expected, flat); // the builder left the map as it was
  }

  @Test
  void aMapOfFilesWithEqualKeysIsRefusedAtItsFirstLookup() {
    AddFile a = AddFile.of("a", Map.of(), 1, 0, Optional.empty());
    AddFile otherA = AddFile.of("a", Map.of(), 2, 0, Optional.empty());
    FileMap map = FileMap.ofDistinct(List.of(a, otherA));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> map.get(a.fileKey()));
    assertEquals("a file map of 2 files holds 1 with the key of another", e.getMessage());
    assertThrows(IllegalStateException.class, () -> FileMap.builder(map));
    assertSame(FileMap.of(), FileMap.ofDistinct(List.of()));
  }

  @Test
  void anAdvancedSnapshotSharesItsBaseAndLeavesItUnchanged() {
    SnapshotBuilder builder = new SnapshotBuilder().apply(PROTOCOL).apply(METADATA);
    for (int i = 0; i < 10_000; i++) {
      builder.apply(AddFile.of(path(i, false), Map.of(), i, 0, Optional.empty()));
    }
    Snapshot base = builder.build(0, 0);
    AddFile added = AddFile.of("new.parquet", Map.of(), 1, 0, Optional.empty());
    AddFile removed = base.file(new FileKey(path(7, false), Optional.empty())).orElseThrow();
    Snapshot next = new SnapshotBuilder(base).apply(added).apply(removed.toRemove(1, true)).build(1, 1);
    assertEquals(10_000, base.files().size());
    assertTrue(base.file(removed.fileKey()).isPresent());
    assertFalse(base.file(added.fileKey()).isPresent());
    assertEquals(10_000, next.files().size());
    assertFalse(next.file(removed.fileKey()).isPresent());
    assertEquals(added.withDataChange(false), next.file(added.fileKey()).orElseThrow());
    assertNotEquals(base.files(), next.files());
    assertSame(next.files(), new Snapshot(1, 1, PROTOCOL, METADATA, next.files(), Map.of(), Map.of()).files());
  }

  @Test
  void isUnmodifiable() {
    AddFile add = AddFile.of("a", Map.of(), 1, 0, Optional.empty());
    FileMap map = FileMap.builder().put(add).build();
    assertThrows(UnsupportedOperationException.class, () -> map.put(add.fileKey(), add));
    assertThrows(UnsupportedOperationException.class, () -> map.remove(add.fileKey()));
    assertThrows(UnsupportedOperationException.class, map::clear);
    assertThrows(UnsupportedOperationException.class, () -> map.values().iterator().remove());
    assertThrows(UnsupportedOperationException.class, () -> map.entrySet().iterator().next().setValue(add));
    assertNull(map.get("a"));
    assertNull(map.get(new FileKey("b", Optional.empty())));
    assertSame(FileMap.of(), FileMap.builder().put(add).remove(add.fileKey()).build());
    FileMap flat = FileMap.ofDistinct(List.of(add));
    assertThrows(UnsupportedOperationException.class, () -> flat.values().iterator().remove());
    assertThrows(UnsupportedOperationException.class, () -> flat.remove(add.fileKey()));
  }

  @Test
  void refusesAKeyThatIsNotTheFilesOwn() {
    AddFile add = AddFile.of("a", Map.of(), 1, 0, Optional.empty());
    assertThrows(IllegalArgumentException.class,
        () -> FileMap.copyOf(Map.of(new FileKey("b", Optional.empty()), add)));
  }
}
