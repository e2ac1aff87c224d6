package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.parquet.StorageOutputFile;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.PrimitiveType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The page-at-a-time reader of flat columns on real Parquet files written by parquet-java:
 * many pages per column chunk (pages of 97 rows, so records and skips cross page boundaries),
 * dictionary pages, a dictionary that falls back to plain in the middle of the chunk, plain
 * encoding, data pages v1 and v2 (whose v2 writer uses delta encodings), and nulls. Every value
 * read is compared with the value written; records skipped in between must not shift columns.
 */
class PageColumnTest {
  private static final String SCHEMA = """
      message m {
        required int64 id;
        optional double d;
        optional int32 q;
        optional binary s (UTF8);
        optional float f;
        optional boolean b;
        optional int64 wide;
        optional int32 day (DATE);
      }""";
  private static final List<DataType> TYPES = List.of(PrimitiveType.LONG, PrimitiveType.DOUBLE,
      PrimitiveType.INTEGER, PrimitiveType.STRING, PrimitiveType.FLOAT, PrimitiveType.BOOLEAN,
      PrimitiveType.LONG, PrimitiveType.DATE);
  private static final int ROWS = 5_003;

  @TempDir
  Path dir;

  /** The value row i holds in column c (null where the file has none). */
  private static Object expected(int i, int c) {
    return switch (c) {
      case 0 -> (long) i;
      case 1 -> i % 7 == 3 ? null : i % 101 == 0 ? Double.NaN : i / 8.0;
      case 2 -> i % 5 == 0 ? null : i % 13;
      case 3 -> i % 11 == 0 ? null : "s" + (i % 17);
      case 4 -> i % 3 == 0 ? null : (float) i / 4;
      case 5 -> i % 9 == 0 ? null : i % 2 == 0;
      case 6 -> i < 150 || i % 4 == 0 ? null : i * 1_000_003L;
      default -> i % 6 == 0 ? null : java.time.LocalDate.ofEpochDay(i % 40);
    };
  }

  private Path write(boolean dictionary, WriterVersion version) throws IOException {
    MessageType schema = MessageTypeParser.parseMessageType(SCHEMA);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    Path file = dir.resolve("f.parquet");
    try (ParquetWriter<Group> writer = smallPagesWriter(file, schema, dictionary, 2_000, version)) {
      for (int i = 0; i < ROWS; i++) {
        Group g = groups.newGroup();
        g.add("id", (long) i);
        if (expected(i, 1) instanceof Double d) {
          g.add("d", d);
        }
        if (expected(i, 2) instanceof Integer q) {
          g.add("q", q);
        }
        if (expected(i, 3) instanceof String s) {
          g.add("s", s);
        }
        if (expected(i, 4) instanceof Float f) {
          g.add("f", f);
        }
        if (expected(i, 5) instanceof Boolean b) {
          g.add("b", b);
        }
        if (expected(i, 6) instanceof Long w) {
          g.add("wide", w);
        }
        if (expected(i, 7) instanceof java.time.LocalDate day) {
          g.add("day", (int) day.toEpochDay());
        }
        writer.write(g);
      }
    }
    return file;
  }

  /**
   * parquet-java's example writer with pages of 97 rows and, when {@code dictionary}, dictionary
   * pages that fall back to plain encoding once their dictionary passes {@code dictionaryBytes}.
   */
  static ParquetWriter<Group> smallPagesWriter(Path file, MessageType schema, boolean dictionary,
      int dictionaryBytes, WriterVersion version) throws IOException {
    return ExampleParquetWriter.builder(new StorageOutputFile(LocalStorage.INSTANCE, file.toString()))
        .withConf(new PlainParquetConfiguration())
        .withType(schema)
        .withPageRowCountLimit(97)
        .withDictionaryEncoding(dictionary)
        .withDictionaryPageSize(dictionaryBytes)
        .withWriterVersion(version)
        .build();
  }

