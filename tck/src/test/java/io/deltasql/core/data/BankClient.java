package io.deltasql.core.data;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One client of {@link BankUnderFaultsTest}: until told to stop, transfers an amount between an
 * account of {@code accounts_a} and one of {@code accounts_b} in a multi-table transaction (two
 * relative UPDATEs, so every commit writes both tables), pausing after each, and reports what
 * each attempt did. A failed attempt is rolled back; after a connection failure (SQLState class 08 or 57) or a
 * failed rollback it connects again. Attempts that fail are not retried: the next one is a new
 * transfer.
 */
final class BankClient implements Runnable {
  static final List<String> TABLES = List.of("accounts_a", "accounts_b");
  static final int ACCOUNTS = 5;
  static final long INITIAL_BALANCE = 1_000;
  static final long TOTAL = TABLES.size() * ACCOUNTS * INITIAL_BALANCE;
  /** SQLState of an attempt whose UPDATE changed another number of rows than one. */
  static final String WRONG_ROW_COUNT = "rows";
  /**
   * Mean pause after each attempt: all 8 clients rewrite the same two data files, so most
   * concurrent attempts conflict; pausing leaves the CPU to the commits that can win.
   */
  private static final int PAUSE_MS = 250;
  /** SQLState recorded for a SQLException that carries none. */
  static final String NO_STATE = "none";

  private final String url;
  private final Random random;
  private final BooleanSupplier stop;
  private final Outcomes outcomes;
  private Connection connection;
  private Statement statement;
  private PreparedStatement updateA;
  private PreparedStatement updateB;

  /** What the attempts of a client did, as they end. Implementations are thread-safe. */
  interface Outcomes {
    /** A transfer begins. */
    void attempt();

    /** A transfer committed: COMMIT returned. */
    void committed();

    /** An attempt failed with {@code sqlState}. */
    void failed(String sqlState, String message);

    /** Connecting failed with {@code sqlState}. */
    void connectFailed(String sqlState, String message);
  }

  BankClient(String url, long seed, BooleanSupplier stop, Outcomes outcomes) {
    this.url = url;
    this.random = new Random(seed);
    this.stop = stop;
    this.outcomes = outcomes;
  }

  @Override
  public void run() {
    try {
      while (!stop.getAsBoolean()) {
        if (connection == null && !connect()) {
          pause();
          continue;
        }
        transfer();
      }
    } finally {
      disconnect();
    }
  }

  private void transfer() {
    int a = random.nextInt(ACCOUNTS);
    int b = random.nextInt(ACCOUNTS);
    long amount = (1 + random.nextInt(100)) * (random.nextBoolean() ? 1 : -1);
    outcomes.attempt();
    try {
      statement.execute("begin multi");
      update(updateA, a, -amount);
      update(updateB, b, amount);
      statement.execute("commit");
      outcomes.committed();
      pause();
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? NO_STATE : e.getSQLState();
      outcomes.failed(state, e.getMessage());
      if (state.startsWith("08") || state.startsWith("57") || !rollback()) {
        disconnect();
      }
      pause();
    }
  }

  private static void update(PreparedStatement update, int id, long amount) throws SQLException {
    update.setLong(1, amount);
    update.setInt(2, id);
    int rows = update.executeUpdate();
    if (rows != 1) {
      throw new SQLException("UPDATE of account " + id + " changed " + rows + " rows", WRONG_ROW_COUNT);
    }
  }

  private boolean connect() {
    try {
      connection = DriverManager.getConnection(url);
      statement = connection.createStatement();
      updateA = connection.prepareStatement("update " + TABLES.get(0) + " set balance = balance + ? where id = ?");
      updateB = connection.prepareStatement("update " + TABLES.get(1) + " set balance = balance + ? where id = ?");
      return true;
    } catch (SQLException e) {
      outcomes.connectFailed(e.getSQLState() == null ? NO_STATE : e.getSQLState(), e.getMessage());
      disconnect();
      return false;
    }
  }

  private boolean rollback() {
    try {
      statement.execute("rollback");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private void disconnect() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // a broken connection: the next attempt opens a new one
      }
    }
    connection = null;
  }

  private void pause() {
    try {
      Thread.sleep(PAUSE_MS / 2 + random.nextInt(PAUSE_MS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Outcomes counted: attempts, commits, failures of attempts and of connects by SQLState, and
   * the first message of each SQLState.
   */
  static final class Tally implements Outcomes {
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final Map<String, Long> failures = new TreeMap<>();
    private final Map<String, Long> connectFailures = new TreeMap<>();
    private final Map<String, String> samples = new TreeMap<>();

    @Override
    public void attempt() {
      attempts.incrementAndGet();
    }

    @Override
    public void committed() {
      committed.incrementAndGet();
    }

    @Override
    public synchronized void failed(String sqlState, String message) {
      failures.merge(sqlState, 1L, Long::sum);
      samples.putIfAbsent(sqlState, message);
    }

    @Override
    public synchronized void connectFailed(String sqlState, String message) {
      connectFailures.merge(sqlState, 1L, Long::sum);
      samples.putIfAbsent(sqlState, "connect: " + message);
    }

    /** Adds another tally's counts to this one. */
    synchronized void add(Tally other) {
      attempts.addAndGet(other.attempts());
      committed.addAndGet(other.commits());
      other.failures().forEach((state, n) -> failures.merge(state, n, Long::sum));
      other.connectFailures().forEach((state, n) -> connectFailures.merge(state, n, Long::sum));
      other.samples().forEach(samples::putIfAbsent);
    }

    long attempts() {
      return attempts.get();
    }

    /** How many attempts committed. */
    long commits() {
      return committed.get();
    }

    synchronized Map<String, Long> failures() {
      return new TreeMap<>(failures);
    }

    synchronized Map<String, Long> connectFailures() {
      return new TreeMap<>(connectFailures);
    }

    /** The first message seen for each SQLState. */
    synchronized Map<String, String> samples() {
      return new TreeMap<>(samples);
    }

    /** Attempts not ended by a commit or a failure (none once every client stopped on its own). */
    synchronized long unfinished() {
      return attempts.get() - committed.get() - failures.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public synchronized String toString() {
      return "attempts=" + attempts + " committed=" + committed + " failed=" + failures + " connectFailed="
          + connectFailures;
    }
  }
}
