package io.deltasql.core.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The index H2 takes for the catalog's key lookups before it has statistics: a fresh catalog
 * whose rows are all written by the open transaction (an import, one large commit). Without
 * schema version 5 H2 took the index of the {@code table_id} foreign key, on that column alone,
 * and read every row of the table per lookup (the import of a table with 50k tombstones did not
 * end). Each statement's plan must look its rows up by their key.
 */
class H2IndexChoiceTest {
  private static final Pattern INDEX_CONDITION = Pattern.compile("/\\* PUBLIC\\.(\\w+): ([^*]*)\\*/");

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "close a file | PATH = ",
      "a version | VERSION = ",
      "mirror status range | VERSION >= ",
      "image exists | VERSION = ",
      "stats of a file of an image | PATH = ",
      "removes of a version | VERSION = "})
  void keyLookupsUseTheKeyWithinTheWritingTransaction(String lookup, String keyCondition) throws SQLException {
    String sql = switch (lookup) {
      case "close a file" -> CommitWriter.CLOSE_FILE;
      case "a version" -> SnapshotReader.SELECT_VERSION;
      case "mirror status range" -> MirrorStatements.RECORD_DONE_RANGE;
      case "image exists" -> FileImages.EXISTS;
      case "stats of a file of an image" -> FileImages.SELECT_STATS_OF;
      case "removes of a version" -> SnapshotReader.SELECT_REMOVES_OF;
      default -> throw new IllegalArgumentException(lookup);
    };
    try (CatalogFixture catalog = CatalogBackend.H2.fresh("index")) {
      long tableId = catalog.store().registerTable("main", "t", "/lake/main/t", Map.of()).tableId();
      try (Connection c = catalog.rawConnection()) {
        c.setAutoCommit(false);
        writeRows(c, tableId, 3_000);
        String plan = explain(c, sql);
        Matcher index = INDEX_CONDITION.matcher(plan);
        assertTrue(index.find(), plan);
        do {
          assertTrue(index.group(2).contains(keyCondition), "looked up through " + index.group(1) + " by "
              + index.group(2).strip() + ", not by its key (" + keyCondition.strip() + "):\n" + plan);
        } while (index.find());
        c.rollback();
      }
    }
  }

  /** Files, versions and mirror rows of one table, uncommitted, as an import writes them. */
  private static void writeRows(Connection c, long tableId, int count) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO delta_files (table_id, path, dv_id, add_version, add_seq, partition_values, "
          + "size_bytes, modification_time, data_change) SELECT " + tableId + ", 'part-' || X, '', X, 0, '{}', 1, 1, "
          + "TRUE FROM SYSTEM_RANGE(1, " + count + ")");
      s.executeUpdate("UPDATE delta_files SET remove_version = add_version + 1 WHERE MOD(add_version, 2) = 0");
      s.executeUpdate("INSERT INTO delta_versions (table_id, version, commit_timestamp, txn_id, committer, operation, "
          + "operation_parameters, commit_info, commit_info_seq, action_count, is_base) SELECT " + tableId
          + ", X, X, 't' || X, 'test', 'WRITE', '{}', '{}', 0, 1, FALSE FROM SYSTEM_RANGE(1, " + count + ")");
      s.executeUpdate("INSERT INTO delta_mirror_status (table_id, version, state, attempts, updated_at) SELECT "
          + tableId + ", X, 'PENDING', 0, 0 FROM SYSTEM_RANGE(1, " + count + ")");
    }
  }

  private static String explain(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      ParameterMetaData parameters = ps.getParameterMetaData();
      for (int i = 1; i <= parameters.getParameterCount(); i++) {
        int type = parameters.getParameterType(i);
        if (type == Types.VARCHAR || type == Types.CHAR) {
          ps.setString(i, "part-7");
        } else {
          ps.setLong(i, 7);
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        StringBuilder plan = new StringBuilder();
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
        return plan.toString();
      }
    }
  }
}