  @ParameterizedTest(name = "dictionary={0} {1}")
  @CsvSource({"true, PARQUET_1_0", "false, PARQUET_1_0", "true, PARQUET_2_0", "false, PARQUET_2_0"})
  void everyValueReadIsTheValueWrittenAcrossPagesAndSkips(boolean dictionary, WriterVersion version)
      throws IOException {
    Path file = write(dictionary, version);
    try (ParquetFileReader reader = ParquetFileReader.open(new InMemoryInputFile(file.toString(),
        Files.readAllBytes(file)), new ParquetReadOptions.Builder(new PlainParquetConfiguration()).build())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<Encoding> encodings = new ArrayList<>();
      for (ColumnChunkMetaData chunk : reader.getRowGroups().get(0).getColumns()) {
        encodings.addAll(chunk.getEncodings());
      }
      if (dictionary) {
        assertTrue(encodings.contains(Encoding.PLAIN_DICTIONARY)
            || encodings.contains(Encoding.RLE_DICTIONARY), encodings.toString());
      }
      ValueDecoder[] decoders = new ValueDecoder[TYPES.size()];
      for (int c = 0; c < decoders.length; c++) {
        decoders[c] = ValueDecoders.of(TYPES.get(c), schema.getType(c).asPrimitiveType()).orElseThrow();
      }
      int i = 0;
      PageReadStore pages;
      int checked = 0;
      while ((pages = reader.readNextRowGroup()) != null) {
        assertTrue(pages.getRowCount() > 97, "several pages per column");
        FlatRowGroupReader rows = new FlatRowGroupReader(pages, schema,
            reader.getFooter().getFileMetaData().getCreatedBy(), decoders, null);
        for (long r = 0; r < pages.getRowCount(); r++, i++) {
          // Runs of skipped records of varied lengths, some longer than a page.
          if (i % 10 < 3 || (i >= 1000 && i < 1250)) {
            rows.skip();
            continue;
          }
          assertTrue(rows.read());
          Object[] expected = new Object[TYPES.size()];
          for (int c = 0; c < expected.length; c++) {
            expected[c] = expected(i, c);
          }
          assertArrayEquals(expected, rows.row(), "row " + i + " " + Arrays.toString(rows.row()));
          checked++;
        }
      }
      assertEquals(ROWS, i);
      assertTrue(checked > ROWS / 2);
    }
  }

  /**
   * A bit-packed run of width 0 (a one-entry dictionary, or levels of a column without nulls)
   * holds no bytes: every value is 0 even in an array that held other ids before (the reader
   * reuses its arrays page after page, and parquet's width-0 unpacker writes nothing).
   */
  @org.junit.jupiter.api.Test
  void aBitPackedRunOfWidthZeroIsAllZerosInAReusedArray() {
    int[] out = new int[24];
    Arrays.fill(out, 7);
    // header (2 groups << 1) | bit-packed, then an RLE run of 3 values of 0: 16 + 3 values
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(new byte[] {(2 << 1) | 1, 3 << 1});
    PageColumn.Hybrid.decode(in, 0, 19, out);
    assertArrayEquals(new int[19], Arrays.copyOf(out, 19));
    assertEquals(0, in.remaining());
  }

  /** Runs of both kinds at width 3 decode to what parquet-java's own encoder was given. */
  @org.junit.jupiter.api.Test
  void hybridRunsDecodeToTheValuesParquetEncoded() throws IOException {
    int[] values = new int[203];
    for (int i = 0; i < values.length; i++) {
      values[i] = i < 60 ? 5 : i % 8; // a long repeated run, then values that pack
    }
    var encoder = new org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder(
        3, 64, 1024, org.apache.parquet.bytes.HeapByteBufferAllocator.getInstance());
    for (int v : values) {
      encoder.writeInt(v);
    }
    int[] out = new int[values.length + 8];
    Arrays.fill(out, 6);
    PageColumn.Hybrid.decode(encoder.toBytes().toByteBuffer(), 3, values.length, out);
    assertArrayEquals(values, Arrays.copyOf(out, values.length));
  }
}
