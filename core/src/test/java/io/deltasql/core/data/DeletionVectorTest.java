package io.deltasql.core.data;

import static io.deltasql.core.data.TestTables.field;
import static io.deltasql.core.data.TestTables.struct;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.SharedTables;
import io.deltasql.core.types.PrimitiveType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deletion vectors: the protocol's examples, Delta's tables, inline ones, corrupt files. */
class DeletionVectorTest {
  @TempDir
  Path dir;

  @Test
  void protocolExampleOfARelativePathWithRandomPrefix() {
    DeletionVectorLoader loader = new DeletionVectorLoader(LocalStorage.INSTANCE, "/t");
    DeletionVectorDescriptor dv = new DeletionVectorDescriptor("u", "ab^-aqEH.-t@S}K{vb[*k^",
        Optional.of(4), 40, 6);
    assertEquals("/t/ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin",
        loader.path(dv, "f.parquet"));
    assertEquals("^-aqEH.-t@S}K{vb[*k^",
        Z85.encodeUuid(UUID.fromString("d2c639aa-8816-431a-aaf6-d3fe2512ff61")));
  }

  /**
   * PROTOCOL.md's inline example holds Delta's native format, but with its three header
   * integers (magic number, bitmap count, bitmap size) big-endian, which neither Delta Spark
   * nor Delta Kernel reads (both read little-endian). Its rows come out once the header is
   * little-endian; as printed, it is refused as corrupt.
   */
  @Test
  void protocolExampleOfAnInlineDeletionVector() {
    String example = "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L";
    DeletionVectorLoader loader = new DeletionVectorLoader(LocalStorage.INSTANCE, "/t");
    DeltaException asPrinted = assertThrows(DeltaException.class, () -> loader.load(
        new DeletionVectorDescriptor("i", example, Optional.empty(), 40, 6), "f.parquet"));
    assertEquals(SqlState.INDEX_CORRUPTED, asPrinted.state());

    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(Z85.decode(example, 40));
    int magic = bytes.getInt();
    int count = bytes.getInt();
    int size = bytes.getInt();
    bytes.order(java.nio.ByteOrder.LITTLE_ENDIAN).position(0);
    bytes.putInt(magic).putInt(count).putInt(size);
    assertEquals(DeletionVector.NATIVE_MAGIC, magic);
    DeletionVectorDescriptor littleEndian = new DeletionVectorDescriptor("i",
        Z85.encode(bytes.array()), Optional.empty(), 40, 6);
    DeletionVector vector = loader.load(littleEndian, "f.parquet");
    assertArrayEquals(new long[] {3, 4, 7, 11, 18, 29}, vector.toArray());
    assertEquals(vector, DeletionVector.parse(vector.serialize(), "again"));
  }

  @Test
  void largeAndSparseRowIndexesRoundTrip() {
    long[] rows = LongStream.concat(LongStream.range(0, 100_000).filter(i -> i % 3 == 0),
        LongStream.of(1L << 33, (1L << 40) + 7, Long.MAX_VALUE)).toArray();
    DeletionVector vector = DeletionVector.of(rows);
    DeletionVectorDescriptor inline = vector.toInlineDescriptor();
    DeletionVector loaded = new DeletionVectorLoader(LocalStorage.INSTANCE, "/t")
        .load(inline, "f.parquet");
    assertArrayEquals(rows, loaded.toArray());
    assertTrue(loaded.contains(1L << 33) && !loaded.contains(1));
  }

