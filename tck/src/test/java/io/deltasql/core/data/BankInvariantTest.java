package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.tck.Lakes;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank invariant over two tables: concurrent transfers between accounts of {@code checking}
 * and {@code savings} (8 connections on 8 threads), each a multi-table transaction that writes
 * both rows, retried on {@code 40001}, {@code 40P01} and {@code 55P03}; any other failure fails
 * the test. Money is never created or lost:
 *
 * <ul>
 *   <li>in every committed state: the commits, related across tables by their transaction id
 *       in {@code sys.history}, are ordered by each table's version chain (a cycle would be a
 *       multi-table commit seen half before and half after another); replayed in that order,
 *       the sum of both tables read with {@code VERSION AS OF} stays the initial total;
 *   <li>in the final state, through SQL and through Delta Kernel reading each
 *       {@code _delta_log} (mirrored synchronously);
 *   <li>and each committed transfer is exactly one version of each table it touched.
 * </ul>
 *
 * Two kinds of transfer. One reads both balances and writes the new values it computed: that
 * needs a level that prevents lost updates (SERIALIZABLE validates what was read; under READ
 * COMMITTED two transfers reading the same balance both commit, and the total drifts). The other
 * writes {@code balance = balance -/+ x} under READ COMMITTED: each UPDATE locks its table
 * before it reads, so it changes the latest balance.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class BankInvariantTest {
  private static final Logger LOG = LoggerFactory.getLogger(BankInvariantTest.class);
  private static final List<String> TABLES = List.of("checking", "savings");
  private static final int ACCOUNTS = 10;
  private static final long INITIAL_BALANCE = 1_000;
  private static final long TOTAL = TABLES.size() * ACCOUNTS * INITIAL_BALANCE;
  private static final int THREADS = 8;
  /**
   * Few per thread: every table is one data file, so each SERIALIZABLE commit invalidates every
   * concurrent transfer that read it (about three 40001 retries per transfer), and a retry rewrites
   * files; 8 x 4 keeps a backend's run in seconds on a loaded machine.
   */
  private static final int TRANSFERS_PER_THREAD = 4;
  private static final Set<String> RETRYABLE = Set.of("40001", "40P01", "55P03");

  @Parameter
  CatalogBackend backend;

  /** A committed transfer as its thread saw it. */
  private record Transfer(String from, String to) {
    int tablesTouched() {
      return from.equals(to) ? 1 : 2;
    }
  }

  /** Each transfer writes the new balances it computed from what it read: only safe when reads are validated. */
  @Test
  void serializableReadThenWriteTransfersKeepTheTotal() throws Exception {
    transfersKeepTheTotal("serializable", false);
  }

  /**
   * Each transfer writes {@code balance = balance - x} and {@code balance + x}: under READ COMMITTED
   * an UPDATE takes the table's lock before it reads, so it changes the latest balance.
   */
  @Test
  void readCommittedRelativeTransfersKeepTheTotal() throws Exception {
    transfersKeepTheTotal("read committed", true);
  }

  private void transfersKeepTheTotal(String isolation, boolean relative) throws Exception {
    try (Lakes lake = Lakes.fresh(backend, "bank"); Connection c = lake.connect(); Statement s = c.createStatement()) {
      for (String table : TABLES) {
        s.execute("create table " + table + " (id int not null, balance bigint not null)");
        StringBuilder values = new StringBuilder();
        for (int id = 0; id < ACCOUNTS; id++) {
          values.append(id == 0 ? "" : ", ").append("(").append(id).append(", ").append(INITIAL_BALANCE).append(")");
        }
        s.executeUpdate("insert into " + table + " values " + values);
      }
      Map<String, Long> initialVersions = currentVersions(s);
      assertEquals(TOTAL, total(s, ""), "initial total");

      ConcurrentLinkedQueue<Transfer> committed = new ConcurrentLinkedQueue<>();
      AtomicInteger retries = new AtomicInteger();
      Map<String, AtomicInteger> retriesByState = new TreeMap<>();
      RETRYABLE.forEach(state -> retriesByState.put(state, new AtomicInteger()));
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        CountDownLatch ready = new CountDownLatch(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          long seed = 31L * t + 7;
          workers.add(pool.submit(() -> {
            try (Connection own = lake.connect()) {
              Teller teller = new Teller(own, isolation, relative);
              ready.countDown();
              ready.await();
              Random random = new Random(seed);
              for (int i = 0; i < TRANSFERS_PER_THREAD; i++) {
                committed.add(teller.transfer(random, retries, retriesByState));
              }
            }
            return null;
          }));
        }
        for (Future<?> worker : workers) {
          worker.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      LOG.info("bank backend={} isolation={} relative={} transfers={} retries={} byState={} ms={}", backend, isolation,
          relative, committed.size(), retries.get(), retriesByState, millis);
      assertEquals(THREADS * TRANSFERS_PER_THREAD, committed.size(), "committed transfers");

      // Each committed transfer is one version of each table it touched; no other versions.
      Map<String, Long> finalVersions = currentVersions(s);
      Map<String, Long> expectedNewVersions = new TreeMap<>();
      TABLES.forEach(table -> expectedNewVersions.put(table, 0L));
      for (Transfer transfer : committed) {
        expectedNewVersions.merge(transfer.from(), 1L, Long::sum);
        if (transfer.tablesTouched() == 2) {
          expectedNewVersions.merge(transfer.to(), 1L, Long::sum);
        }
      }
      for (String table : TABLES) {
        assertEquals(expectedNewVersions.get(table), finalVersions.get(table) - initialVersions.get(table),
            "versions of " + table + " written by the transfers");
      }

      List<Commit> order = commitOrder(s, initialVersions);
      assertEquals(committed.size(), order.size(), "transactions in the history");
      assertEquals(committed.stream().filter(x -> x.tablesTouched() == 2).count(),
          order.stream().filter(x -> x.versions().size() == 2).count(), "transactions over both tables");

      // Every committed state, in commit order: the total is unchanged.
      Map<String, Map<Long, Long>> sums = new HashMap<>();
      Map<String, Long> state = new TreeMap<>(initialVersions);
      assertEquals(TOTAL, total(s, sums, state), "total at " + state);
      for (Commit commit : order) {
        state.putAll(commit.versions());
        assertEquals(TOTAL, total(s, sums, state), "total after transaction " + commit.txnId() + " at " + state);
      }
      assertEquals(finalVersions, state, "the replay ends at the current versions");

      // The final state through SQL (one consistent cut) and through Delta Kernel.
      assertEquals(TOTAL, total(s, ""), "final total");
      long kernelTotal = 0;
      for (String table : TABLES) {
        String location = location(s, table);
        assertEquals(finalVersions.get(table), KernelScan.latestVersion(location), "Kernel's latest version of " + table);
        var schema = TableLayout.of(DeltaLog.open(LocalStorage.INSTANCE, location).snapshot().metadata(), location)
            .schema();
        List<Object[]> kernel = KernelScan.rowsAsOf(location, schema, finalVersions.get(table));
        assertEquals(Rows.render(Rows.multiset(JdbcRows.selectAll(c, table, schema))),
            Rows.render(Rows.multiset(kernel)), "rows of " + table + " through SQL and Kernel");
        for (Object[] row : kernel) {
          kernelTotal += (Long) row[1];
        }
      }
      assertEquals(TOTAL, kernelTotal, "final total read by Kernel");
    }
  }

  /** One connection's transfers, with its statements prepared once. */
  private static final class Teller {
    private final Statement statement;
    private final String isolation;
    private final boolean relative;
    private final Map<String, PreparedStatement> selects = new HashMap<>();
    private final Map<String, PreparedStatement> updates = new HashMap<>();

    Teller(Connection connection, String isolation, boolean relative) throws SQLException {
      this.statement = connection.createStatement();
      this.isolation = isolation;
      this.relative = relative;
      for (String table : TABLES) {
        selects.put(table, connection.prepareStatement("select balance from " + table + " where id = ?"));
        updates.put(table, connection.prepareStatement("update " + table + " set balance = "
            + (relative ? "balance + ?" : "?") + " where id = ?"));
      }
    }

    /** One transfer, retried until it commits; returns the tables it touched. */
    Transfer transfer(Random random, AtomicInteger retries, Map<String, AtomicInteger> retriesByState)
        throws Exception {
      String from = TABLES.get(random.nextInt(TABLES.size()));
      String to = TABLES.get(random.nextInt(TABLES.size()));
      int a = random.nextInt(ACCOUNTS);
      int b = random.nextInt(ACCOUNTS - 1);
      if (from.equals(to) && b >= a) {
        b++; // another account of the same table
      }
      long amount = 1 + random.nextInt(100);
      while (true) {
        try {
          statement.execute("begin multi isolation level " + isolation);
          long fromValue = relative ? -amount : balance(from, a) - amount;
          long toValue = relative ? amount : balance(to, b) + amount;
          // Rows of both tables written in one table order (fewer deadlocks; 40P01 is still retried).
          if (from.compareTo(to) <= 0) {
            update(from, a, fromValue);
            update(to, b, toValue);
          } else {
            update(to, b, toValue);
            update(from, a, fromValue);
          }
          statement.execute("commit");
          return new Transfer(from, to);
        } catch (SQLException e) {
          if (e.getSQLState() == null || !RETRYABLE.contains(e.getSQLState())) {
            throw new AssertionError("transfer " + from + "[" + a + "] -> " + to + "[" + b + "] failed with "
                + e.getSQLState() + ": " + e.getMessage(), e);
          }
          retries.incrementAndGet();
          retriesByState.get(e.getSQLState()).incrementAndGet();
          statement.execute("rollback");
          Thread.sleep(random.nextInt(5));
        }
      }
    }

    private long balance(String table, int id) throws SQLException {
      PreparedStatement select = selects.get(table);
      select.setInt(1, id);
      try (ResultSet rs = select.executeQuery()) {
        assertTrue(rs.next(), table + " has account " + id);
        return rs.getLong(1);
      }
    }

    /** Sets the balance to {@code value}, or adds {@code value} to it. */
    private void update(String table, int id, long value) throws SQLException {
      PreparedStatement update = updates.get(table);
      update.setLong(1, value);
      update.setInt(2, id);
      assertEquals(1, update.executeUpdate(), "rows updated in " + table + " for account " + id);
    }
  }

  /** The total of both tables, read by one statement (one consistent cut), with a FROM suffix. */
  private static long total(Statement s, String asOf) throws SQLException {
    try (ResultSet rs = s.executeQuery("select (select sum(balance) from checking" + asOf
        + ") + (select sum(balance) from savings" + asOf + ")")) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  /** The total of both tables at the given versions, each table's sum read once per version. */
  private static long total(Statement s, Map<String, Map<Long, Long>> sums, Map<String, Long> versions)
      throws SQLException {
    long total = 0;
    for (Map.Entry<String, Long> e : versions.entrySet()) {
      Long sum = sums.computeIfAbsent(e.getKey(), k -> new HashMap<>()).get(e.getValue());
      if (sum == null) {
        try (ResultSet rs = s.executeQuery("select sum(balance), count(*) from " + e.getKey() + " version as of "
            + e.getValue())) {
          assertTrue(rs.next());
          assertEquals(ACCOUNTS, rs.getLong(2), "accounts of " + e.getKey() + " at version " + e.getValue());
          sum = rs.getLong(1);
        }
        sums.get(e.getKey()).put(e.getValue(), sum);
      }
      total += sum;
    }
    return total;
  }

  /** A committed transaction: the version it wrote in each table it touched. */
  private record Commit(String txnId, Map<String, Long> versions) {}

  /**
   * The transactions after {@code initialVersions}, in an order of commits consistent with every
   * table's version chain (a topological order of the graph whose edges link consecutive versions
   * of a table). Fails if a transaction wrote two versions of one table, or if the chains
   * contradict each other (a cycle: no cut of the commit order could contain the commits).
   */
  private static List<Commit> commitOrder(Statement s, Map<String, Long> initialVersions) throws SQLException {
    Map<String, Map<String, Long>> byTxn = new LinkedHashMap<>();
    Map<String, TreeMap<Long, String>> chains = new TreeMap<>();
    try (ResultSet rs = s.executeQuery("select table_name, version, txn_id, operation from sys.history"
        + " where table_name in ('checking', 'savings')")) {
      while (rs.next()) {
        String table = rs.getString(1);
        long version = rs.getLong(2);
        if (version <= initialVersions.get(table)) {
          continue;
        }
        String txn = rs.getString(3);
        assertNotNull(txn, table + " version " + version + " has a transaction id");
        assertEquals("UPDATE", rs.getString(4), table + " version " + version);
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
      assertEquals(initialVersions.get(table) + 1, chain.firstKey(), "first transfer version of " + table);
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

  private static Map<String, Long> currentVersions(Statement s) throws SQLException {
    Map<String, Long> versions = new TreeMap<>();
    try (ResultSet rs = s.executeQuery("select table_name, current_version from sys.tables"
        + " where table_name in ('checking', 'savings')")) {
      while (rs.next()) {
        versions.put(rs.getString(1), rs.getLong(2));
      }
    }
    assertEquals(TABLES.size(), versions.size(), "tables " + versions);
    return versions;
  }

  private static String location(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("select location from sys.tables where table_name = '" + table + "'")) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }
}
