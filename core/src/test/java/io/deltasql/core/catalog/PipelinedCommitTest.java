package io.deltasql.core.catalog;

import static io.deltasql.core.catalog.CatalogTest.assertFails;
import static io.deltasql.core.catalog.TestActions.T0;
import static io.deltasql.core.catalog.TestActions.add;
import static io.deltasql.core.catalog.TestActions.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL writes a small commit (adds and a commitInfo, at most
 * {@link CommitWriter#PIPELINE_MAX_ADDS} files) as one pipelined statement, H2 as batches:
 * the same commits leave the same catalog rows on both, version by version (file intervals
 * with re-added files closed, version rows, mirror status), and a lost race or a retried
 * transaction id behaves the same.
 */
class PipelinedCommitTest {
  private static final String[] TXN = {
      "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002",
      "00000000-0000-4000-8000-000000000003", "00000000-0000-4000-8000-000000000004",
      "00000000-0000-4000-8000-000000000005", "00000000-0000-4000-8000-000000000006"};

  @Test
  void pipelinedCommitsLeaveTheRowsOfBatchedCommits() throws SQLException {
    List<List<String>> h2;
    try (CatalogFixture catalog = CatalogBackend.H2.fresh("pipe")) {
      h2 = run(catalog);
    }
    List<List<String>> pg;
    try (CatalogFixture catalog = CatalogBackend.POSTGRESQL.fresh("pipe")) {
      pg = run(catalog);
    }
    assertEquals(h2, pg);
  }

  /** The commit sequence; returns the catalog rows it left (table ids replaced by names). */
  private static List<List<String>> run(CatalogFixture catalog) throws SQLException {
    CatalogStore store = catalog.store();
    long a = store.inTransaction(tx -> {
      TableInfo t = tx.registerTable("main", "a", "/lake/main/a", Map.of());
      tx.commit(CommitRequest.of(t.tableId(), -1, TXN[0], TestActions.create(T0)));
      return t.tableId();
    });
    long b = store.inTransaction(tx -> {
      TableInfo t = tx.registerTable("main", "b", "/lake/main/b", Map.of());
      tx.commit(CommitRequest.of(t.tableId(), -1, TXN[1], TestActions.create(T0)));
      return t.tableId();
    });
    AddFile f1 = add("p=x/f1.parquet", "x", 10);
    AddFile f2 = add("p=y/f2.parquet", "y", 20);
    AddFile f3 = TestActions.withDv(add("p=x/f3.parquet", "x", 30), "dv3", 2);
    // Version 1 of a: three adds (one with a deletion vector), pipelined on PostgreSQL.
    CommitRequest first = CommitRequest.of(a, 0, TXN[2], TestActions.commit(T0 + 1, "WRITE", f1, f2, f3));
    assertEquals(1, store.commit(first).version());
    // Version 2 of a and 1 of b in one commit: f1 re-added with new statistics closes its row.
    AddFile f1again = add("p=x/f1.parquet", "x", 11);
    AddFile f4 = add("p=y/f4.parquet", "y", 40);
    List<CommitResult> both = store.commitAll(List.of(
        CommitRequest.of(a, 1, TXN[3], TestActions.commit(T0 + 2, "WRITE", f1again, f4)),
        CommitRequest.of(b, 0, TXN[3], TestActions.commit(T0 + 2, "WRITE", f4)).asAlreadyMirrored()));
    assertEquals(List.of(2L, 1L), both.stream().map(CommitResult::version).toList());
    // A remove takes the batched path on every database.
    assertEquals(3, store.commit(CommitRequest.of(a, 2, TXN[4], TestActions.commit(T0 + 3, "DELETE",
        remove(f2, T0 + 3)))).version());
    // More adds than one pipelined statement carries: batches.
    List<Action> many = new ArrayList<>();
    many.add(TestActions.commitInfo(T0 + 4, "WRITE"));
    for (int i = 0; i <= CommitWriter.PIPELINE_MAX_ADDS; i++) {
      many.add(add("p=z/m" + i + ".parquet", "z", 100 + i));
    }
    assertEquals(4, store.commit(CommitRequest.of(a, 3, TXN[5], many)).version());

    // The same transaction id again: its recorded result, nothing written.
    CommitResult again = store.commit(first);
    assertTrue(again.alreadyCommitted());
    assertEquals(1, again.version());
    // A commit on a version that moved on: a lost race, nothing written.
    assertFails(SqlState.SERIALIZATION_FAILURE, () -> store.commit(CommitRequest.of(a, 1, TestActions.txnId(),
        TestActions.commit(T0 + 5, "WRITE", add("p=x/lost.parquet", "x", 1)))));
    assertFalse(store.snapshot(a).files().values().stream().anyMatch(f -> f.path().contains("lost")));
    assertEquals(4, store.snapshot(a).version());
    assertEquals(2 + CommitWriter.PIPELINE_MAX_ADDS + 1 + 1, store.snapshot(a).files().size()); // f1', f3, f4, m*
    assertEquals(11, store.snapshotAt(a, 2).files().values().stream().filter(f -> f.path().equals(f1.path()))
        .findFirst().orElseThrow().size());

    String ids = "CASE table_id WHEN " + a + " THEN 'a' WHEN " + b + " THEN 'b' END";
    List<List<String>> rows = new ArrayList<>();
    try (Connection c = catalog.rawConnection()) {
      rows.addAll(query(c, "SELECT " + ids + ", path, dv_id, add_version, add_seq, remove_version, size_bytes, stats, "
          + "partition_values, dv_cardinality FROM delta_files ORDER BY 1, path, add_version"));
      rows.addAll(query(c, "SELECT " + ids + ", version, commit_timestamp, txn_id, operation, operation_parameters, "
          + "commit_info, commit_info_seq, action_count, CASE WHEN is_base THEN 1 ELSE 0 END FROM delta_versions ORDER BY 1, version"));
      rows.addAll(query(c, "SELECT " + ids + ", version, state, attempts FROM delta_mirror_status ORDER BY 1, version"));
      rows.addAll(query(c, "SELECT table_name, current_version, protocol_version, metadata_version FROM delta_tables "
          + "ORDER BY table_name"));
    }
    return rows;
  }

  private static List<List<String>> query(Connection c, String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.add(String.valueOf(rs.getString(i)));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
