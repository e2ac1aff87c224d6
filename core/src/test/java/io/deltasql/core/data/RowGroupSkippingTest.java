package io.deltasql.core.data;

import static io.deltasql.core.data.TestTables.field;
import static io.deltasql.core.data.TestTables.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row groups and files are skipped when their statistics or partition values rule a filter out. */
class RowGroupSkippingTest {
  static final StructType SCHEMA = struct(field("k", PrimitiveType.LONG),
      field("d", PrimitiveType.DOUBLE), field("s", PrimitiveType.STRING),
      field("part", PrimitiveType.INTEGER));

  @TempDir
  Path dir;
  Metadata metadata;
  List<AddFile> files;

  /** 1000 rows sorted by k in row groups of 10 rows; part = k / 500. */
  @BeforeEach
  void write() {
    metadata = TestTables.metadata(SCHEMA, List.of("part"));
    List<Object[]> rows = IntStream.range(0, 1000).mapToObj(k -> new Object[] {(long) k,
        k % 100 == 0 ? Double.NaN : (double) k, k % 2 == 0 ? null : "s" + (1000 + k), k / 500})
        .toList();
    files = DataFileWriter.of(LocalStorage.INSTANCE, dir.toString(), metadata,
        WriteOptions.DEFAULTS.withRowGroupRowLimit(10)).write(rows);
    assertEquals(2, files.size());
  }

  /**
   * The rows of the row groups read. Only the partition column is read, so that no data column
   * is decoded and rows are not filtered one by one (see {@link RowFilteringTest}).
   */
  private int count(Predicate filter) {
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, dir.toString(), metadata);
    return files.stream().mapToInt(f -> reader.read(f, List.of("part"), filter).toList().size())
        .sum();
  }

  @Test
  void rangesOnSortedDataReadOnlyTheirRowGroups() {
    assertEquals(10, count(Predicate.eq("k", 5L)));
    assertEquals(20, count(Predicate.lt("k", 15L)));
    assertEquals(10, count(Predicate.ge("k", 995L)));
    assertEquals(0, count(Predicate.gt("k", 5000L)));
    assertEquals(20, count(Predicate.or(Predicate.eq("k", 5L), Predicate.eq("k", 995L))));
    assertEquals(0, count(Predicate.and(Predicate.eq("k", 5L), Predicate.eq("k", 995L))));
    assertEquals(10, count(Predicate.lt("s", "s1010")));
  }

  @Test
  void partitionValuesSkipWholeFiles() {
    assertEquals(500, count(Predicate.eq("part", 1)));
    assertEquals(0, count(Predicate.isNull("part")));
    assertEquals(1000, count(Predicate.isNotNull("part")));
    assertEquals(10, count(Predicate.and(Predicate.eq("part", 0), Predicate.le("k", 9L))));
  }

  @Test
  void nullCountsDecideIsNull() {
    assertEquals(1000, count(Predicate.isNull("s")), "every row group has nulls");
    assertEquals(0, count(Predicate.isNull("k")));
  }

  @Test
  void floatingBoundsNeverSkipGreaterThanNorNaN() {
    assertEquals(1000, count(Predicate.gt("d", 5000.0)), "NaN may hide from statistics");
    assertEquals(1000, count(Predicate.eq("d", Double.NaN)));
    assertEquals(10, count(Predicate.le("d", 3.0)));
  }

  @Test
  void aColumnTheFileLacksIsNull() {
    StructType wider = struct(field("k", PrimitiveType.LONG), field("d", PrimitiveType.DOUBLE),
        field("s", PrimitiveType.STRING), field("part", PrimitiveType.INTEGER),
        field("added", PrimitiveType.LONG));
    metadata = TestTables.metadata(wider, List.of("part"));
    assertEquals(0, count(Predicate.eq("added", 1L)));
    assertEquals(1000, count(Predicate.isNull("added")));
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, dir.toString(), metadata);
    Object[] row = reader.read(files.get(0)).next();
    assertEquals(null, row[4]);
  }

  @Test
  void badPredicatesAreRefused() {
    assertEquals(SqlState.DATATYPE_MISMATCH, assertThrows(DeltaException.class,
        () -> count(Predicate.eq("k", 5))).state());
    assertEquals(SqlState.UNDEFINED_COLUMN, assertThrows(DeltaException.class,
        () -> count(Predicate.eq("nope", 5L))).state());
  }
}
