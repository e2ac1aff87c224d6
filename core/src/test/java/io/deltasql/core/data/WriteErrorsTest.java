package io.deltasql.core.data;

import static io.deltasql.core.data.TestTables.field;
import static io.deltasql.core.data.TestTables.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.FailingStorage;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A refused value fails the whole write with an error naming the column and the row, and no
 * data file of the write is left, even files already finished before the bad row.
 */
class WriteErrorsTest {
  static final StructType SCHEMA = struct(
      field("id", PrimitiveType.LONG, false),
      field("n", PrimitiveType.INTEGER),
      field("price", new DecimalType(5, 2)),
      field("at", PrimitiveType.TIMESTAMP),
      field("name", PrimitiveType.STRING),
      field("point", struct(field("x", PrimitiveType.DOUBLE, false))),
      field("tags", new ArrayType(PrimitiveType.STRING, false)),
      field("attrs", new MapType(PrimitiveType.STRING, PrimitiveType.LONG, true)),
      field("part", PrimitiveType.STRING, false));
  static final Object[] GOOD = {1L, 2, new BigDecimal("3.50"), Instant.parse("2024-01-01T00:00:00Z"),
      "n", new Object[] {1.0}, List.of("t"), Map.of("k", 1L), "p"};

  @TempDir
  Path dir;

  static Object[] bad(int column, Object value) {
    return TestTables.with(GOOD, column, value);
  }

  static Stream<Arguments> badRows() {
    Map<String, Long> nullKey = new HashMap<>();
    nullKey.put(null, 1L);
    return Stream.of(
        Arguments.of(bad(0, null), SqlState.NOT_NULL_VIOLATION, "'id'"),
        Arguments.of(bad(8, null), SqlState.NOT_NULL_VIOLATION, "'part'"),
        Arguments.of(bad(5, new Object[] {null}), SqlState.NOT_NULL_VIOLATION, "'point.x'"),
        Arguments.of(bad(6, Arrays.asList("a", null)), SqlState.NOT_NULL_VIOLATION,
            "'tags.element'"),
        Arguments.of(bad(7, nullKey), SqlState.NOT_NULL_VIOLATION, "'attrs.key'"),
        Arguments.of(bad(1, "12"), SqlState.DATATYPE_MISMATCH, "'n'"),
        Arguments.of(bad(0, 1), SqlState.DATATYPE_MISMATCH, "'id'"),
        Arguments.of(bad(3, LocalDate.of(2024, 1, 1)), SqlState.DATATYPE_MISMATCH, "'at'"),
        Arguments.of(bad(5, new Object[] {1.0f}), SqlState.DATATYPE_MISMATCH, "'point.x'"),
        Arguments.of(bad(5, new Object[] {1.0, 2.0}), SqlState.DATA_EXCEPTION, "'point'"),
        Arguments.of(bad(2, new BigDecimal("1000.00")), SqlState.DATA_EXCEPTION, "'price'"),
        Arguments.of(bad(2, new BigDecimal("1.005")), SqlState.DATA_EXCEPTION, "'price'"),
        Arguments.of(bad(3, Instant.parse("2024-01-01T00:00:00.000000001Z")),
            SqlState.DATA_EXCEPTION, "'at'"),
        Arguments.of(bad(4, "broken \uD800 surrogate"), SqlState.DATA_EXCEPTION, "'name'"),
        Arguments.of(Arrays.copyOf(GOOD, 3), SqlState.DATATYPE_MISMATCH, "3 values"));
  }

  @ParameterizedTest
  @MethodSource("badRows")
  void aBadRowFailsTheWholeWriteAndLeavesNoFile(Object[] badRow, SqlState state, String names) {
    Metadata metadata = TestTables.metadata(SCHEMA, List.of("part"));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      rows.add(TestTables.with(TestTables.with(GOOD, 0, (long) i), 8, "p" + (i % 3)));
    }
    rows.add(badRow);
    DataFileWriter writer = DataFileWriter.of(LocalStorage.INSTANCE, dir.toString(), metadata,
        WriteOptions.DEFAULTS.withTargetFileSize(8 * 1024).withRowGroupRowLimit(100));

    DeltaException e = assertThrows(DeltaException.class, () -> writer.write(rows));

    assertEquals(state, e.state(), e.getMessage());
    assertTrue(e.getMessage().contains(names), e.getMessage());
    if (badRow.length == GOOD.length) {
      assertTrue(e.getMessage().contains("row 3001"), e.getMessage());
    }
    assertEquals(List.of(), FailingStorage.filesLeft(dir), "files left after the failed write");
  }

  /**
   * Storage failing once so many bytes were written: in the first file, in a later one
   * (files already finished must go), and in the last bytes of the write, which only the
   * last file's Parquet footer reaches when the writer closes it. Nothing is left, not even
   * a hidden temporary file.
   */
  @ParameterizedTest
  @ValueSource(longs = {10, 20_000, -4})
  void aStorageFailureFailsTheWholeWriteAndLeavesNoFile(long failAfterBytes) {
    Metadata metadata = TestTables.metadata(SCHEMA, List.of("part"));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      rows.add(TestTables.with(TestTables.with(GOOD, 0, (long) i), 8, "p" + (i % 3)));
    }
    WriteOptions options = WriteOptions.DEFAULTS.withTargetFileSize(8 * 1024).withRowGroupRowLimit(100);
    long limit = failAfterBytes;
    if (limit < 0) {
      Path probe = dir.resolve("probe");
      long total = DataFileWriter.of(LocalStorage.INSTANCE, probe.toString(), metadata, options).write(rows)
          .stream().mapToLong(AddFile::size).sum();
      limit = total + failAfterBytes;
      Path table = dir.resolve("table");
      failAndCheck(new FailingStorage(limit), table, metadata, options, rows);
      return;
    }
    failAndCheck(new FailingStorage(limit), dir, metadata, options, rows);
  }

  private static void failAndCheck(FailingStorage storage, Path table, Metadata metadata, WriteOptions options,
      List<Object[]> rows) {
    DataFileWriter writer = DataFileWriter.of(storage, table.toString(), metadata, options);
    DeltaException e = assertThrows(DeltaException.class, () -> writer.write(rows));
    assertEquals(SqlState.IO_ERROR, e.state(), e.getMessage());
    assertTrue(e.getMessage().contains("injected fault") || String.valueOf(e.getCause()).contains("injected fault"),
        e.getMessage());
    assertEquals(List.of(), FailingStorage.filesLeft(table), "files left after the failed write");
  }
}
