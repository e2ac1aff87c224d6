package io.deltasql.core.catalog;

import static io.deltasql.core.catalog.CatalogTest.assertFails;
import static io.deltasql.core.catalog.TestActions.T0;
import static io.deltasql.core.catalog.TestActions.add;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A commit request that knows which of its added files replace an active one
 * ({@link CommitRequest#replacedFiles}) is written without looking the added paths up: the
 * files it names have their active rows closed, the others are inserted as new, and a claim
 * that is wrong is refused by the catalog's one-active-row index, never written.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class ReplacedFilesTest {
  @Parameter
  CatalogBackend backend;

  private static final AddFile F1 = add("p=x/f1.parquet", "x", 10);
  private static final AddFile F2 = add("p=y/f2.parquet", "y", 20);

  @Test
  void theNamedReplacedFileIsClosedAndTheOthersAreAddedAsNew() throws SQLException {
    try (CatalogFixture catalog = backend.fresh("replaced")) {
      TableInfo table = CatalogTest.createTable(catalog.store(), "r");
      commit(catalog, CommitRequest.of(table.tableId(), 0, TestActions.txnId(),
          TestActions.commit(T0 + 1, "WRITE", F1, F2)).withReplacedFiles(Set.of()));
      AddFile f1again = add(F1.path(), "x", 11);
      AddFile f3 = add("p=x/f3.parquet", "x", 30);
      List<String> probes = commit(catalog, CommitRequest.of(table.tableId(), 1, TestActions.txnId(),
          TestActions.commit(T0 + 2, "WRITE", f1again, f3)).withReplacedFiles(Set.of(F1.fileKey())));

      assertEquals(List.of(
          F1.path() + " added 1 removed 2", F1.path() + " added 2 removed null",
          f3.path() + " added 2 removed null", F2.path() + " added 1 removed null"), fileRows(catalog));
      assertEquals(11, catalog.store().snapshot(table.tableId()).files().get(F1.fileKey()).size());
      assertEquals(List.of(), probes, "a request that knows its replaced files has no path looked up");
    }
  }

  @Test
  void aClaimThatNothingIsReplacedNeverLeavesTwoActiveRowsOfAFile() throws SQLException {
    try (CatalogFixture catalog = backend.fresh("replaced")) {
      TableInfo table = CatalogTest.createTable(catalog.store(), "r");
      commit(catalog, CommitRequest.of(table.tableId(), 0, TestActions.txnId(),
          TestActions.commit(T0 + 1, "WRITE", F1, F2)));
      CommitRequest wrong = CommitRequest.of(table.tableId(), 1, TestActions.txnId(),
          TestActions.commit(T0 + 2, "WRITE", add(F1.path(), "x", 11))).withReplacedFiles(Set.of());

      assertFails(SqlState.SERIALIZATION_FAILURE, () -> catalog.store().commit(wrong));
      assertEquals(List.of(F1.path() + " added 1 removed null", F2.path() + " added 1 removed null"),
          fileRows(catalog));
      assertEquals(1, catalog.store().currentVersion(table.tableId()));
    }
  }

  /**
   * Commits {@code request}; on H2 returns the replaced-file probes the commit ran (H2's
   * statement statistics), on PostgreSQL, which gets the same decisions, an empty list.
   */
  private List<String> commit(CatalogFixture catalog, CommitRequest request) throws SQLException {
    if (backend != CatalogBackend.H2) {
      catalog.store().commit(request);
      return List.of();
    }
    try (Connection raw = catalog.rawConnection(); Statement s = raw.createStatement()) {
      s.execute("SET QUERY_STATISTICS TRUE");
      s.execute("SET QUERY_STATISTICS FALSE");
      s.execute("SET QUERY_STATISTICS TRUE"); // cleared: only the commit is counted
      catalog.store().commit(request);
      List<String> probes = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
        while (rs.next()) {
          if (rs.getString(1).equals(CommitWriter.ACTIVE_BY_PATHS)) {
            probes.add(rs.getString(1));
          }
        }
      }
      s.execute("SET QUERY_STATISTICS FALSE");
      return probes;
    }
  }

  private static List<String> fileRows(CatalogFixture catalog) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = catalog.rawConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT path, add_version, remove_version FROM delta_files ORDER BY path, add_version");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " added " + rs.getLong(2) + " removed " + rs.getString(3));
      }
    }
    return rows;
  }
}
