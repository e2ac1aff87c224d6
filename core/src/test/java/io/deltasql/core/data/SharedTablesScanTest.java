package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.KernelFacts;
import io.deltasql.core.testing.SharedTables;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared table's latest snapshot, scanned through {@link TableScanner}, against the rows
 * Spark wrote to {@code expected/} (compared as multisets) and the row counts Delta Kernel read.
 */
class SharedTablesScanTest {
  /** Kernel read these but their data cannot be read by anyone from the copies we have. */
  private static final String MISSING_DV_FILE = "table-with-dv-large";

  static Stream<String> tablesWithExpectedRows() {
    return SharedTables.readable().stream()
        .filter(t -> Files.isDirectory(SharedTables.expected(t)));
  }

  static Stream<Arguments> kernelFacts() {
    return KernelFacts.all().values().stream().map(f -> Arguments.of(f.table(), f.rows()));
  }

  static Snapshot snapshot(String table) {
    return DeltaLog.open(LocalStorage.INSTANCE, SharedTables.table(table).toString()).snapshot();
  }

  static TableScanner scanner(String table) {
    return new TableScanner(LocalStorage.INSTANCE, SharedTables.table(table).toString(),
        snapshot(table));
  }

  @Test
  void thereAreThirtyOneTablesWithExpectedRows() {
    assertEquals(31, tablesWithExpectedRows().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tablesWithExpectedRows")
  void latestSnapshotHoldsExactlyTheExpectedRows(String table) {
    TableScanner scanner = scanner(table);
    List<Object[]> actual = scanner.rows().toList();
    List<Object[]> expected = ExpectedRows.read(SharedTables.expected(table),
        scanner.layout().schema());
    if (table.equals("data-reader-partition-values")) {
      expected = shiftPacificPartitionTimestamps(scanner.layout(), expected);
    }
    Map<Object, Long> want = Rows.multiset(expected);
    Map<Object, Long> got = Rows.multiset(actual);
    assertEquals(expected.size(), actual.size(), "row count of " + table);
    assertEquals(Rows.render(want), Rows.render(got), "rows of " + table);
    assertEquals(want, got);
  }

  /**
   * {@code data-reader-partition-values} stores the timestamp partition value
   * {@code 2021-09-08 11:11:11} without a zone; Spark wrote {@code expected/} in the session's
   * zone (America/Los_Angeles, UTC-7 that day), while Delta Kernel and deltasql read a
   * zone-less partition timestamp as UTC (delta-kernel-rs skips this table for that reason).
   * The expected value is moved to UTC.
   */
  private static List<Object[]> shiftPacificPartitionTimestamps(TableLayout layout,
      List<Object[]> rows) {
    int column = layout.requireIndex("as_timestamp");
    for (Object[] row : rows) {
      if (row[column] != null) {
        row[column] = ((Instant) row[column]).minus(Duration.ofHours(7));
      }
    }
    return rows;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelFacts")
  void liveRowCountsAgreeWithKernel(String table, long kernelRows) {
    if (table.equals(MISSING_DV_FILE)) {
      return;
    }
    try (RowIterator rows = scanner(table).rows()) {
      long count = 0;
      while (rows.hasNext()) {
        rows.next();
        count++;
      }
      assertEquals(kernelRows, count, "live rows of " + table);
    }
  }

  @Test
  void aMissingDeletionVectorFileIsAnIoErrorNamingIt() {
    DeltaException e = assertThrows(DeltaException.class,
        () -> scanner(MISSING_DV_FILE).rows().toList());
    assertEquals(SqlState.IO_ERROR, e.state());
    assertTrue(e.getMessage().contains("deletion_vector_"), e.getMessage());
    assertTrue(e.getMessage().contains(".bin"), e.getMessage());
  }
}
