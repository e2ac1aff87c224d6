package io.deltasql.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/** Small helpers shared by the catalog tests. */
final class CatalogTest {
  private CatalogTest() {}

  /** Registers a table partitioned by {@code p} and commits its version 0 at {@code T0}. */
  static TableInfo createTable(CatalogStore store, String prefix) {
    String name = TestActions.tableName(prefix);
    return store.inTransaction(tx -> {
      TableInfo table = tx.registerTable("main", name, "/lake/main/" + name, Map.of("owner", "tests"));
      tx.commit(CommitRequest.of(table.tableId(), -1, TestActions.txnId(), TestActions.create(TestActions.T0)));
      return tx.findTable(table.tableId()).orElseThrow();
    });
  }

  /** Commits the next version of a table on top of {@code readVersion}. */
  static CommitResult commit(CatalogStore store, TableInfo table, long readVersion, List<Action> actions) {
    return store.commit(CommitRequest.of(table.tableId(), readVersion, TestActions.txnId(), actions));
  }

  /** Asserts that {@code executable} fails with {@code state} and a message holding each fragment. */
  static DeltaException assertFails(SqlState state, Executable executable, String... fragments) {
    DeltaException e = assertThrows(DeltaException.class, executable);
    assertEquals(state, e.state(), () -> "state of: " + e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' missing from: " + e.getMessage());
    }
    return e;
  }
}
