package io.deltasql.core.data;

import static io.deltasql.core.data.TestTables.field;
import static io.deltasql.core.data.TestTables.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.data.Aggregation.Call;
import io.deltasql.core.data.Aggregation.Function;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.SharedTables;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Aggregator} against the same aggregation folded, row by row in the same order, over the
 * rows {@link DataFileReader#read} returns: generated files (pages of 97 rows, dictionary pages
 * that fall back to plain, writer v1 and v2, NULLs, columns without NULLs, a deletion vector, a
 * partition column, a column the files lack) and every readable shared table (Delta's own: deletion vectors, column
 * mapping, type widening, partitions). Results must be equal, sums of doubles to the bit.
 */
class AggregatorTest {
  private static final String FILE_SCHEMA = """
      message m {
        required int64 id;
        optional double d;
        optional int32 q;
        optional binary s (UTF8);
        optional boolean b;
        optional int64 wide;
        optional int32 day (DATE);
        optional double dense;
        optional int32 count;
      }""";
  private static final StructType TABLE = struct(field("id", PrimitiveType.LONG, false),
      field("d", PrimitiveType.DOUBLE), field("q", PrimitiveType.INTEGER), field("s", PrimitiveType.STRING),
      field("b", PrimitiveType.BOOLEAN), field("wide", PrimitiveType.LONG), field("day", PrimitiveType.DATE),
      field("dense", PrimitiveType.DOUBLE), field("count", PrimitiveType.INTEGER),
      field("extra", PrimitiveType.LONG), field("part", PrimitiveType.STRING));
  private static final int ROWS = 3_001;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "dictionary={0} {1}")
  @CsvSource({"true, PARQUET_1_0", "false, PARQUET_1_0", "true, PARQUET_2_0", "false, PARQUET_2_0"})
  void everyGroupingAndFunctionEqualsTheRowByRowFold(boolean dictionary, WriterVersion version) throws IOException {
    List<AddFile> files = List.of(
        write("a.parquet", dictionary, version, 0, "x", DeletionVector.of(0, 5, 96, 97, 98, 1_000, 2_999)),
        write("b.parquet", dictionary, version, ROWS, null, null),
        write("c.parquet", !dictionary, version, 2 * ROWS, "y", null));
    DataFileReader reader = reader();
    List<Call> calls = List.of(Call.countRows(), Call.of(Function.COUNT, "d"), Call.of(Function.COUNT, "s"),
        Call.of(Function.COUNT, "extra"), Call.of(Function.COUNT, "part"), Call.of(Function.SUM, "q"),
        Call.of(Function.SUM, "wide"), Call.of(Function.SUM, "d"), Call.of(Function.SUM, "extra"),
        Call.of(Function.SUM0, "q"), Call.of(Function.SUM0, "d"), Call.of(Function.SUM0, "extra"),
        Call.of(Function.MIN, "q"), Call.of(Function.MAX, "q"), Call.of(Function.MIN, "wide"),
        Call.of(Function.MAX, "id"), Call.of(Function.MIN, "extra"), Call.of(Function.SUM, "dense"),
        Call.of(Function.SUM0, "dense"), Call.of(Function.SUM, "count"), Call.of(Function.COUNT, "dense"));
    for (List<String> groupBy : List.of(List.<String>of(), List.of("q"), List.of("s"), List.of("b"), List.of("day"),
        List.of("d"), List.of("part"), List.of("extra"), List.of("s", "part"), List.of("b", "q"), List.of("count"))) {
      Aggregation aggregation = new Aggregation(groupBy, calls);
      assertEquals(fold(reader, files, aggregation), aggregate(reader, files, aggregation), groupBy.toString());
    }
  }

  @Test
  void withNoLiveRowsOnlyTheUngroupedAggregateHasARow() throws IOException {
    AddFile file = write("a.parquet", true, WriterVersion.PARQUET_1_0, 0, "x",
        DeletionVector.of(LongStream.range(0, ROWS).toArray()));
    DataFileReader reader = reader();
    List<Call> calls = List.of(Call.countRows(), Call.of(Function.SUM, "q"), Call.of(Function.SUM0, "d"),
        Call.of(Function.MAX, "q"));
    assertEquals(Map.of(List.of(), Arrays.asList(0L, null, 0.0, null)),
        aggregate(reader, List.of(file), new Aggregation(List.of(), calls)));
    assertEquals(Map.of(), aggregate(reader, List.of(file), new Aggregation(List.of("part"), calls)));
    assertEquals(Map.of(), aggregate(reader, List.of(file), new Aggregation(List.of("q"), calls)));
  }

  @Test
  void anIntegerSumPastTheBigintRangeIsOutOfRange() throws IOException {
    // Each value about Long.MAX_VALUE / 2: the third one added goes past the range.
    AddFile file = write("a.parquet", false, WriterVersion.PARQUET_1_0, Long.MAX_VALUE / 1_000_003 / 2, "x", null);
    DataFileReader reader = reader();
    Aggregator aggregator = new Aggregator(reader, new Aggregation(List.of(), List.of(Call.of(Function.SUM, "wide"))));
    DeltaException e = assertThrows(DeltaException.class, () -> aggregator.add(file));
    assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, e.state());
    assertEquals("Numeric value out of range in SUM: the sum exceeds the BIGINT range", e.getMessage());
  }

  @Test
  void functionsAndGroupingsOfOtherTypesAreRefused() {
    DataFileReader reader = reader();
    DeltaException maxOfDouble = assertThrows(DeltaException.class,
        () -> new Aggregator(reader, new Aggregation(List.of(), List.of(Call.of(Function.MAX, "d")))));
    assertEquals(SqlState.FEATURE_NOT_SUPPORTED, maxOfDouble.state());
    DeltaException sumOfStrings = assertThrows(DeltaException.class,
        () -> new Aggregator(reader, new Aggregation(List.of(), List.of(Call.of(Function.SUM, "s")))));
    assertEquals(SqlState.FEATURE_NOT_SUPPORTED, sumOfStrings.state());
    assertTrue(sumOfStrings.getMessage().contains("'s'"), sumOfStrings.getMessage());
    DeltaException unknown = assertThrows(DeltaException.class,
        () -> new Aggregator(reader, new Aggregation(List.of("nope"), List.of(Call.countRows()))));
    assertEquals(SqlState.UNDEFINED_COLUMN, unknown.state());
  }

  /** Each table grouped by nothing and by each column it can be, with every function over every column. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.deltasql.core.data.SharedTablesScanTest#tablesWithExpectedRows")
  void sharedTablesAggregateAsTheirRowsFold(String table) {
    Snapshot snapshot = SharedTablesScanTest.snapshot(table);
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, SharedTables.table(table).toString(),
        snapshot.metadata());
    List<AddFile> files = new ArrayList<>(snapshot.activeFiles());
    files.sort(Comparator.comparing(AddFile::path));
    List<Call> calls = new ArrayList<>(List.of(Call.countRows()));
    List<String> groupable = new ArrayList<>();
    for (StructField field : reader.layout().schema().fields()) {
      for (Function function : List.of(Function.COUNT, Function.SUM, Function.SUM0, Function.MIN, Function.MAX)) {
        if (Aggregation.canApply(function, field.type())) {
          calls.add(Call.of(function, field.name()));
        }
      }
      if (Aggregation.canGroupBy(field.type())) {
        groupable.add(field.name());
      }
    }
    List<List<String>> groupings = new ArrayList<>(List.of(List.of()));
    groupable.forEach(column -> groupings.add(List.of(column)));
    for (List<String> groupBy : groupings) {
      Aggregation aggregation = new Aggregation(groupBy, calls);
      Map<List<Object>, List<Object>> expected;
      try {
        expected = fold(reader, files, aggregation);
      } catch (DeltaException rowPathFailure) {
        DeltaException e = assertThrows(DeltaException.class, () -> aggregate(reader, files, aggregation));
        assertEquals(rowPathFailure.state(), e.state(), e.getMessage());
        continue;
      }
      assertEquals(expected, aggregate(reader, files, aggregation), table + " " + groupBy);
    }
  }

  private DataFileReader reader() {
    return new DataFileReader(LocalStorage.INSTANCE, dir.toString(),
        TableLayout.of(TABLE, List.of("part"), ColumnMappingMode.NONE, "t"));
  }

  /** The aggregator's rows by group key, in a map (groups have no order). */
  private static Map<List<Object>, List<Object>> aggregate(DataFileReader reader, List<AddFile> files,
      Aggregation aggregation) {
    Aggregator aggregator = new Aggregator(reader, aggregation);
    files.forEach(aggregator::add);
    Map<List<Object>, List<Object>> result = new HashMap<>();
    int width = aggregation.groupBy().size();
    for (Object[] row : aggregator.rows()) {
      result.put(Arrays.asList(Arrays.copyOf(row, width)), Arrays.asList(Arrays.copyOfRange(row, width, row.length)));
    }
    assertEquals(aggregator.rows().size(), result.size(), "groups are distinct");
    return result;
  }

  /** The aggregation computed over the reader's rows, one at a time in file and row order. */
  private static Map<List<Object>, List<Object>> fold(DataFileReader reader, List<AddFile> files,
      Aggregation aggregation) {
    List<String> columns = new ArrayList<>(aggregation.groupBy());
    int[] positions = new int[aggregation.calls().size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = columns.size();
      aggregation.calls().get(i).column().ifPresent(columns::add);
    }
    Map<List<Object>, Object[]> states = new LinkedHashMap<>();
    if (aggregation.groupBy().isEmpty()) {
      states.put(List.of(), new Object[aggregation.calls().size()]);
    }
    int width = aggregation.groupBy().size();
    for (AddFile file : files) {
      try (RowIterator rows = reader.read(file, columns)) {
        while (rows.hasNext()) {
          Object[] row = rows.next();
          Object[] state = states.computeIfAbsent(Arrays.asList(Arrays.copyOf(row, width)),
              key -> new Object[aggregation.calls().size()]);
          for (int i = 0; i < state.length; i++) {
            Call call = aggregation.calls().get(i);
            Object value = call.column().isPresent() ? row[positions[i]] : null;
            state[i] = step(call.function(), state[i], value);
          }
        }
      }
    }
    Map<List<Object>, List<Object>> result = new HashMap<>();
    states.forEach((key, state) -> {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < state.length; i++) {
        Function function = aggregation.calls().get(i).function();
        Object value = state[i];
        if (value == null && (function == Function.COUNT_ROWS || function == Function.COUNT)) {
          value = 0L;
        } else if (value == null && function == Function.SUM0) {
          value = isDoubleSum(aggregation, i, reader) ? (Object) 0.0 : (Object) 0L;
        }
        values.add(value);
      }
      result.put(key, values);
    });
    return result;
  }

  private static boolean isDoubleSum(Aggregation aggregation, int call, DataFileReader reader) {
    String column = aggregation.calls().get(call).column().orElseThrow();
    return reader.layout().type(reader.layout().requireIndex(column)) == PrimitiveType.DOUBLE;
  }

  /** One row's step of SQL's aggregate {@code function}; the state is null before any value. */
  private static Object step(Function function, Object state, Object value) {
    switch (function) {
      case COUNT_ROWS:
        return state == null ? 1L : (Long) state + 1;
      case COUNT:
        return value == null ? state : state == null ? 1L : (Long) state + 1;
      default:
        break;
    }
    if (value == null) {
      return state;
    }
    if (value instanceof Double d) {
      return (state == null ? 0.0 : (Double) state) + d;
    }
    long v = ((Number) value).longValue();
    if (function == Function.SUM || function == Function.SUM0) {
      try {
        return Math.addExact(state == null ? 0L : (Long) state, v);
      } catch (ArithmeticException e) {
        throw new DeltaException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "sum out of range");
      }
    }
    if (state == null) {
      return value;
    }
    long s = ((Number) state).longValue();
    return (function == Function.MIN ? v < s : v > s) ? value : state;
  }

  /**
   * Writes a file of {@link #ROWS} rows, ids from {@code firstId}, in partition {@code part},
   * with the given deletion vector (or none).
   */
  private AddFile write(String name, boolean dictionary, WriterVersion version, long firstId, String part,
      DeletionVector deleted) throws IOException {
    MessageType schema = MessageTypeParser.parseMessageType(FILE_SCHEMA);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    Path file = dir.resolve(name);
    try (ParquetWriter<Group> writer = PageColumnTest.smallPagesWriter(file, schema, dictionary, 600, version)) {
      for (int r = 0; r < ROWS; r++) {
        long i = firstId + r;
        Group g = groups.newGroup();
        g.add("id", i);
        if (i % 7 != 3) {
          g.add("d", i % 101 == 0 ? -0.0 : i / 8.0 + 0.1);
        }
        if (i % 5 != 0) {
          g.add("q", (int) (i % 13) - 6);
        }
        if (i % 11 != 0) {
          g.add("s", "s" + (i % 17));
        }
        if (i % 9 != 0) {
          g.add("b", i % 2 == 0);
        }
        if (i % 4 != 1) {
          g.add("wide", i * 1_000_003L);
        }
        if (i % 6 != 0) {
          g.add("day", (int) (i % 40));
        }
        // Never NULL, few values: pages of dictionary ids (or plain) without definition levels to test.
        g.add("dense", (i % 10) / 3.0 + 0.01);
        g.add("count", (int) (i % 7));
        writer.write(g);
      }
    }
    Map<String, String> partition = new HashMap<>();
    partition.put("part", part);
    Optional<DeletionVectorDescriptor> dv = Optional.ofNullable(deleted).map(DeletionVector::toInlineDescriptor);
    return new AddFile(name, partition, Files.size(file), 0, true, Optional.empty(), Map.of(), dv,
        Optional.empty(), Optional.empty(), Optional.empty());
  }

}
