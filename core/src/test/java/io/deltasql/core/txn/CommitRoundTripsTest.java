package io.deltasql.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.CatalogBackend;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many catalog statements a small commit sends: counted by H2's
 * {@code INFORMATION_SCHEMA.QUERY_STATISTICS} around one warm commit of one appended file per
 * table, mirror off. H2 counts every row of a JDBC batch; PostgreSQL, whose catalog SQL is the
 * same, gets each batch in one round trip, so the distinct statements are its round trips.
 * Bounds, so that a change adding statements to the commit path is seen (before the
 * round-trip work of 2026-12-02: 11 statements and the commit for one table, 21 and the
 * commit for two; 7 and the commit after it; 6 since the cut also reads what the commit
 * checks, 2026-12-03; 5 since the writer tells the catalog which added files replace an
 * active one, so that new paths are not looked up, session 7; 4 when the writer holds the
 * tables from its own last commit and reads nothing first, session 8); the statements themselves
 * are logged. PostgreSQL sends the writes of such a small commit (compare-and-sets to mirror
 * status) as one pipelined statement ({@code PipelinedCommitTest}): the cut, the writes and the
 * commit, three round trips; two when the writer holds the tables.
 */
class CommitRoundTripsTest {
  private static final Logger LOG = LoggerFactory.getLogger(CommitRoundTripsTest.class);

  /**
   * Statement executions (a batch counts once per row) during one READ COMMITTED commit to
   * {@code tables} tables, by the writer that made the previous commit to them ({@code held}),
   * or by another writer of the same catalog that has only read them (its own cache, at their
   * current versions: the commit needs no version read back).
   */
  private static Map<String, Long> statementsOfOneCommit(int tables, boolean held) throws SQLException {
    try (WriterFixture f = new WriterFixture(CatalogBackend.H2, "roundtrips")) {
      MultiTableWriter previous = f.writer();
      List<TableRef> refs = new java.util.ArrayList<>();
      for (int i = 0; i < tables; i++) {
        refs.add(f.createTable(previous, WriterFixture.file("a" + i + ".parquet")));
      }
      appendToAll(f, previous, refs, "warm"); // caches, pooled connections and their statements warm
      MultiTableWriter writer = previous;
      if (!held) {
        writer = f.writer();
        MultiTableTransaction read = writer.begin();
        writer.snapshotsFor(read, refs.stream().map(TableRef::tableId).toList());
        writer.rollback(read);
      }
      Map<TableRef, Long> versions = new LinkedHashMap<>();
      refs.forEach(ref -> versions.put(ref, f.version(ref)));
      try (Connection raw = f.catalog().rawConnection(); Statement s = raw.createStatement()) {
        s.execute("SET QUERY_STATISTICS TRUE");
        s.execute("SET QUERY_STATISTICS FALSE");
        s.execute("SET QUERY_STATISTICS TRUE"); // cleared: only what follows is counted
        appendToAll(writer, versions, "counted");
        Map<String, Long> counts = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT, EXECUTION_COUNT FROM "
            + "INFORMATION_SCHEMA.QUERY_STATISTICS ORDER BY SQL_STATEMENT")) {
          while (rs.next()) {
            String sql = rs.getString(1);
            if (!sql.contains("QUERY_STATISTICS")) {
              counts.put(sql, rs.getLong(2));
            }
          }
        }
        s.execute("SET QUERY_STATISTICS FALSE");
        LOG.info("statements of one {}-table commit: {}", tables, counts);
        return counts;
      }
    }
  }

  /** Appends a file to every table in one transaction (the versions read before it begins). */
  private static void appendToAll(WriterFixture f, MultiTableWriter writer, List<TableRef> refs, String prefix) {
    Map<TableRef, Long> versions = new LinkedHashMap<>();
    refs.forEach(ref -> versions.put(ref, f.version(ref)));
    appendToAll(writer, versions, prefix);
  }

  private static void appendToAll(MultiTableWriter writer, Map<TableRef, Long> versions, String prefix) {
    MultiTableTransaction tx = writer.begin(IsolationLevel.READ_COMMITTED, 0);
    versions.forEach((ref, version) ->
        tx.addFiles(ref.key(), version, List.of(WriterFixture.file(prefix + "-" + ref.tableId() + ".parquet"))));
    writer.commit(tx);
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * The writer holds the table from its own last commit: the compare-and-set (which also
   * checks divergence and the mirror backlog); the version, the file, the mirror status; the
   * commit. Nothing is read first, and no probe for replaced files: the writer knows from its
   * snapshot that the added file is new to the table.
   */
  @Test
  void oneTableCommitOfAHeldTableSendsFourStatementsAndTheCommit() throws SQLException {
    Map<String, Long> counts = statementsOfOneCommit(1, true);
    assertEquals(5, total(counts), () -> "statements of a one-table commit: " + counts);
    assertEquals(1, counts.get("COMMIT"), () -> "statements of a one-table commit: " + counts);
    assertFalse(counts.keySet().stream().anyMatch(sql -> sql.startsWith("SELECT")),
        () -> "a read before the writes in: " + counts);
    assertFalse(counts.keySet().stream().anyMatch(sql -> sql.contains("UNNEST")),
        () -> "a replaced-file probe in: " + counts);
  }

  /**
   * A writer that has not committed to the table: the cut with the rows, mirror backlog,
   * transaction id and previous timestamp, then the same writes and the commit.
   */
  @Test
  void oneTableCommitOfATableNotHeldSendsTheCutFirst() throws SQLException {
    Map<String, Long> counts = statementsOfOneCommit(1, false);
    assertEquals(6, total(counts), () -> "statements of a one-table commit: " + counts);
    assertEquals(1, counts.keySet().stream().filter(sql -> sql.startsWith("SELECT")).count(),
        () -> "statements of a one-table commit: " + counts);
  }

  /** The same statements, each once for both tables (a batch of two rows). */
  @Test
  void twoTableCommitSendsEachStatementOnceForBothTables() throws SQLException {
    Map<String, Long> counts = statementsOfOneCommit(2, true);
    assertEquals(5, counts.size(), () -> "distinct statements of a two-table commit: " + counts);
    assertTrue(total(counts) <= 9, () -> "statements of a two-table commit: " + counts);
    counts.forEach((sql, n) -> assertTrue(n <= 2, () -> "more than one execution per table: " + sql + " " + n));
  }
}
