package io.deltasql.core.catalog;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;

import static io.deltasql.core.catalog.TestActions.T0;
import static io.deltasql.core.catalog.TestActions.add;
import static io.deltasql.core.catalog.TestActions.remove;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.table.Snapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The statements the catalog runs for the latest snapshot, a snapshot at a version, a
 * version at a timestamp, history between two timestamps and the files of a partition
 * are index lookups, on both databases, as their own EXPLAIN shows.
 *
 * <p>The catalog is first filled with 20 tables of 50 versions and about 1,100 file rows
 * each (22,000 rows), and statistics are gathered, so that PostgreSQL's cost-based planner
 * prefers an index because it is cheaper, not because sequential scans are disabled. Every
 * commit also sets the table's metadata and protocol, so that those tables hold 1,000 rows,
 * as in a catalog of many tables: with a handful of rows on one page, a sequential scan is
 * PostgreSQL's best plan, and rightly so.
 * H2 plans by rule; its EXPLAIN must name one of our indexes and never a {@code tableScan}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexUsageTest {
  private static final int TABLES = 20;
  private static final int BASE_FILES = 1000;
  private static final int PARTITIONS = 10;
  private static final int VERSIONS = 50;
  private static final String[] STATISTICS_TABLES = {"delta_tables", "delta_versions", "delta_files",
      "delta_protocols", "delta_metadata", "delta_removes", "delta_app_txns", "delta_domains", "delta_mirror_status"};

  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;
  private long tableId;

  @BeforeParameterizedClassInvocation
  void fillCatalog(CatalogBackend backend) throws SQLException {
    catalog = backend.fresh("explain");
    CatalogStore store = catalog.store();
    List<TableInfo> tables = new ArrayList<>();
    List<List<AddFile>> baseFiles = new ArrayList<>();
    for (int t = 0; t < TABLES; t++) {
      TableInfo table = store.registerTable("main", "t" + t, "/lake/main/t" + t, Map.of());
      Map<FileKey, AddFile> files = new LinkedHashMap<>();
      for (int f = 0; f < BASE_FILES; f++) {
        AddFile file = add("base-" + f + ".parquet", "p" + (f % PARTITIONS), 100 + f);
        files.put(file.fileKey(), file);
      }
      Snapshot base = new Snapshot(0, T0, TestActions.protocol(), TestActions.metadata(List.of("p")), files,
          Map.of(), Map.of());
      store.importBase(new BaseVersion(table.tableId(), base, Optional.empty(), "import-t" + t));
      tables.add(table);
      baseFiles.add(List.copyOf(files.values()));
    }
    Metadata metadata = TestActions.metadata(List.of("p"));
    for (int v = 1; v <= VERSIONS; v++) {
      List<CommitRequest> round = new ArrayList<>();
      for (int t = 0; t < TABLES; t++) {
        List<Action> actions = TestActions.commit(T0 + 1000L * v, "WRITE",
            add("v" + v + "-a.parquet", "p" + (v % PARTITIONS), v),
            add("v" + v + "-b.parquet", "p" + ((v + 1) % PARTITIONS), v),
            remove(baseFiles.get(t).get(v), T0 + 1000L * v),
            new Protocol(3, 7, Set.of("deletionVectors"), Set.of("deletionVectors", "feature" + v)),
            metadata.withConfiguration(Map.of("delta.enableInCommitTimestamps", "true", "round", "" + v)));
        round.add(CommitRequest.of(tables.get(t).tableId(), v - 1, "round-" + v, actions));
      }
      store.commitAll(round);
    }
    tableId = tables.get(TABLES / 2).tableId();
    try (Connection c = catalog.rawConnection(); Statement s = c.createStatement()) {
      if (backend == CatalogBackend.H2) {
        s.execute("ANALYZE");
      } else {
        for (String table : STATISTICS_TABLES) {
          s.execute("ANALYZE " + table);
        }
      }
    }
  }

  @AfterParameterizedClassInvocation
  void dropCatalog() {
    catalog.close();
  }

  @Test
  void latestSnapshotFilesUseTheLiveFilesIndex() throws SQLException {
    assertIndexed(SnapshotReader.SELECT_FILES_AT, List.of(tableId, VERSIONS, tableId, VERSIONS, VERSIONS),
        "DELTA_FILES_LIVE_IDX", "DELTA_FILES_ADDED_IDX");
  }

  @Test
  void snapshotAtAnOlderVersionUsesAnIndex() throws SQLException {
    assertIndexed(SnapshotReader.SELECT_FILES_AT, List.of(tableId, 20, tableId, 20, 20),
        "DELTA_FILES_LIVE_IDX", "DELTA_FILES_ADDED_IDX");
  }

  @Test
  void changesAfterAFileImageAreIndexRanges() throws SQLException {
    assertIndexed(SnapshotReader.SELECT_REMOVED_SINCE, List.of(tableId, 20, 25, 20), "DELTA_FILES_LIVE_IDX");
    assertIndexed(SnapshotReader.SELECT_ADDED_SINCE, List.of(tableId, 20, 25, 25), "DELTA_FILES_ADDED_IDX",
        "DELTA_FILES_LIVE_IDX");
  }

  @Test
  void protocolAndMetadataAtAVersionAreKeyLookups() throws SQLException {
    assertIndexed(SnapshotReader.SELECT_METADATA_AT, List.of(tableId, 20), "PRIMARY_KEY");
    assertIndexed(SnapshotReader.SELECT_PROTOCOL_AT, List.of(tableId, 20), "PRIMARY_KEY");
  }

  @Test
  void versionAtATimestampUsesTheTimeIndex() throws SQLException {
    assertIndexed(SnapshotReader.SELECT_VERSION_AT_TIME, List.of(tableId, T0 + 20_500), "DELTA_VERSIONS_TIME_IDX");
  }

  @Test
  void historyBetweenTwoTimestampsUsesTheTimeIndex() throws SQLException {
    assertIndexed(SnapshotReader.SELECT_HISTORY, List.of(tableId, T0 + 20_000, T0 + 25_000), "DELTA_VERSIONS_TIME_IDX");
  }

  @Test
  void filesOfOnePartitionUseThePartitionIndex() throws SQLException {
    String p3 = CatalogJson.canonicalMap(Map.of("p", "p3"));
    assertIndexed(SnapshotReader.SELECT_PARTITION_FILES_AT,
        List.of(tableId, p3, VERSIONS, tableId, p3, VERSIONS, VERSIONS), "DELTA_FILES_PARTITION_IDX");
  }

  /**
   * Right after a bulk import the database has no statistics yet; closing a file's row (run
   * once per add and remove of every commit) must still be a one-row lookup, not a walk of
   * the table's active files: without statistics PostgreSQL picked the live-files index at
   * 100,000 rows, and a 10,000-file commit took two minutes instead of a fraction of a
   * second. The unique index on active rows and the statistics refresh after large writes
   * prevent it. (H2, which analyzes tables itself, is checked on a smaller import.)
   */
  @Test
  void closingAFileIsAKeyLookupRightAfterABulkImport() throws SQLException {
    try (CatalogFixture fresh = backend.fresh("nostats")) {
      long table = load(fresh.store(), "loaded", backend == CatalogBackend.POSTGRESQL ? 100_000 : 20_000);
      assertIndexed(fresh, CommitWriter.CLOSE_FILE, List.of(1, table, "f-7.parquet", ""),
          "DELTA_FILES_ACTIVE_UK", "PRIMARY_KEY");
    }
  }

  /** A table imported with {@code files} files; returns its id. */
  private static long load(CatalogStore store, String name, int files) {
    TableInfo table = store.registerTable("main", name, "/lake/main/" + name, Map.of());
    Map<FileKey, AddFile> active = new LinkedHashMap<>();
    for (int f = 0; f < files; f++) {
      AddFile file = add("f-" + f + ".parquet", "p" + (f % PARTITIONS), f);
      active.put(file.fileKey(), file);
    }
    store.importBase(new BaseVersion(table.tableId(), new Snapshot(0, T0, TestActions.protocol(),
        TestActions.metadata(List.of("p")), active, Map.of(), Map.of()), Optional.empty(), "load-" + name));
    return table.tableId();
  }

  @Test
  void mirroringAndCommittingAreIndexLookups() throws SQLException {
    assertIndexed(SnapshotReader.SELECT_ADDS_OF, List.of(tableId, 20), "DELTA_FILES_ADDED_IDX");
    assertIndexed(CommitWriter.CLOSE_FILE, List.of(VERSIONS + 1, tableId, "base-99.parquet", ""), "DELTA_FILES_ACTIVE_UK", "PRIMARY_KEY");
    assertIndexed(CommitWriter.SELECT_BY_TXN, List.of(tableId, "round-7"), "DELTA_VERSIONS_TXN_UK");
  }

  /**
   * EXPLAINs the statement with real parameter values and checks that every table access
   * goes through an index and that the plan names one of {@code indexes} (written as H2
   * names them; PostgreSQL's are lower case, and a primary key is {@code <table>_pkey}).
   * H2 must show no tableScan; PostgreSQL only index, index-only or bitmap index scans.
   */
  private void assertIndexed(String sql, List<Object> parameters, String... indexes) throws SQLException {
    assertIndexed(catalog, sql, parameters, indexes);
  }

  private void assertIndexed(CatalogFixture on, String sql, List<Object> parameters, String... indexes)
      throws SQLException {
    String plan = explain(on, sql, parameters);
    boolean named = false;
    for (String index : indexes) {
      named |= backend == CatalogBackend.H2
          ? plan.contains(index)
          : plan.contains(index.equals("PRIMARY_KEY") ? "_pkey" : index.toLowerCase(Locale.ROOT));
    }
    assertTrue(named, () -> "none of " + List.of(indexes) + " in:\n" + plan);
    if (backend == CatalogBackend.H2) {
      assertFalse(plan.contains("tableScan"), () -> "table scan in:\n" + plan);
    } else {
      assertFalse(plan.contains("Seq Scan"), () -> "sequential scan in:\n" + plan);
    }
  }

  private static String explain(CatalogFixture on, String sql, List<Object> parameters) throws SQLException {
    try (Connection c = on.rawConnection(); PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        Object value = parameters.get(i);
        if (value instanceof String s) {
          ps.setString(i + 1, s);
        } else {
          ps.setLong(i + 1, ((Number) value).longValue());
        }
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }
}
