package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.KernelFacts;
import io.deltasql.core.testing.SharedTables;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For the shared tables that ship no {@code expected/} rows, our scan of the latest snapshot
 * holds the same rows as Delta Kernel's (values, not only counts): ISO-8601 partition
 * timestamps, type widening, Iceberg-compatible column mapping, deletion vectors, null
 * partitions, tables written by delta-rs and old Delta versions.
 */
class SharedTablesAgreeWithKernelTest {
  static Stream<String> tablesWithoutExpectedRows() {
    return KernelFacts.all().keySet().stream()
        .filter(t -> !Files.isDirectory(SharedTables.expected(t)))
        .filter(t -> !t.equals("table-with-dv-large"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tablesWithoutExpectedRows")
  void ourRowsAreKernelsRows(String table) {
    TableScanner scanner = SharedTablesScanTest.scanner(table);
    List<Object[]> ours = scanner.rows().toList();
    List<Object[]> kernel = KernelScan.rows(SharedTables.table(table).toString(),
        scanner.layout().schema(), null);
    assertEquals(Rows.render(Rows.multiset(kernel)), Rows.render(Rows.multiset(ours)), table);
    assertEquals(Rows.multiset(kernel), Rows.multiset(ours), table);
  }
}
