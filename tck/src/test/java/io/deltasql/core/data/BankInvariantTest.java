package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.tck.Lakes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
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
      BankHistory history = new BankHistory(s, TABLES, ACCOUNTS);
      Map<String, Long> initialVersions = history.currentVersions();
      assertEquals(TOTAL, history.latestTotal(), "initial total");

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
      Map<String, Long> finalVersions = history.currentVersions();
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

      List<BankHistory.Commit> order = history.commitOrder(initialVersions, "UPDATE");
      assertEquals(committed.size(), order.size(), "transactions in the history");
      assertEquals(committed.stream().filter(x -> x.tablesTouched() == 2).count(),
          order.stream().filter(x -> x.versions().size() == 2).count(), "transactions over both tables");

      // Every committed state, in commit order: the total is unchanged.
      Map<String, Long> state = new TreeMap<>(initialVersions);
      assertEquals(TOTAL, history.totalAt(state), "total at " + state);
      for (BankHistory.Commit commit : order) {
        state.putAll(commit.versions());
        assertEquals(TOTAL, history.totalAt(state), "total after transaction " + commit.txnId() + " at " + state);
      }
      assertEquals(finalVersions, state, "the replay ends at the current versions");

      // The final state through SQL (one consistent cut) and through Delta Kernel.
      assertEquals(TOTAL, history.latestTotal(), "final total");
      long kernelTotal = 0;
      for (String table : TABLES) {
        String location = history.location(table);
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
}
