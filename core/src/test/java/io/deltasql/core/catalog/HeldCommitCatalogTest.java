package io.deltasql.core.catalog;

import static io.deltasql.core.catalog.CatalogTest.assertFails;
import static io.deltasql.core.catalog.TestActions.T0;
import static io.deltasql.core.catalog.TestActions.add;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link CatalogTransaction#commitAllHeld}: a commit that reads no row first leaves the rows
 * {@link CatalogTransaction#commitAll} leaves, and when a table is not as held (moved on,
 * diverged, too far behind its mirror, already holding the transaction id) it fails with
 * {@code 40001} and writes nothing.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class HeldCommitCatalogTest {
  private static final String[] TXN = {
      "00000000-0000-4000-8000-0000000000a1", "00000000-0000-4000-8000-0000000000a2",
      "00000000-0000-4000-8000-0000000000a3", "00000000-0000-4000-8000-0000000000a4"};

  @Parameter
  CatalogBackend backend;

  /** Tables a and b at version 0, created in {@code store}; their rows, by id. */
  private static Map<Long, TableInfo> twoTables(CatalogStore store) {
    return store.inTransaction(tx -> {
      TableInfo a = tx.registerTable("main", "a", "/lake/main/a", Map.of());
      TableInfo b = tx.registerTable("main", "b", "/lake/main/b", Map.of());
      tx.commit(CommitRequest.of(a.tableId(), -1, TXN[0], TestActions.create(T0)));
      tx.commit(CommitRequest.of(b.tableId(), -1, TXN[0], TestActions.create(T0)));
      return Map.of(a.tableId(), a, b.tableId(), b);
    });
  }

  private static Map<Long, HeldTable> held(Map<Long, TableInfo> tables, long readTimestamp) {
    Map<Long, HeldTable> held = new HashMap<>();
    tables.forEach((id, info) -> held.put(id, new HeldTable(info, readTimestamp)));
    return held;
  }

  /** Version 1 of both tables in one commit, then version 2 of a, held or not. */
  private static List<List<String>> commitTwice(CatalogFixture catalog, boolean asHeld) throws SQLException {
    CatalogStore store = catalog.store();
    Map<Long, TableInfo> tables = twoTables(store);
    long[] ids = tables.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    List<CommitRequest> first = List.of(
        CommitRequest.of(ids[1], 0, TXN[1], TestActions.commit(T0, "WRITE", add("p=x/b1.parquet", "x", 1))),
        CommitRequest.of(ids[0], 0, TXN[1], TestActions.commit(T0, "WRITE", add("p=x/a1.parquet", "x", 2),
            add("p=y/a2.parquet", "y", 3))));
    List<CommitRequest> second = List.of(CommitRequest.of(ids[0], 1, TXN[2],
        TestActions.commit(T0, "WRITE", add("p=x/a3.parquet", "x", 4))).withReplacedFiles(Set.of()));
    // Every in-commit timestamp asks for T0: the catalog raises each above the previous version's.
    List<CommitResult> results = store.inTransaction(tx -> asHeld ? tx.commitAllHeld(first, held(tables, T0), 10)
        : tx.commitAll(first));
    assertEquals(List.of(1L, 1L), results.stream().map(CommitResult::version).toList());
    assertEquals(List.of(T0 + 1, T0 + 1), results.stream().map(CommitResult::timestamp).toList());
    CommitResult a2 = store.inTransaction(tx -> asHeld ? tx.commitAllHeld(second, held(tables, T0 + 1), 10).get(0)
        : tx.commitAll(second).get(0));
    assertEquals(2, a2.version());
    assertEquals(T0 + 2, a2.timestamp());
    return rows(catalog, ids[0]);
  }

  @Test
  void aHeldCommitLeavesTheRowsOfTheUsualOne() throws SQLException {
    List<List<String>> usual;
    try (CatalogFixture catalog = backend.fresh("usual")) {
      usual = commitTwice(catalog, false);
    }
    try (CatalogFixture catalog = backend.fresh("held")) {
      assertEquals(usual, commitTwice(catalog, true));
    }
  }

  @Test
  void aTableNotAsHeldFailsTheCommitAndNothingIsWritten() throws SQLException {
    try (CatalogFixture catalog = backend.fresh("notheld")) {
      CatalogStore store = catalog.store();
      Map<Long, TableInfo> tables = twoTables(store);
      long[] ids = tables.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
      long a = ids[0];
      long b = ids[1];
      List<List<String>> before = rows(catalog, a);
      // Both tables in one commit, not as held each time for another reason.
      List<CommitRequest> both = List.of(
          CommitRequest.of(a, 0, TXN[3], TestActions.commit(T0, "WRITE", add("p=x/a1.parquet", "x", 1))),
          CommitRequest.of(b, 0, TXN[3], TestActions.commit(T0, "WRITE", add("p=x/b1.parquet", "x", 1))));

      // Too far behind its mirror: version 0 of each is pending, a backlog of 0 is allowed.
      assertNotAsHeld(store, both, held(tables, T0), 0);
      assertEquals(before, rows(catalog, a));

      // b diverged.
      store.inTransaction(tx -> {
        tx.setDivergence(b, Optional.of("00000000000000000001.json was written by another writer"));
        return null;
      });
      assertNotAsHeld(store, both, held(tables, T0), 10);
      store.inTransaction(tx -> {
        tx.setDivergence(b, Optional.empty());
        return null;
      });
      assertEquals(before, rows(catalog, a));

      // Moved on: another writer committed version 1 of b.
      store.commit(CommitRequest.of(b, 0, TestActions.txnId(), TestActions.commit(T0, "WRITE",
          add("p=x/other.parquet", "x", 1))));
      List<List<String>> moved = rows(catalog, a);
      assertNotAsHeld(store, both, held(tables, T0), 10);
      assertEquals(moved, rows(catalog, a));

      // The transaction id already recorded (at version 1 of both, by the usual commit).
      assertEquals(List.of(1L), store.commitAll(List.of(both.get(0))).stream().map(CommitResult::version).toList());
      List<List<String>> recorded = rows(catalog, a);
      CommitRequest again = CommitRequest.of(a, 1, TXN[3], TestActions.commit(T0, "WRITE",
          add("p=x/a1.parquet", "x", 1)));
      assertNotAsHeld(store, List.of(again), held(tables, T0 + 1), 10);
      assertEquals(recorded, rows(catalog, a));
    }
  }

  @Test
  void aRequestWithoutAHeldRowIsRefused() {
    try (CatalogFixture catalog = backend.fresh("nohold")) {
      CatalogStore store = catalog.store();
      Map<Long, TableInfo> tables = twoTables(store);
      long a = tables.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
      assertFails(SqlState.INVALID_PARAMETER_VALUE, () -> store.inTransaction(tx -> tx.commitAllHeld(
          List.of(CommitRequest.of(a, 0, TXN[1], TestActions.commit(T0, "WRITE", add("p=x/a1.parquet", "x", 1)))),
          Map.of(), 10)), "no held row");
      assertEquals(0, store.currentVersion(a));
    }
  }

  private static void assertNotAsHeld(CatalogStore store, List<CommitRequest> requests, Map<Long, HeldTable> held,
      long maxUnmirrored) {
    DeltaException e = assertFails(SqlState.SERIALIZATION_FAILURE,
        () -> store.inTransaction(tx -> tx.commitAllHeld(requests, held, maxUnmirrored)), "not as held");
    assertInstanceOf(DeltaException.class, e.getCause());
  }

  /** Every row of the catalog's commit tables, table ids written relative to {@code first}. */
  private static List<List<String>> rows(CatalogFixture catalog, long first) throws SQLException {
    String id = "(table_id - " + first + ")";
    List<List<String>> rows = new ArrayList<>();
    try (Connection c = catalog.rawConnection()) {
      rows.addAll(query(c, "SELECT " + id + ", path, dv_id, add_version, add_seq, remove_version, size_bytes, stats, "
          + "partition_values FROM delta_files ORDER BY 1, path, add_version", 9));
      rows.addAll(query(c, "SELECT " + id + ", version, commit_timestamp, txn_id, operation, operation_parameters, "
          + "commit_info, commit_info_seq, action_count FROM delta_versions ORDER BY 1, version", 9));
      rows.addAll(query(c, "SELECT " + id + ", version, state, attempts FROM delta_mirror_status ORDER BY 1, version",
          4));
      rows.addAll(query(c, "SELECT table_name, current_version, protocol_version, metadata_version, "
          + "CASE WHEN diverged THEN 1 ELSE 0 END FROM delta_tables ORDER BY table_name", 5));
    }
    return rows;
  }

  private static List<List<String>> query(Connection c, String sql, int columns) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(String.valueOf(rs.getString(i)));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
