package io.deltasql.core.data;

import static io.deltasql.core.data.TestTables.field;
import static io.deltasql.core.data.TestTables.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of top-level primitive columns leave out the rows a predicate rules out, one by one;
 * never a row it may match. Each case compares the rows read with the rows of the data for which
 * the predicate holds as SQL has it.
 */
class RowFilteringTest {
  /** k, d (NaN every 100th), s (null every other), day, part = k / 500 (partition). */
  static final StructType SCHEMA = struct(field("k", PrimitiveType.LONG),
      field("d", PrimitiveType.DOUBLE), field("s", PrimitiveType.STRING),
      field("day", PrimitiveType.DATE), field("part", PrimitiveType.INTEGER));
  static final List<String> COLUMNS = List.of("k", "d", "s", "day", "part");

  @TempDir
  Path dir;
  Metadata metadata;
  List<Object[]> rows;
  List<AddFile> files;

  /** 1000 rows in two files (one per partition), row groups of 100 rows, values unsorted. */
  @BeforeEach
  void write() {
    write(SCHEMA, Map.of());
  }

  private void write(StructType schema, Map<String, String> configuration) {
    metadata = TestTables.metadata(schema, List.of("part"), configuration);
    rows = IntStream.range(0, 1000).mapToObj(i -> {
      long k = (i * 7919L) % 1000;
      return new Object[] {k, k % 100 == 0 ? Double.NaN : k / 10.0, k % 2 == 0 ? null : "s" + k,
          LocalDate.of(2024, 1, 1).plusDays(k % 30), (int) (k / 500)};
    }).toList();
    files = DataFileWriter.of(LocalStorage.INSTANCE, dir.toString(), metadata,
        WriteOptions.DEFAULTS.withRowGroupRowLimit(100)).write(rows);
    assertEquals(2, files.size());
  }

  private List<Long> keys(List<String> columns, Predicate filter) {
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, dir.toString(), metadata);
    int k = columns.indexOf("k");
    List<Long> keys = new ArrayList<>();
    for (AddFile file : files) {
      reader.read(file, columns, filter).forEachRemaining(row -> keys.add((Long) row[k]));
    }
    return keys.stream().sorted().toList();
  }

  private List<Long> expected(java.util.function.Predicate<Object[]> holds) {
    return rows.stream().filter(holds).map(r -> (Long) r[0]).sorted().toList();
  }

  private void assertExact(Predicate filter, java.util.function.Predicate<Object[]> holds) {
    assertEquals(expected(holds), keys(COLUMNS, filter), filter.toString());
  }

  @Test
  void comparisonsOfNumbersAndDatesLeaveOutExactlyTheRowsThatDoNotMatch() {
    assertExact(Predicate.lt("k", 15L), r -> (Long) r[0] < 15);
    assertExact(Predicate.eq("k", 500L), r -> (Long) r[0] == 500);
    assertExact(Predicate.le("d", 3.5), r -> (Double) r[1] <= 3.5);
    assertExact(Predicate.ge("day", LocalDate.of(2024, 1, 29)),
        r -> !((LocalDate) r[3]).isBefore(LocalDate.of(2024, 1, 29)));
    assertExact(Predicate.and(Predicate.eq("part", 1),
        Predicate.lt("k", 510L)), r -> (Long) r[0] >= 500 && (Long) r[0] < 510);
    assertExact(Predicate.or(Predicate.lt("k", 3L),
        Predicate.gt("k", 996L)), r -> (Long) r[0] < 3 || (Long) r[0] > 996);
  }

  @Test
  void nullsMatchOnlyIsNull() {
    assertExact(Predicate.isNull("s"), r -> r[2] == null);
    assertExact(Predicate.isNotNull("s"), r -> r[2] != null);
    assertExact(Predicate.eq("s", "s7"), r -> "s7".equals(r[2]));
  }

  @Test
  void whatCannotBeJudgedExactlyIsKept() {
    // NaN is above every number in the files' order, and SQL's k > x is false for it: kept.
    List<Long> greater = keys(COLUMNS, Predicate.gt("d", 99.0));
    assertEquals(expected(r -> Double.isNaN((Double) r[1]) || (Double) r[1] > 99.0), greater);
    // Strings compare by code point here; not every caller does, so no row is left out.
    List<Long> before = keys(COLUMNS, Predicate.lt("s", "s2"));
    assertTrue(before.containsAll(expected(r -> r[2] != null && ((String) r[2]).compareTo("s2") < 0)));
    assertEquals(500, before.size(), "partition 0's row groups, whole (partition 1 holds only s5…)");
    // A filter on a column that is not read leaves out no row of the row groups read.
    List<Long> unread = keys(List.of("k", "s"), Predicate.lt("d", 1.0));
    assertTrue(unread.containsAll(expected(r -> (Double) r[1] < 1.0)));
    assertEquals(0, unread.size() % 100, "whole row groups of 100 rows");
  }

  @Test
  void deletedRowsStayDeletedAndTheOthersAligned() {
    AddFile first = files.get(0);
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, dir.toString(), metadata);
    List<Object[]> all = reader.read(first, COLUMNS, null).toList();
    long[] deleted = IntStream.range(0, all.size()).filter(i -> i % 3 == 0).asLongStream().toArray();
    AddFile withDv = new AddFile(first.path(), first.partitionValues(), first.size(),
        first.modificationTime(), true, first.stats(), first.tags(),
        Optional.of(DeletionVector.of(deleted).toInlineDescriptor()), Optional.empty(),
        Optional.empty(), Optional.empty());
    List<Object[]> live = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (i % 3 != 0 && (Long) all.get(i)[0] < 100) {
        live.add(all.get(i));
      }
    }
    List<Object[]> read = reader.read(withDv, COLUMNS, Predicate.lt("k", 100L))
        .toList();
    assertEquals(live.size(), read.size());
    for (int i = 0; i < live.size(); i++) {
      assertEquals(Arrays.asList(live.get(i)), Arrays.asList(read.get(i)), "row " + i);
    }
  }

  @Test
  void columnMappingFindsTheFilteredColumnByItsPhysicalName() {
    write(TestTables.withColumnMapping(SCHEMA), Map.of("delta.columnMapping.mode", "name",
        "delta.columnMapping.maxColumnId", "5"));
    assertExact(Predicate.lt("k", 15L), r -> (Long) r[0] < 15);
    assertExact(Predicate.le("d", 3.5), r -> (Double) r[1] <= 3.5);
  }

  @Test
  void nestedProjectionsAreReadWholeAndStillCorrect() {
    StructType nested = struct(field("k", PrimitiveType.LONG),
        field("p", struct(field("x", PrimitiveType.DOUBLE))), field("part", PrimitiveType.INTEGER));
    metadata = TestTables.metadata(nested, List.of("part"));
    files = DataFileWriter.of(LocalStorage.INSTANCE, dir.toString(), metadata,
        WriteOptions.DEFAULTS.withRowGroupRowLimit(100)).write(IntStream.range(0, 300)
        .mapToObj(i -> new Object[] {(long) i, new Object[] {i / 2.0}, 0}).toList());
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, dir.toString(), metadata);
    List<Object[]> read = reader.read(files.get(0), List.of("k", "p"),
        Predicate.lt("k", 5L)).toList();
    assertEquals(100, read.size(), "the first row group, whole");
    assertEquals(4.5, ((Object[]) read.get(9)[1])[0]);
  }
}
