package io.deltasql.core.data;

import static io.deltasql.core.data.TestTables.field;
import static io.deltasql.core.data.TestTables.struct;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.types.DataType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Comparison filters answered from the pages' arrays ({@link ColumnTest}: dictionary ids, plain
 * {@code long}s, {@code int}s and {@code double}s) leave out exactly the records that the
 * row-by-row path leaves out: the decoded value compared with the literal through
 * {@link ValueOrder} (NULL matches nothing, NaN equals NaN and is above every number, -0.0
 * equals 0.0). Real Parquet files written by parquet-java: pages of 97 rows, dictionary pages,
 * a dictionary that falls back to plain mid-chunk, plain pages, writer v1 and v2 (delta
 * encodings), edge values (MIN and MAX, infinities, NaN, -0.0, NULL), the widenings INT32 to
 * LONG and DOUBLE, FLOAT to DOUBLE; records skipped in between (as a deletion vector does).
 */
class PrimitiveFilterTest {
  private static final String SCHEMA = """
      message m {
        required int64 id;
        optional int64 l;
        optional int32 i;
        optional int32 il;
        optional int32 id2;
        optional double d;
        optional float f;
        optional float fd;
        optional binary s (UTF8);
        optional int32 day (DATE);
      }""";
  /** The Delta type each column is read as: il is an INT32 read as LONG, id2 as DOUBLE, fd a FLOAT as DOUBLE. */
  private static final StructType COLUMNS = struct(field("id", PrimitiveType.LONG),
      field("l", PrimitiveType.LONG), field("i", PrimitiveType.INTEGER),
      field("il", PrimitiveType.LONG), field("id2", PrimitiveType.DOUBLE),
      field("d", PrimitiveType.DOUBLE), field("f", PrimitiveType.FLOAT),
      field("fd", PrimitiveType.DOUBLE), field("s", PrimitiveType.STRING),
      field("day", PrimitiveType.DATE));
  private static final int ROWS = 3_001;

