package io.deltasql.core.data;

import static io.deltasql.core.data.TestTables.field;
import static io.deltasql.core.data.TestTables.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.parquet.CountingStorage;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rows of every type written by {@link DataFileWriter} read back equal by {@link DataFileReader}. */
class RoundTripTest {
  static final StructType INNER = struct(field("x", PrimitiveType.LONG),
      field("y", new ArrayType(PrimitiveType.INTEGER, true)));
  static final StructType SCHEMA = struct(
      field("id", PrimitiveType.LONG, false),
      field("i", PrimitiveType.INTEGER),
      field("s", PrimitiveType.SHORT),
      field("b", PrimitiveType.BYTE),
      field("f", PrimitiveType.FLOAT),
      field("d", PrimitiveType.DOUBLE),
      field("flag", PrimitiveType.BOOLEAN),
      field("str", PrimitiveType.STRING),
      field("bin", PrimitiveType.BINARY),
      field("day", PrimitiveType.DATE),
      field("ts", PrimitiveType.TIMESTAMP),
      field("ntz", PrimitiveType.TIMESTAMP_NTZ),
      field("dec_small", new DecimalType(5, 2)),
      field("dec_mid", new DecimalType(15, 3)),
      field("dec_big", new DecimalType(30, 7), false),
      field("nested", struct(field("a", PrimitiveType.STRING, false), field("inner", INNER))),
      field("tags", new ArrayType(PrimitiveType.STRING, true)),
      field("props", new MapType(PrimitiveType.STRING, PrimitiveType.LONG, true)),
      field("structs", new ArrayType(struct(field("k", PrimitiveType.INTEGER)), true)),
      field("map_of_arrays", new MapType(PrimitiveType.INTEGER,
          new ArrayType(PrimitiveType.DOUBLE, false), true)),
      field("part_int", PrimitiveType.INTEGER),
      field("part_str", PrimitiveType.STRING),
      field("part_date", PrimitiveType.DATE),
      field("part_ts", PrimitiveType.TIMESTAMP));
  static final List<String> PARTITIONS = List.of("part_int", "part_str", "part_date", "part_ts");
  static final int PART_STR = SCHEMA.fieldNames().indexOf("part_str");

  @TempDir
  Path dir;

