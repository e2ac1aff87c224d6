package io.deltasql.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The digest that checks deltasql and DuckDB returned the same rows. */
class ResultSummaryTest {
  private static ResultSummary duck(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return ResultSummary.of(rs);
    }
  }

  @Test
  void sameRowsInAnyOrderMatch() throws SQLException {
    ResultSummary a = duck("select * from (values (1, 0.1, 'x'), (2, 0.2, 'y'), (3, null, 'z')) t(i, d, s)");
    ResultSummary b = duck("select * from (values (3, null, 'z'), (2, 0.2, 'y'), (1, 0.1, 'x')) t(i, d, s)");
    assertTrue(a.matches(b), a + " vs " + b);
  }

  @Test
  void differentRowsDoNotMatch() throws SQLException {
    ResultSummary a = duck("select * from (values (1, 'x'), (2, 'y')) t(i, s)");
    assertFalse(a.matches(duck("select * from (values (1, 'x'), (2, 'z')) t(i, s)")));
    assertFalse(a.matches(duck("select * from (values (1, 'x'), (3, 'y')) t(i, s)")));
    assertFalse(a.matches(duck("select * from (values (1, 'x')) t(i, s)")));
    assertFalse(a.matches(duck("select * from (values (1, 'x'), (null, 'y')) t(i, s)")));
    assertThrows(IllegalStateException.class, () -> a.require("test", duck("select 1, 'x'")));
  }

  @Test
  void floatingPointSumsMatchWithinRoundingOnly() {
    ResultSummary a = new ResultSummary(1, new double[] {1e9}, new long[1], new long[1]);
    assertTrue(a.matches(new ResultSummary(1, new double[] {1e9 + 1e-3}, new long[1], new long[1])));
    assertFalse(a.matches(new ResultSummary(1, new double[] {1e9 + 10}, new long[1], new long[1])));
  }
}