  private static final long[] LONGS = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -41, -1, 0, 1, 41,
      Long.MAX_VALUE - 1, Long.MAX_VALUE};
  private static final int[] INTS = {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -41, -1, 0, 1, 41,
      Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
  private static final double[] DOUBLES = {Double.NaN, Double.NEGATIVE_INFINITY, -Double.MAX_VALUE,
      -41.5, -1, -0.0, 0.0, Double.MIN_VALUE, 1, 41.5, Double.MAX_VALUE, Double.POSITIVE_INFINITY};
  private static final float[] FLOATS = {Float.NaN, Float.NEGATIVE_INFINITY, -Float.MAX_VALUE,
      -41.5f, -1, -0.0f, 0.0f, Float.MIN_VALUE, 1, 41.5f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
  private static final String[] STRINGS = {"", "a", "b", "é", "s41"};

  @TempDir
  Path dir;

  /**
   * The value of row r in column c (null where the file has none): every third row an edge value,
   * the others many distinct values (so that a dictionary overflows and falls back to plain).
   */
  private static Object value(int r, int c) {
    boolean edge = r % 3 == 0;
    int e = r / 3;
    if (c > 0 && (r + c) % 7 == 0) {
      return null;
    }
    return switch (c) {
      case 0 -> (long) r;
      case 1 -> edge ? LONGS[e % LONGS.length] : r * 1_000_003L - 1_500_000_000L;
      case 2 -> edge ? INTS[e % INTS.length] : r * 7 - 10_000;
      case 3 -> edge ? (long) INTS[(e + 1) % INTS.length] : (long) (r * 11 - 15_000);
      case 4 -> edge ? (double) INTS[(e + 2) % INTS.length] : (double) (r - 1_500);
      case 5 -> edge ? DOUBLES[e % DOUBLES.length] : r / 8.0 - 150;
      case 6 -> edge ? FLOATS[e % FLOATS.length] : r / 4.0f - 300;
      case 7 -> edge ? (double) FLOATS[(e + 3) % FLOATS.length] : (double) (r / 2.0f - 700);
      case 8 -> STRINGS[r % STRINGS.length];
      default -> LocalDate.ofEpochDay(r % 40 - 20);
    };
  }

  /** Literals of column c's Delta type: its edge values and values between them. */
  private static List<Object> literals(int c) {
    List<Object> literals = new ArrayList<>();
    switch (c) {
      case 1 -> {
        for (long v : LONGS) {
          literals.add(v);
        }
        literals.add(-1_000_000L);
        literals.add(1_000_003L * 1_000 - 1_500_000_000L);
      }
      case 2 -> {
        for (int v : INTS) {
          literals.add(v);
        }
        literals.add(3);
      }
      case 3 -> {
        for (long v : LONGS) {
          literals.add(v);
        }
        for (int v : INTS) {
          literals.add((long) v);
        }
      }
      case 4, 5, 7 -> {
        for (double v : DOUBLES) {
          literals.add(v);
        }
        literals.add(-1_000.0);
        literals.add(100.125);
        literals.add((double) Integer.MAX_VALUE);
        literals.add((double) Float.MAX_VALUE);
      }
      case 6 -> {
        for (float v : FLOATS) {
          literals.add(v);
        }
        literals.add(-250.25f);
      }
      case 8 -> literals.addAll(List.of(STRINGS));
      default -> literals.addAll(List.of(LocalDate.ofEpochDay(-20), LocalDate.ofEpochDay(0),
          LocalDate.ofEpochDay(19), LocalDate.ofEpochDay(5)));
    }
    return literals;
  }

  private Path write(boolean dictionary, WriterVersion version) throws IOException {
    MessageType schema = MessageTypeParser.parseMessageType(SCHEMA);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    Path file = dir.resolve("f.parquet");
    try (ParquetWriter<Group> writer = PageColumnTest.smallPagesWriter(file, schema, dictionary,
        4_000, version)) {
      for (int r = 0; r < ROWS; r++) {
        Group g = groups.newGroup();
        for (int c = 0; c < COLUMNS.fields().size(); c++) {
          String name = COLUMNS.fields().get(c).name();
          Object v = value(r, c);
          if (v == null) {
            continue;
          }
          switch (c) {
            case 0, 1 -> g.add(name, (long) v);
            case 2 -> g.add(name, (int) v);
            case 3 -> g.add(name, (int) (long) v);
            case 4 -> g.add(name, (int) (double) v);
            case 5 -> g.add(name, (double) v);
            case 6 -> g.add(name, (float) v);
            case 7 -> g.add(name, (float) (double) v);
            case 8 -> g.add(name, (String) v);
            default -> g.add(name, (int) ((LocalDate) v).toEpochDay());
          }
        }
        writer.write(g);
      }
    }
    return file;
  }

  /** Whether row r is passed over as deleted (runs of varied lengths, one longer than a page). */
  private static boolean deleted(int r) {
    return r % 10 == 7 || (r >= 1_000 && r < 1_150);
  }

  /** The ids the row-by-row path keeps: not deleted, value not NULL, compared through ValueOrder. */
  private static List<Long> expected(int c, Predicate.Op op, Object literal) {
    List<Long> ids = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      Object v = value(r, c);
      if (!deleted(r) && v != null && op.test(ValueOrder.compare(v, literal))) {
        ids.add((long) r);
      }
    }
    return ids;
  }

  /** The ids read with the filter, record by record and passing over runs; every row read must hold the values written. */
  private static List<Long> read(Path file, ValueDecoder[] decoders, Predicate filter)
      throws IOException {
    List<Long> ids = read(file, decoders, filter, false, new long[1]);
    assertEquals(ids, read(file, decoders, filter, true, new long[1]), "passing over runs ruled out");
    return ids;
  }

  /**
   * The ids read with the filter, the records in order (deleted ones skipped); with {@code runs},
   * runs of records the filter rules out are passed over first ({@link
   * FlatRowGroupReader#skipRuledOut}), as {@link ParquetRowIterator} does, and {@code passedOver[0]}
   * counts the records passed over so.
   */
  private static List<Long> read(Path file, ValueDecoder[] decoders, Predicate filter, boolean runs,
      long[] passedOver) throws IOException {
    TableLayout layout = TableLayout.of(COLUMNS, List.of(), ColumnMappingMode.NONE, "t");
    RowFilter rowFilter = RowFilter.of(filter, layout, index -> index,
        new Object[COLUMNS.fields().size()]);
    List<Long> ids = new ArrayList<>();
    try (ParquetFileReader reader = open(file)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      int r = 0;
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        FlatRowGroupReader rows = new FlatRowGroupReader(pages, schema,
            reader.getFooter().getFileMetaData().getCreatedBy(), decoders, rowFilter);
        long left = pages.getRowCount();
        while (left > 0) {
          int ruledOut = runs ? rows.skipRuledOut(left) : 0;
          if (ruledOut > 0) {
            assertTrue(ruledOut <= left, ruledOut + " of " + left);
            passedOver[0] += ruledOut;
            r += ruledOut;
            left -= ruledOut;
            continue;
          }
          if (deleted(r)) {
            rows.skip();
          } else if (rows.read()) {
            Object[] row = rows.row();
            for (int c = 0; c < row.length; c++) {
              assertEquals(value(r, c), row[c], "row " + r + " column " + c);
            }
            ids.add((Long) row[0]);
          }
          r++;
          left--;
        }
      }
      assertEquals(ROWS, r);
    }
    return ids;
  }

  private static ParquetFileReader open(Path file) throws IOException {
    return ParquetFileReader.open(new InMemoryInputFile(file.toString(), Files.readAllBytes(file)),
        new ParquetReadOptions.Builder(new PlainParquetConfiguration()).build());
  }

  private static ValueDecoder[] decoders(Path file) throws IOException {
    try (ParquetFileReader reader = open(file)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      ValueDecoder[] decoders = new ValueDecoder[COLUMNS.fields().size()];
      for (int c = 0; c < decoders.length; c++) {
        DataType type = COLUMNS.fields().get(c).type();
        decoders[c] = ValueDecoders.of(type, schema.getType(c).asPrimitiveType()).orElseThrow();
      }
      return decoders;
    }
  }

  @ParameterizedTest(name = "dictionary={0} {1}")
  @CsvSource({"true, PARQUET_1_0", "false, PARQUET_1_0", "true, PARQUET_2_0", "false, PARQUET_2_0"})
  void everyComparisonKeepsExactlyTheRowsTheDecodedValuesMatch(boolean dictionary,
      WriterVersion version) throws IOException {
    Path file = write(dictionary, version);
    ValueDecoder[] decoders = decoders(file);
    int cases = 0;
    for (int c = 1; c < COLUMNS.fields().size(); c++) {
      StructField column = COLUMNS.fields().get(c);
      for (Predicate.Op op : Predicate.Op.values()) {
        if (column.type() == PrimitiveType.STRING && op != Predicate.Op.EQ) {
          continue; // string orderings are not judged row by row (RowFilterTest's territory)
        }
        for (Object literal : literals(c)) {
          Predicate filter = Predicate.compare(column.name(), op, literal);
          assertEquals(expected(c, op, literal), read(file, decoders, filter), filter.toString());
          cases++;
        }
      }
    }
    assertTrue(cases > 300, "cases " + cases);
  }

  @Test
  void nullTestsAndCombinationsReadTheSameRecords() throws IOException {
    Path file = write(true, WriterVersion.PARQUET_1_0);
    ValueDecoder[] decoders = decoders(file);
    Predicate filter = Predicate.or(
        Predicate.and(Predicate.lt("d", 0.0), Predicate.isNotNull("il")),
        Predicate.and(Predicate.isNull("l"), Predicate.ge("f", 41.5f)));
    List<Long> expected = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      Object d = value(r, 5);
      Object f = value(r, 6);
      boolean left = d != null && ValueOrder.compare(d, 0.0) < 0 && value(r, 3) != null;
      boolean right = value(r, 1) == null && f != null && ValueOrder.compare(f, 41.5f) >= 0;
      if (!deleted(r) && (left || right)) {
        expected.add((long) r);
      }
    }
    assertTrue(expected.size() > 100);
    assertEquals(expected, read(file, decoders, filter));
  }

  /**
   * A comparison passes over every record it rules out in runs, tested on the page's arrays
   * (dictionary ids, plain numbers; NULLs ruled out), and so does a NULL test: record by record,
   * only the records they keep are left. A record whose value must be decoded to be tested (a
   * date on a plain page) is never passed over.
   */
  @ParameterizedTest(name = "dictionary={0} {1}")
  @CsvSource({"true, PARQUET_1_0", "false, PARQUET_1_0", "false, PARQUET_2_0"})
  void aComparisonPassesOverTheRecordsItRulesOutInRuns(boolean dictionary, WriterVersion version)
      throws IOException {
    Path file = write(dictionary, version);
    ValueDecoder[] decoders = decoders(file);
    for (Predicate filter : List.of(Predicate.lt("d", -100.0), Predicate.ge("l", 0L),
        Predicate.compare("i", Predicate.Op.EQ, 41), Predicate.gt("id2", 1_000.0), Predicate.isNull("f"))) {
      long[] passedOver = new long[1];
      List<Long> ids = read(file, decoders, filter, true, passedOver);
      long deletedKept = 0;
      for (int r = 0; r < ROWS; r++) {
        deletedKept += deleted(r) && keeps(filter, r) ? 1 : 0;
      }
      assertEquals(ROWS - ids.size() - deletedKept, passedOver[0], filter.toString());
      assertTrue(ids.size() > 0, filter.toString());
    }
    if (!dictionary) {
      long[] passedOver = new long[1];
      read(file, decoders, Predicate.ge("day", LocalDate.ofEpochDay(-15)), true, passedOver);
      assertEquals(0, passedOver[0], "dates on plain pages are tested decoded, record by record");
    }
  }

  /** Whether the filter (one comparison or NULL test) keeps row {@code r}, deleted or not, by its written value. */
  private static boolean keeps(Predicate filter, int r) {
    if (filter instanceof Predicate.IsNull isNull) {
      int c = COLUMNS.fields().stream().map(StructField::name).toList().indexOf(isNull.column().get(0));
      return (value(r, c) == null) != isNull.negated();
    }
    Predicate.Comparison comparison = (Predicate.Comparison) filter;
    int c = COLUMNS.fields().stream().map(StructField::name).toList().indexOf(comparison.column().get(0));
    Object v = value(r, c);
    return v != null && comparison.op().test(ValueOrder.compare(v, comparison.literal()));
  }

  /**
   * On plain pages, a record the filter rules out is not decoded: the filter column's decoder
   * runs once per record kept, not once per record.
   */
  @Test
  void recordsRuledOutAreNotDecoded() throws IOException {
    Path file = write(false, WriterVersion.PARQUET_1_0);
    ValueDecoder[] decoders = decoders(file);
    AtomicInteger decoded = new AtomicInteger();
    decoders[5] = ValueDecoder.ofFloating(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE,
        v -> {
          decoded.incrementAndGet();
          return v;
        }).asNumber(Double.class);
    List<Long> ids = read(file, decoders, Predicate.lt("d", -100.0), true, new long[1]);
    assertEquals(expected(5, Predicate.Op.LT, -100.0), ids);
    assertTrue(ids.size() > 100 && ids.size() < ROWS / 2, "kept " + ids.size());
    assertEquals(ids.size(), decoded.get());
  }

  /**
   * A filter on a column without a primitive comparison (a date) decodes each record once: a
   * record the filter keeps is not decoded again when read.
   */
  @Test
  void recordsTestedByTheirDecodedValueAreDecodedOnce() throws IOException {
    Path file = write(false, WriterVersion.PARQUET_1_0);
    ValueDecoder[] decoders = decoders(file);
    AtomicInteger decoded = new AtomicInteger();
    decoders[9] = ValueDecoder.ofInt(v -> {
      decoded.incrementAndGet();
      return LocalDate.ofEpochDay(v);
    });
    LocalDate from = LocalDate.ofEpochDay(-15);
    List<Long> ids = read(file, decoders, Predicate.ge("day", from), true, new long[1]);
    assertEquals(expected(9, Predicate.Op.GE, from), ids);
    int tested = 0;
    for (int r = 0; r < ROWS; r++) {
      tested += !deleted(r) && value(r, 9) != null ? 1 : 0;
    }
    assertTrue(ids.size() > tested / 2, "kept " + ids.size());
    assertEquals(tested, decoded.get());
  }
}