  /** Live rows are the file's records less the deleted ones, for every table with DVs. */
  @ParameterizedTest
  @ValueSource(strings = {"basic-dv-no-checkpoint", "dv-partitioned-with-checkpoint",
      "log-replay-dv-key-cases", "cdf-table-with-cdc-and-dvs"})
  void deltaTablesWithDeletionVectors(String table) {
    String root = SharedTables.table(table).toString();
    Snapshot snapshot = DeltaLog.open(LocalStorage.INSTANCE, root).snapshot();
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, root, snapshot.metadata());
    int withDv = 0;
    for (AddFile file : snapshot.activeFiles()) {
      long records = FileStatsJson.parse(file.stats(), file.path()).numRecords().orElseThrow();
      long deleted = file.deletionVector().map(DeletionVectorDescriptor::cardinality).orElse(0L);
      withDv += file.deletionVector().isPresent() ? 1 : 0;
      assertEquals(records - deleted, reader.read(file, List.of()).toList().size(), file.path());
    }
    assertTrue(withDv > 0, "the table has files with deletion vectors");
  }

  private static final Metadata TEN_IDS = TestTables.metadata(
      struct(field("id", PrimitiveType.LONG)), List.of());

  private AddFile tenRows() {
    List<Object[]> rows = LongStream.range(0, 10).mapToObj(i -> new Object[] {i}).toList();
    return DataFileWriter.of(LocalStorage.INSTANCE, dir.toString(), TEN_IDS, WriteOptions.DEFAULTS)
        .write(rows).get(0);
  }

  private static AddFile withDv(AddFile file, DeletionVectorDescriptor dv) {
    return new AddFile(file.path(), file.partitionValues(), file.size(), file.modificationTime(),
        true, file.stats(), file.tags(), Optional.of(dv), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  private List<Object> ids(AddFile file) {
    return DataFileReader.of(LocalStorage.INSTANCE, dir.toString(), TEN_IDS).read(file).toList()
        .stream().map(r -> r[0]).toList();
  }

  @Test
  void inlineDeletionVectorsDropTheirRows() {
    AddFile file = withDv(tenRows(), DeletionVector.of(0, 5, 9).toInlineDescriptor());
    assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 7L, 8L), ids(file));
  }

  @Test
  void storedDeletionVectorsByUuidAndByAbsolutePath() throws Exception {
    AddFile data = tenRows();
    UUID uuid = UUID.randomUUID();
    Files.createDirectories(dir.resolve("xy"));
    Files.write(dir.resolve("xy/deletion_vector_" + uuid + ".bin"),
        DeletionVectorLoader.fileOf(DeletionVector.of(1, 2)));
    int size = DeletionVector.of(1, 2).serialize().length;
    AddFile byUuid = withDv(data, new DeletionVectorDescriptor("u", "xy" + Z85.encodeUuid(uuid),
        Optional.of(1), size, 2));
    assertEquals(List.of(0L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), ids(byUuid));
    AddFile byPath = withDv(data, new DeletionVectorDescriptor("p",
        dir.resolve("xy/deletion_vector_" + uuid + ".bin").toUri().toString(), Optional.of(1),
        size, 2));
    assertEquals(List.of(0L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), ids(byPath));
  }

  private DeltaException readCorrupt(byte[] file, int size, long cardinality) throws Exception {
    AddFile data = tenRows();
    Files.write(dir.resolve("dv.bin"), file);
    AddFile broken = withDv(data, new DeletionVectorDescriptor("p", dir.resolve("dv.bin").toString(),
        Optional.of(1), size, cardinality));
    return assertThrows(DeltaException.class, () -> ids(broken));
  }

  @Test
  void aBadChecksumIsCorruptData() throws Exception {
    byte[] file = DeletionVectorLoader.fileOf(DeletionVector.of(3));
    file[file.length - 1] ^= 1;
    DeltaException e = readCorrupt(file, file.length - 9, 1);
    assertEquals(SqlState.INDEX_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("CRC-32") && e.getMessage().contains("dv.bin"),
        e.getMessage());
  }

  @Test
  void aBadMagicNumberIsCorruptData() throws Exception {
    byte[] data = DeletionVector.of(3).serialize();
    data[3] ^= 0x10;
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(data);
    byte[] file = java.nio.ByteBuffer.allocate(data.length + 9).put((byte) 1).putInt(data.length)
        .put(data).putInt((int) crc.getValue()).array();
    DeltaException e = readCorrupt(file, data.length, 1);
    assertEquals(SqlState.INDEX_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("magic number"), e.getMessage());
  }

  @Test
  void aSizeOrCardinalityOtherThanTheLogSaysIsCorruptData() throws Exception {
    byte[] file = DeletionVectorLoader.fileOf(DeletionVector.of(3, 4));
    int size = file.length - 9;
    assertEquals(SqlState.INDEX_CORRUPTED, readCorrupt(file, size + 1, 2).state());
    assertEquals(SqlState.INDEX_CORRUPTED, readCorrupt(file, size, 3).state());
    assertEquals(SqlState.INDEX_CORRUPTED, readCorrupt(new byte[] {1, 0, 0}, size, 2).state());
  }

  @Test
  void aMissingDeletionVectorFileIsAnIoError() {
    AddFile file = withDv(tenRows(), new DeletionVectorDescriptor("u",
        Z85.encodeUuid(UUID.randomUUID()), Optional.of(1), 34, 1));
    DeltaException e = assertThrows(DeltaException.class, () -> ids(file));
    assertEquals(SqlState.IO_ERROR, e.state());
    assertTrue(e.getMessage().contains("deletion_vector_"), e.getMessage());
  }

  @Test
  void z85RejectsWhatIsNotZ85() {
    assertThrows(IllegalArgumentException.class, () -> Z85.decode("abcd", 3));
    assertThrows(IllegalArgumentException.class, () -> Z85.decode("abc\"d", 4));
    assertThrows(IllegalArgumentException.class, () -> Z85.decode("#####", 4));
    assertArrayEquals(new byte[] {1, 2, 3}, Z85.decode(Z85.encode(new byte[] {1, 2, 3}), 3));
  }
}
