package io.deltasql.core.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link AddFile} as a value: a file whose stats are kept encoded equals, hashes and prints like
 * the same file with its stats as a string, decodes them on each read only, and its maps are
 * unmodifiable copies that files can share.
 */
class AddFileTest {
  private static final String STATS = "{\"numRecords\":3,\"minValues\":{\"s\":\"é\"}}";

  private static AddFile eager(Optional<String> stats) {
    return new AddFile("p=1/a.parquet", Map.of("p", "1"), 10, 20, false, stats, Map.of("k", "v"),
        Optional.of(new DeletionVectorDescriptor("u", "dv", Optional.of(1), 40, 2)), Optional.of(5L),
        Optional.of(6L), Optional.of("liquid"));
  }

  /** The stats at offset 4 of a block, and a count of the block's reads. */
  private static AddFile encoded(AtomicInteger reads) {
    byte[] json = STATS.getBytes(StandardCharsets.UTF_8);
    byte[] block = new byte[json.length + 8];
    System.arraycopy(json, 0, block, 4, json.length);
    EncodedText.ByteBlock bytes = () -> {
      reads.incrementAndGet();
      return block;
    };
    return AddFile.ofEncodedStats("p=1/a.parquet", Map.of("p", "1"), 10, 20, false,
        Optional.of(new EncodedText(bytes, 4, json.length)), Map.of("k", "v"),
        Optional.of(new DeletionVectorDescriptor("u", "dv", Optional.of(1), 40, 2)), Optional.of(5L),
        Optional.of(6L), Optional.of("liquid"));
  }

  @Test
  void aFileWithEncodedStatsIsTheSameValueAsOneWithItsStatsAsAString() {
    AtomicInteger reads = new AtomicInteger();
    AddFile lazy = encoded(reads);
    assertEquals(0, reads.get()); // nothing decoded when it is made
    AddFile plain = eager(Optional.of(STATS));
    assertEquals(plain, lazy);
    assertEquals(lazy, plain);
    assertEquals(plain.hashCode(), lazy.hashCode());
    assertEquals(plain.toString(), lazy.toString());
    assertEquals(Optional.of(STATS), lazy.stats());
    assertNotSame(lazy.stats().orElseThrow(), lazy.stats().orElseThrow()); // decoded on each read, not kept
    assertEquals(plain.withDataChange(true), lazy.withDataChange(true));
    assertEquals(plain.withPath("b"), lazy.withPath("b"));
    assertEquals(plain.toRemove(7, true), lazy.toRemove(7, true));
    assertNotEquals(eager(Optional.empty()), lazy);
    assertNotEquals(eager(Optional.of("{}")), lazy);
  }

  @Test
  void printsLikeARecord() {
    assertEquals("AddFile[path=a, partitionValues={}, size=1, modificationTime=2, dataChange=true, stats=Optional[{}],"
        + " tags={}, deletionVector=Optional.empty, baseRowId=Optional.empty, defaultRowCommitVersion=Optional.empty,"
        + " clusteringProvider=Optional.empty]", AddFile.of("a", Map.of(), 1, 2, Optional.of("{}")).toString());
  }

  @Test
  void encodedTextOutsideItsBlockIsRefusedWhenRead() {
    EncodedText text = new EncodedText(() -> new byte[3], 2, 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, text::decode);
    assertEquals("text at offset 2 of length 2 past the end of a 3-byte block", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new EncodedText(() -> new byte[3], -1, 2));
  }

  @Test
  void mapsAreUnmodifiableCopiesThatFilesCanShare() {
    Map<String, String> values = new HashMap<>();
    values.put("p", "1");
    values.put("q", null);
    AddFile file = new AddFile("a", values, 1, 1, false, Optional.empty(), values, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty());
    values.put("p", "2");
    assertEquals("1", file.partitionValues().get("p"));
    assertEquals(true, file.partitionValues().containsKey("q"));
    assertThrows(UnsupportedOperationException.class, () -> file.partitionValues().put("p", "3"));
    assertThrows(UnsupportedOperationException.class, () -> file.tags().remove("p"));
    assertThrows(UnsupportedOperationException.class,
        () -> file.partitionValues().entrySet().iterator().next().setValue("3"));
    Map<String, String> shared = Maps.copyOf(Map.of("d", "2026-12-03"));
    AddFile first = AddFile.of("a", shared, 1, 1, Optional.empty());
    AddFile second = AddFile.of("b", shared, 1, 1, Optional.empty());
    assertSame(shared, first.partitionValues());
    assertSame(first.partitionValues(), second.partitionValues());
    assertEquals(Map.of("d", "2026-12-03"), first.partitionValues());
  }
}