  static List<Object[]> rows(int count, long seed) {
    Random random = new Random(seed);
    List<Object[]> rows = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      rows.add(row(random, n));
    }
    return rows;
  }

  private static Object[] row(Random r, long id) {
    return new Object[] {
        id,
        maybe(r, r.nextInt()),
        maybe(r, (short) r.nextInt()),
        maybe(r, (byte) r.nextInt()),
        maybe(r, pick(r, 1.5f, -0.0f, Float.NaN, Float.MAX_VALUE, r.nextFloat())),
        maybe(r, pick(r, 2.25, Double.NEGATIVE_INFINITY, Double.NaN, r.nextGaussian())),
        maybe(r, r.nextBoolean()),
        maybe(r, pick(r, "", "plain", "ünïcødé 日本 🎉", "x".repeat(40) + r.nextInt(9))),
        maybe(r, pick(r, new byte[0], new byte[] {0, -1, 127, -128}, new byte[] {42})),
        maybe(r, LocalDate.ofEpochDay(r.nextInt(100_000) - 50_000)),
        maybe(r, Instant.ofEpochSecond(r.nextInt() / 2, r.nextInt(1_000_000) * 1000L)),
        maybe(r, LocalDateTime.of(1900 + r.nextInt(300), 1 + r.nextInt(12), 1 + r.nextInt(28),
            r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000) * 1000)),
        maybe(r, BigDecimal.valueOf(r.nextInt(199_999) - 99_999, 2)),
        maybe(r, BigDecimal.valueOf(r.nextLong() % 1_000_000_000_000_000L, 3)),
        new BigDecimal(new java.math.BigInteger(96, r).negate().add(java.math.BigInteger.TEN
            .pow(28)), 7),
        maybe(r, new Object[] {"a" + id, maybe(r, new Object[] {maybe(r, r.nextLong()),
            maybe(r, Arrays.asList(1, null, r.nextInt()))})}),
        maybe(r, Arrays.asList("t" + r.nextInt(3), null)),
        maybe(r, map("k1", (Object) r.nextLong(), "k2", null)),
        maybe(r, List.of(new Object[] {r.nextInt()}, new Object[] {null})),
        maybe(r, map(r.nextInt(), (Object) List.of(1.0, r.nextDouble()))),
        maybe(r, 1 + r.nextInt(2)),
        maybe(r, pick(r, "a b", "x/y=z%", "", "ü日本", "__HIVE_DEFAULT_PARTITION__")),
        maybe(r, pick(r, LocalDate.of(2024, 1, 1), LocalDate.of(1969, 12, 31))),
        maybe(r, pick(r, Instant.parse("2024-03-04T05:06:07.123456Z"),
            Instant.parse("1960-01-01T00:00:00Z")))};
  }

  private static Map<Object, Object> map(Object k1, Object v1) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    return m;
  }

  private static Map<Object, Object> map(Object k1, Object v1, Object k2, Object v2) {
    Map<Object, Object> m = map(k1, v1);
    m.put(k2, v2);
    return m;
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... values) {
    return values[r.nextInt(values.length)];
  }

  private static Object maybe(Random r, Object value) {
    return r.nextInt(10) == 0 ? null : value;
  }

  /** What reading gives back: an empty string partition value is null (PROTOCOL.md). */
  static List<Object[]> expectedAfterRead(List<Object[]> rows) {
    return rows.stream().map(row -> "".equals(row[PART_STR])
        ? TestTables.with(row, PART_STR, null) : row).toList();
  }

  private List<AddFile> write(Metadata metadata, WriteOptions options, List<Object[]> rows) {
    return DataFileWriter.of(LocalStorage.INSTANCE, dir.toString(), metadata, options).write(rows);
  }

  @ParameterizedTest
  @EnumSource(ColumnMappingMode.class)
  void everyTypeNestedAndPartitionedReadsBackEqual(ColumnMappingMode mode) throws Exception {
    StructType schema = mode == ColumnMappingMode.NONE ? SCHEMA
        : TestTables.withColumnMapping(SCHEMA);
    Map<String, String> config = mode == ColumnMappingMode.NONE ? Map.of()
        : Map.of(ColumnMappingMode.PROPERTY, mode.name().toLowerCase());
    Metadata metadata = TestTables.metadata(schema, PARTITIONS, config);
    List<Object[]> rows = rows(400, 7);

    List<AddFile> files = write(metadata, WriteOptions.DEFAULTS.withMaxOpenFiles(200), rows);

    assertTrue(files.size() > 32 && files.size() <= 3 * 5 * 3 * 3,
        files.size() + ": one per partition");
    assertEquals(Rows.multiset(expectedAfterRead(rows)),
        Rows.multiset(TestTables.readAll(dir, metadata, files)));
    for (AddFile file : files) {
      assertTrue(file.dataChange());
      assertEquals(Files.size(Path.of(LocalStorage.INSTANCE.status(
          io.deltasql.core.storage.StoragePaths.resolveInTable(dir.toString(), file.path()))
          .orElseThrow().path())), file.size());
      assertEquals(4, file.partitionValues().size());
      String key = schema.field("part_str").orElseThrow().physicalName();
      assertTrue(file.partitionValues().containsKey(key), file.partitionValues().toString());
    }
  }

  @Test
  void partitionFoldersAreHiveEscapedAndPathsAreUris() {
    Metadata metadata = TestTables.metadata(SCHEMA, PARTITIONS);
    List<AddFile> files = write(metadata, WriteOptions.DEFAULTS, rows(200, 11));
    AddFile escaped = files.stream()
        .filter(f -> "x/y=z%".equals(f.partitionValues().get("part_str"))).findFirst()
        .orElseThrow();
    assertTrue(escaped.path().contains("/part_str=x%252Fy%253Dz%2525/"), escaped.path());
    AddFile spaced = files.stream()
        .filter(f -> "a b".equals(f.partitionValues().get("part_str"))).findFirst().orElseThrow();
    assertTrue(spaced.path().contains("/part_str=a%20b/"), spaced.path());
    AddFile empty = files.stream().filter(f -> f.partitionValues().get("part_str") == null)
        .findFirst().orElseThrow();
    assertTrue(empty.path().contains("part_str=__HIVE_DEFAULT_PARTITION__/"), empty.path());
    AddFile timestamp = files.stream().filter(f -> f.partitionValues().get("part_ts") != null
        && f.partitionValues().get("part_ts").startsWith("2024")).findFirst().orElseThrow();
    assertEquals("2024-03-04 05:06:07.123456", timestamp.partitionValues().get("part_ts"));
    assertTrue(Files.isDirectory(dir.resolve("part_int=1/part_str=x%2Fy%3Dz%25")),
        TestTables.visibleFiles(dir).toString());
  }

  @Test
  void zstdFilesReadBackEqual() {
    StructType schema = struct(field("id", PrimitiveType.LONG), field("text", PrimitiveType.STRING));
    Metadata metadata = TestTables.metadata(schema, List.of());
    List<Object[]> rows = IntStream.range(0, 1000)
        .mapToObj(i -> new Object[] {(long) i, "row " + i}).toList();
    List<AddFile> files = write(metadata, WriteOptions.DEFAULTS.withCompression(Compression.ZSTD),
        rows);
    assertEquals(1, files.size());
    assertTrue(files.get(0).path().endsWith(".zstd.parquet"), files.get(0).path());
    assertEquals(Rows.multiset(rows), Rows.multiset(TestTables.readAll(dir, metadata, files)));
    DataFileReader ranged = new DataFileReader(LocalStorage.INSTANCE, dir.toString(),
        TableLayout.of(metadata, "t"), 0, FooterCache.NONE);
    assertEquals(Rows.multiset(rows), Rows.multiset(ranged.read(files.get(0)).toList()),
        "read with ranged reads instead of whole");
  }

  /**
   * A read of some of the columns of a file larger than {@link
   * Storage#wholeReadLimit} reads the footer and their chunks, not the file;
   * a read of every column reads the file whole, in one request.
   */
  @Test
  void aReadOfSomeColumnsReadsOnlyTheirChunks() {
    StructType schema = struct(field("id", PrimitiveType.LONG), field("text", PrimitiveType.STRING));
    Metadata metadata = TestTables.metadata(schema, List.of());
    List<Object[]> rows = idsAndHexTexts(30_000, 5);
    AddFile file = write(metadata, WriteOptions.DEFAULTS, rows).get(0);
    CountingStorage storage = new CountingStorage();
    assertTrue(file.size() > storage.wholeReadLimit(""), file.size() + " bytes");
    DataFileReader reader = new DataFileReader(storage, dir.toString(), TableLayout.of(metadata, "t"));

    List<Object[]> ids = reader.read(file, List.of("id"), Predicate.lt("id", 20_000L)).toList();
    assertEquals(Rows.multiset(rows.subList(0, 20_000).stream().map(r -> new Object[] {r[0]}).toList()),
        Rows.multiset(ids));
    assertTrue(storage.bytesRead.get() < file.size() / 2, storage.bytesRead + " of " + file.size() + " bytes");

    storage.bytesRead.set(0);
    storage.rangedReads.set(0);
    assertEquals(Rows.multiset(rows), Rows.multiset(reader.read(file).toList()));
    assertEquals(file.size(), storage.bytesRead.get());
    assertEquals(1, storage.rangedReads.get());

    // An object store's limit (S3: 8 MiB): the same read of one column is one request of the file.
    storage.wholeReadLimit = 8L * 1024 * 1024;
    storage.bytesRead.set(0);
    storage.rangedReads.set(0);
    assertEquals(Rows.multiset(ids), Rows.multiset(reader.read(file, List.of("id"), Predicate.lt("id", 20_000L))
        .toList()));
    assertEquals(file.size(), storage.bytesRead.get());
    assertEquals(1, storage.rangedReads.get());
  }

  /**
   * With a {@link FooterCache}, a second read of a file takes its footer from the cache: one
   * request fewer (the footer's), the same rows; a cache of two column chunks keeps one footer of a
   * two-column file, one of a single chunk keeps none.
   */
  @Test
  void aFooterParsedOnceIsTakenFromTheCache() {
    StructType schema = struct(field("id", PrimitiveType.LONG), field("text", PrimitiveType.STRING));
    Metadata metadata = TestTables.metadata(schema, List.of());
    List<Object[]> rows = idsAndHexTexts(30_000, 7);
    List<AddFile> files = write(metadata, WriteOptions.DEFAULTS, rows);
    AddFile file = files.get(0);
    CountingStorage storage = new CountingStorage();
    FooterCache footers = new FooterCache(2);
    DataFileReader reader = DataFileReader.of(storage, dir.toString(), metadata, footers);

    List<Object[]> first = reader.read(file, List.of("id"), Predicate.lt("id", 20_000L)).toList();
    long firstRequests = storage.rangedReads.get();
    long firstBytes = storage.bytesRead.get();
    assertEquals(1, footers.size());
    storage.rangedReads.set(0);
    storage.bytesRead.set(0);
    List<Object[]> second = DataFileReader.of(storage, dir.toString(), metadata, footers)
        .read(file, List.of("id"), Predicate.lt("id", 20_000L)).toList();
    assertEquals(Rows.multiset(first), Rows.multiset(second));
    assertEquals(firstRequests - 1, storage.rangedReads.get(), "requests of the second read");
    assertTrue(storage.bytesRead.get() < firstBytes, storage.bytesRead + " bytes, " + firstBytes + " the first time");
    assertEquals(Rows.multiset(rows), Rows.multiset(reader.read(file).toList()), "every column, footer cached");

    AddFile other = write(metadata, WriteOptions.DEFAULTS, idsAndHexTexts(10, 8)).get(0);
    assertEquals(10, reader.read(other).toList().size());
    assertEquals(1, footers.size(), "a cache of two chunks holds one footer of two");
    assertEquals(Rows.multiset(first), Rows.multiset(reader.read(file, List.of("id"), Predicate.lt("id", 20_000L))
        .toList()), "the same rows, whichever footer the cache kept");

    FooterCache tooSmall = new FooterCache(1);
    DataFileReader.of(storage, dir.toString(), metadata, tooSmall).read(file).toList();
    assertEquals(0, tooSmall.size(), "a footer of more chunks than the cache holds is not kept");
  }

  /**
   * A file written again at the path of one whose footer is cached, of the very same size, is
   * read with its own footer: the cache knows it by its {@code add} action's modification time
   * too. A stale footer would skip the new file's row group by the old one's statistics.
   */
  @Test
  void aFileWrittenAgainAtTheSamePathAndSizeIsNotReadWithTheOldFooter() throws Exception {
    Metadata metadata = TestTables.metadata(struct(field("id", PrimitiveType.LONG)), List.of());
    WriteOptions uncompressed = WriteOptions.DEFAULTS.withCompression(Compression.UNCOMPRESSED);
    List<Object[]> before = LongStream.range(0, 100).mapToObj(i -> new Object[] {i}).toList();
    List<Object[]> after = LongStream.range(1_000, 1_100).mapToObj(i -> new Object[] {i}).toList();
    AddFile first = write(metadata, uncompressed, before).get(0);
    AddFile second = write(metadata, uncompressed, after).get(0);
    assertEquals(first.size(), second.size(), "the two files' sizes (the test needs them equal)");
    FooterCache footers = new FooterCache(100);
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, dir.toString(), metadata, footers);
    assertEquals(100, reader.read(first, List.of("id"), Predicate.ge("id", 0L)).toList().size());
    assertEquals(1, footers.size());

    Files.copy(dir.resolve(second.path()), dir.resolve(first.path()), StandardCopyOption.REPLACE_EXISTING);
    AddFile rewritten = AddFile.of(first.path(), Map.of(), second.size(), first.modificationTime() + 1,
        second.stats());
    assertEquals(Rows.multiset(after), Rows.multiset(
        reader.read(rewritten, List.of("id"), Predicate.ge("id", 1_000L)).toList()));
    assertEquals(Rows.multiset(after), Rows.multiset(reader.read(rewritten).toList()));
  }

  /** Rows {@code (i, random hex text)} for i from 0 to {@code count - 1}. */
  private static List<Object[]> idsAndHexTexts(int count, long seed) {
    Random random = new Random(seed);
    return IntStream.range(0, count).mapToObj(i -> new Object[] {(long) i, Long.toHexString(random.nextLong())})
        .toList();
  }

  @Test
  void targetFileSizeRollsOverToNewFiles() {
    StructType schema = struct(field("id", PrimitiveType.LONG), field("text", PrimitiveType.STRING));
    Metadata metadata = TestTables.metadata(schema, List.of());
    List<Object[]> rows = idsAndHexTexts(20_000, 3);
    List<AddFile> files = write(metadata, WriteOptions.DEFAULTS.withTargetFileSize(64 * 1024)
        .withRowGroupRowLimit(1000), rows);
    assertTrue(files.size() >= 4, files.size() + " files");
    for (AddFile file : files.subList(0, files.size() - 1)) {
      assertTrue(file.size() < 3 * 64 * 1024, "file of " + file.size() + " bytes");
    }
    assertEquals(Rows.multiset(rows), Rows.multiset(TestTables.readAll(dir, metadata, files)));
    assertEquals(files.size(), TestTables.visibleFiles(dir).size());
  }

  @Test
  void projectionReadsColumnsInTheOrderAsked() {
    Metadata metadata = TestTables.metadata(SCHEMA, PARTITIONS);
    List<Object[]> rows = rows(50, 5);
    List<AddFile> files = write(metadata, WriteOptions.DEFAULTS, rows);
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, dir.toString(), metadata);
    List<Object[]> read = new ArrayList<>();
    for (AddFile file : files) {
      read.addAll(reader.read(file, List.of("part_int", "NESTED", "id")).toList());
    }
    List<Object[]> expected = rows.stream()
        .map(r -> new Object[] {r[20], r[15], r[0]}).toList();
    assertEquals(Rows.multiset(expected), Rows.multiset(read));
  }

  @Test
  void pastTheOpenFileLimitTheOldestFileIsFinished() {
    StructType schema = struct(field("id", PrimitiveType.LONG), field("p", PrimitiveType.INTEGER));
    Metadata metadata = TestTables.metadata(schema, List.of("p"));
    List<Object[]> rows = IntStream.range(0, 90)
        .mapToObj(i -> new Object[] {(long) i, i % 3}).toList();
    List<AddFile> files = write(metadata, WriteOptions.DEFAULTS.withMaxOpenFiles(2), rows);
    assertEquals(90, files.size(), "with rows cycling over 3 partitions, each row opens a file");
    assertEquals(Rows.multiset(rows), Rows.multiset(TestTables.readAll(dir, metadata, files)));
  }

  @Test
  void aMissingOrCorruptDataFileIsNamedInTheError() throws Exception {
    StructType schema = struct(field("id", PrimitiveType.LONG));
    Metadata metadata = TestTables.metadata(schema, List.of());
    AddFile file = write(metadata, WriteOptions.DEFAULTS, List.<Object[]>of(new Object[] {1L}))
        .get(0);
    Path path = dir.resolve(file.path());
    Files.write(path, "not parquet at all, just some bytes of text".getBytes());
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, dir.toString(), metadata);
    AddFile resized = new AddFile(file.path(), Map.of(), Files.size(path), 0, true,
        java.util.Optional.empty(), Map.of(), java.util.Optional.empty(),
        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty());
    io.deltasql.core.errors.DeltaException corrupt = org.junit.jupiter.api.Assertions.assertThrows(
        io.deltasql.core.errors.DeltaException.class, () -> reader.read(resized).toList());
    assertEquals(io.deltasql.core.errors.SqlState.INDEX_CORRUPTED, corrupt.state());
    assertTrue(corrupt.getMessage().contains(file.path()), corrupt.getMessage());
    Files.delete(path);
    io.deltasql.core.errors.DeltaException missing = org.junit.jupiter.api.Assertions.assertThrows(
        io.deltasql.core.errors.DeltaException.class, () -> reader.read(file).toList());
    assertEquals(io.deltasql.core.errors.SqlState.IO_ERROR, missing.state());
    assertTrue(missing.getMessage().contains(file.path()), missing.getMessage());
  }

  @Test
  void noRowsWriteNoFiles() {
    Metadata metadata = TestTables.metadata(SCHEMA, PARTITIONS);
    assertEquals(List.of(), write(metadata, WriteOptions.DEFAULTS, List.of()));
    assertEquals(List.of(), TestTables.visibleFiles(dir));
  }
}
