package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the bank tests read back from the catalog through SQL: the tables' current versions, the
 * committed transactions in an order of commits, and the total of the tables at a cut (a version
 * of each table) read with {@code VERSION AS OF}.
 */
final class BankHistory {
  private final Statement statement;
  private final List<String> tables;
  private final int accountsPerTable;
  private final Map<String, Map<Long, Long>> sums = new HashMap<>();

  /** Reads through {@code statement} the bank tables {@code tables}, each with {@code accountsPerTable} rows. */
  BankHistory(Statement statement, List<String> tables, int accountsPerTable) {
    this.statement = statement;
    this.tables = List.copyOf(tables);
    this.accountsPerTable = accountsPerTable;
  }

  /** A committed transaction: the version it wrote in each table it touched. */
  record Commit(String txnId, Map<String, Long> versions) {}

  /** Each table's current version in the catalog. */
  Map<String, Long> currentVersions() throws SQLException {
    Map<String, Long> versions = new TreeMap<>();
    try (ResultSet rs = statement.executeQuery("select table_name, current_version from sys.tables"
        + " where table_name in (" + tableList() + ")")) {
      while (rs.next()) {
        versions.put(rs.getString(1), rs.getLong(2));
      }
    }
    assertEquals(tables.size(), versions.size(), "tables " + versions);
    return versions;
  }

  /** The table's location in the catalog. */
  String location(String table) throws SQLException {
    try (ResultSet rs = statement.executeQuery("select location from sys.tables where table_name = '" + table + "'")) {
      assertTrue(rs.next(), "table " + table + " in sys.tables");
      return rs.getString(1);
    }
  }

  /**
   * The transactions after {@code initialVersions}, in an order of commits consistent with every
   * table's version chain (a topological order of the graph whose edges link consecutive versions
   * of a table). Fails if a version has no transaction id or another operation than
   * {@code operation}, if a transaction wrote two versions of one table, if a table's versions
   * have gaps, or if the chains contradict each other (a cycle: no cut of the commit order could
   * contain the commits).
   */
  List<Commit> commitOrder(Map<String, Long> initialVersions, String operation) throws SQLException {
    Map<String, Map<String, Long>> byTxn = new LinkedHashMap<>();
    Map<String, TreeMap<Long, String>> chains = new TreeMap<>();
    try (ResultSet rs = statement.executeQuery("select table_name, version, txn_id, operation from sys.history"
        + " where table_name in (" + tableList() + ")")) {
      while (rs.next()) {
        String table = rs.getString(1);
        long version = rs.getLong(2);
        if (version <= initialVersions.get(table)) {
          continue;
        }
        String txn = rs.getString(3);
        assertNotNull(txn, table + " version " + version + " has a transaction id");
        assertEquals(operation, rs.getString(4), table + " version " + version);
        Long previous = byTxn.computeIfAbsent(txn, k -> new TreeMap<>()).put(table, version);
        if (previous != null) {
          fail("transaction " + txn + " wrote versions " + previous + " and " + version + " of " + table);
        }
        chains.computeIfAbsent(table, k -> new TreeMap<>()).put(version, txn);
      }
    }
    Map<String, List<String>> successors = new HashMap<>();
    Map<String, Integer> predecessors = new HashMap<>();
    byTxn.keySet().forEach(txn -> predecessors.put(txn, 0));
    chains.forEach((table, chain) -> {
      assertEquals(initialVersions.get(table) + 1, chain.firstKey(), "first version of " + table + " after the start");
      assertEquals(chain.lastKey() - chain.firstKey() + 1, chain.size(), "versions of " + table + " without gaps");
      String before = null;
      for (String txn : chain.values()) {
        if (before != null) {
          successors.computeIfAbsent(before, k -> new ArrayList<>()).add(txn);
          predecessors.merge(txn, 1, Integer::sum);
        }
        before = txn;
      }
    });
    Deque<String> free = new ArrayDeque<>();
    predecessors.forEach((txn, n) -> {
      if (n == 0) {
        free.add(txn);
      }
    });
    List<Commit> order = new ArrayList<>();
    while (!free.isEmpty()) {
      String txn = free.poll();
      order.add(new Commit(txn, byTxn.get(txn)));
      for (String next : successors.getOrDefault(txn, List.of())) {
        if (predecessors.merge(next, -1, Integer::sum) == 0) {
          free.add(next);
        }
      }
    }
    assertEquals(byTxn.size(), order.size(), "the version chains of the tables order every transaction (no cycle)");
    return order;
  }

  /**
   * The total of the tables at the given versions, each table's sum read once per version; fails
   * if a table does not have all its accounts at a version.
   */
  long totalAt(Map<String, Long> versions) throws SQLException {
    long total = 0;
    for (Map.Entry<String, Long> e : versions.entrySet()) {
      Long sum = sums.computeIfAbsent(e.getKey(), k -> new HashMap<>()).get(e.getValue());
      if (sum == null) {
        try (ResultSet rs = statement.executeQuery("select sum(balance), count(*) from " + e.getKey()
            + " version as of " + e.getValue())) {
          assertTrue(rs.next());
          assertEquals(accountsPerTable, rs.getLong(2), "accounts of " + e.getKey() + " at version " + e.getValue());
          sum = rs.getLong(1);
        }
        sums.get(e.getKey()).put(e.getValue(), sum);
      }
      total += sum;
    }
    return total;
  }

  /** The total of the tables now, read by one statement (one consistent cut). */
  long latestTotal() throws SQLException {
    StringBuilder sql = new StringBuilder("select ");
    for (int i = 0; i < tables.size(); i++) {
      sql.append(i == 0 ? "" : " + ").append("(select sum(balance) from ").append(tables.get(i)).append(")");
    }
    try (ResultSet rs = statement.executeQuery(sql.toString())) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private String tableList() {
    return String.join(", ", tables.stream().map(t -> "'" + t + "'").toList());
  }
}
