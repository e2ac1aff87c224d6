package io.deltasql.core.mirror;

import io.deltasql.core.catalog.CatalogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tables of one test: each in its own folder under a fresh temporary root, registered
 * in a shared catalog. Closing drops them from the catalog (so that no later test's
 * reconcile finds them) and deletes the folder.
 */
final class Lake implements AutoCloseable {
  private final CatalogStore store;
  private final Path root;
  private final List<TestTable> tables = new ArrayList<>();

  Lake(CatalogStore store) {
    this.store = store;
    try {
      this.root = Files.createTempDirectory("deltasql-mirror-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  CatalogStore store() {
    return store;
  }

  /** A new table with the default Delta configuration. */
  TestTable table() {
    return table(Map.of());
  }

  /** A new table whose Delta configuration adds {@code configuration}. */
  TestTable table(Map<String, String> configuration) {
    TestTable table = TestTable.create(store, nextLocation(), configuration);
    tables.add(table);
    return table;
  }

  /** A new table whose version 0 is recorded as already in its log (an import). */
  TestTable importedTable() {
    TestTable table = TestTable.create(store, nextLocation(), Map.of(), true);
    tables.add(table);
    return table;
  }

  private String nextLocation() {
    return root.resolve("t" + tables.size()).toAbsolutePath().toString();
  }

  @Override
  public void close() {
    for (TestTable table : tables) {
      try {
        store.dropTable(table.id());
      } catch (RuntimeException e) {
        // the catalog may already be closed: its fixture drops everything
      }
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
