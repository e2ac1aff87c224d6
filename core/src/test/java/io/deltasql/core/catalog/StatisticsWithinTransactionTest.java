package io.deltasql.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A catalog transaction that writes many file rows (an import replaying thousands of versions)
 * refreshes PostgreSQL's statistics of the file table as it goes: with the statistics of the
 * table before the transaction, the planner walked every file of the table for each version's
 * replaced-file probe, and a 10k-commit, 100k-file import did not finish in 25 minutes. The
 * statistics are read from another connection while the transaction is still open
 * ({@code reltuples} is updated in place by ANALYZE).
 */
class StatisticsWithinTransactionTest {
  private static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}";
  private static final int FILES_PER_VERSION = 1_000;

  @Test
  void aLongPostgresqlTransactionRefreshesTheFileTableStatisticsAsItWrites() throws SQLException {
    try (CatalogFixture catalog = CatalogBackend.POSTGRESQL.fresh("stats")) {
      CatalogStore store = catalog.store();
      int versions = (int) (CatalogTransaction.STATISTICS_ROWS_WITHIN / FILES_PER_VERSION) + 2;
      double[] seenInside = new double[1];
      long tableId = store.inTransaction(tx -> {
        TableInfo t = tx.registerTable("main", "big", "/lake/main/big", Map.of());
        for (int v = 0; v < versions; v++) {
          List<Action> actions = new ArrayList<>();
          actions.add(new CommitInfo(JsonNodeFactory.instance.objectNode().put(CommitInfo.OPERATION, "WRITE")));
          if (v == 0) {
            actions.add(new Protocol(1, 2));
            actions.add(new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(), Format.PARQUET,
                SCHEMA, List.of(), Map.of(), Optional.of(0L)));
          }
          for (int i = 0; i < FILES_PER_VERSION; i++) {
            actions.add(AddFile.of("v" + v + "/f" + i + ".parquet", Map.of(), 10, 1, Optional.empty()));
          }
          tx.commit(CommitRequest.of(t.tableId(), v - 1, "import-" + v, actions));
        }
        seenInside[0] = fileRowsEstimate(catalog);
        return t.tableId();
      });
      assertTrue(seenInside[0] >= CatalogTransaction.STATISTICS_ROWS_WITHIN,
          "the planner's estimate of the file table while the transaction was open: " + seenInside[0]);
      assertEquals(versions * FILES_PER_VERSION, store.snapshot(tableId).files().size());
    }
  }

  private static double fileRowsEstimate(CatalogFixture catalog) {
    try (Connection c = catalog.rawConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT reltuples FROM pg_class WHERE oid = to_regclass('delta_files')")) {
      return rs.next() ? rs.getDouble(1) : -1;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
