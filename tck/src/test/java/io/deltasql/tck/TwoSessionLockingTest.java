package io.deltasql.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.deltasql.core.testing.CatalogBackend;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two sessions on two threads, for what a script cannot show because a statement waits for a
 * lock: a deadlock across two tables ends with {@code 40P01} for the lower-PRIORITY transaction
 * (both ways round, so priority decides, not timing) while the other goes on and commits;
 * SERIALIZABLE write skew (each reads one table and writes the other) lets exactly one commit;
 * an UPDATE that waited for a lock goes on with what the holder committed; a lock wait longer
 * than the URL's {@code lockTimeout} fails with {@code 55P03}; {@code DROP TABLE} waits for a
 * transaction that locked the table, or fails with {@code 55P03} and drops nothing. Every wait is bounded: a hang
 * fails the test within seconds.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class TwoSessionLockingTest {
  /** Longest a step may take before the test calls it a hang. */
  private static final Duration STEP = Duration.ofSeconds(20);
  private static final int HIGH = 10;
  private static final int LOW = 1;

  @Parameter
  CatalogBackend backend;

  @RegisterExtension
  final ReportedCases cases = new ReportedCases("locking", () -> backend.name().toLowerCase(Locale.ROOT));

  private Lakes lake;
  private Session one;
  private Session two;
  private Connection observer;

  @BeforeEach
  void open() throws SQLException {
    lake = Lakes.fresh(backend, "locking");
    observer = lake.connect();
    try (Statement s = observer.createStatement()) {
      s.execute("create table a (id int)");
      s.execute("create table b (id int)");
      s.execute("insert into a values (0)");
      s.execute("insert into b values (0)");
    }
  }

  @AfterEach
  void close() throws SQLException {
    for (Session s : new Session[] {one, two}) {
      if (s != null) {
        s.close();
      }
    }
    observer.close();
    lake.close();
  }

  @ParameterizedTest(name = "first session has the higher priority: {0}")
  @ValueSource(booleans = {true, false})
  void deadlockVictimIsTheLowerPriority(boolean firstWins) throws Exception {
    one = new Session(lake.url(""));
    two = new Session(lake.url(""));
    one.run("begin multi priority " + (firstWins ? HIGH : LOW));
    two.run("begin multi priority " + (firstWins ? LOW : HIGH));
    one.run("insert into a values (1)");
    two.run("insert into b values (2)");
    // One waits for b (held by two), then two asks for a (held by one): a cycle.
    Future<Integer> oneWaits = one.submit("insert into b values (1)");
    awaitWaiters(1);
    Future<Integer> twoCloses = two.submit("insert into a values (2)");

    Session winner = firstWins ? one : two;
    Session victim = firstWins ? two : one;
    Future<Integer> won = firstWins ? oneWaits : twoCloses;
    Future<Integer> lost = firstWins ? twoCloses : oneWaits;
    SQLException deadlock = failure(lost);
    assertEquals("40P01", deadlock.getSQLState(), deadlock.getMessage());
    assertEquals(1, won.get(STEP.toSeconds(), TimeUnit.SECONDS));
    winner.run("commit");

    // Until ROLLBACK the victim's transaction refuses work; after it the connection is usable.
    SQLException aborted = assertThrows(SQLException.class, () -> victim.run("insert into a values (9)"));
    assertTrue(aborted.getSQLState().startsWith("25"), aborted.getSQLState() + " " + aborted.getMessage());
    victim.run("rollback");
    int winnerId = firstWins ? 1 : 2;
    int victimId = 3 - winnerId;
    assertEquals(1, victim.count("select count(*) from a where id = " + winnerId));
    assertEquals(1, victim.count("select count(*) from b where id = " + winnerId));
    assertEquals(0, victim.count("select count(*) from a where id = " + victimId));
    assertEquals(0, victim.count("select count(*) from b where id = " + victimId));
    victim.run("insert into a values (" + victimId + ")");
    assertEquals(3, count("select count(*) from a"));
    assertEquals(0, count("select count(*) from sys.locks"));
  }

  @ParameterizedTest(name = "first session has the higher priority: {0}")
  @ValueSource(booleans = {true, false})
  void serializableWriteSkewLetsOnlyOneCommit(boolean firstWins) throws Exception {
    one = new Session(lake.url(""));
    two = new Session(lake.url(""));
    one.run("begin multi isolation level serializable priority " + (firstWins ? HIGH : LOW));
    two.run("begin multi isolation level serializable priority " + (firstWins ? LOW : HIGH));
    // Each reads one table and writes the other, from the same state: together they would
    // make a state no serial order gives (both rows added although each saw one row).
    assertEquals(1, one.count("select count(*) from a"));
    assertEquals(1, two.count("select count(*) from b"));
    one.run("insert into b values (1)");
    two.run("insert into a values (2)");
    // COMMIT takes shared locks on what it read: each waits for the other's exclusive lock.
    // The design breaks that cycle as a deadlock: 40P01 for the lower priority, before either
    // commits (a read validated after the other committed would be 40001 instead).
    Future<Integer> oneCommits = one.submit("commit");
    awaitWaiters(1);
    Future<Integer> twoCommits = two.submit("commit");

    Future<Integer> won = firstWins ? oneCommits : twoCommits;
    Future<Integer> lost = firstWins ? twoCommits : oneCommits;
    SQLException e = failure(lost);
    assertEquals("40P01", e.getSQLState(), e.getMessage());
    won.get(STEP.toSeconds(), TimeUnit.SECONDS);
    // A failed COMMIT ends the transaction: nothing of the loser, the winner's row only.
    assertEquals(firstWins ? 2 : 1, count("select count(*) from b"));
    assertEquals(firstWins ? 1 : 2, count("select count(*) from a"));
    Session loser = firstWins ? two : one;
    loser.run("insert into a values (7)");
    assertEquals(0, count("select count(*) from sys.locks"));
  }

  @Test
  void lockWaitLongerThanLockTimeoutIs55P03() throws Exception {
    one = new Session(lake.url(""));
    two = new Session(lake.url(";lockTimeout=300"));
    one.run("begin multi");
    one.run("insert into a values (1)");
    long start = System.nanoTime();
    SQLException timeout = assertThrows(SQLException.class, () -> two.run("insert into a values (2)"));
    long waitedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertEquals("55P03", timeout.getSQLState(), timeout.getMessage());
    assertTrue(timeout.getMessage().contains("default.a"), timeout.getMessage());
    assertTrue(waitedMs >= 250 && waitedMs < 10_000, "waited " + waitedMs + " ms for a 300 ms timeout");
    // In auto-commit the timed-out statement was its own transaction: the connection goes on.
    assertEquals(1, two.count("select count(*) from a"));
    one.run("commit");
    two.run("insert into a values (2)");
    assertEquals(3, count("select count(*) from a"));
  }

  @Test
  void aWaitingUpdateGoesOnWithTheRowsTheHolderCommitted() throws Exception {
    one = new Session(lake.url(""));
    two = new Session(lake.url(""));
    one.run("begin multi");
    assertEquals(1, one.run("update a set id = id + 100 where id = 0"));
    // In auto-commit (READ COMMITTED), an UPDATE of the same table waits for the lock ...
    Future<Integer> waiting = two.submit("update a set id = id + 1");
    awaitWaiters(1);
    one.run("commit");
    // ... and then reads what the holder committed: no lost update, no conflict.
    assertEquals(1, waiting.get(STEP.toSeconds(), TimeUnit.SECONDS));
    assertEquals(1, count("select count(*) from a where id = 101"));
    assertEquals(1, count("select count(*) from a"));
  }

  @Test
  void dropTableWaitsForTheTransactionThatLockedTheTable() throws Exception {
    one = new Session(lake.url(""));
    two = new Session(lake.url(""));
    one.run("begin multi");
    one.run("insert into a values (1)");
    // DROP waits for the pending write's lock instead of dropping the table under it ...
    Future<Integer> drop = two.submit("drop table a");
    awaitWaiters(1);
    one.run("commit");
    // ... the write commits, then the table goes.
    drop.get(STEP.toSeconds(), TimeUnit.SECONDS);
    SQLException gone = assertThrows(SQLException.class, () -> count("select count(*) from a"));
    assertEquals("42P01", gone.getSQLState(), gone.getMessage());
    assertEquals(0, count("select count(*) from sys.locks"));
  }

  @Test
  void dropTableLongerThanLockTimeoutIs55P03AndDropsNothing() throws Exception {
    one = new Session(lake.url(""));
    two = new Session(lake.url(";lockTimeout=300"));
    one.run("begin multi");
    one.run("insert into a values (1)");
    SQLException timeout = assertThrows(SQLException.class, () -> two.run("drop table a"));
    assertEquals("55P03", timeout.getSQLState(), timeout.getMessage());
    assertTrue(timeout.getMessage().contains("default.a"), timeout.getMessage());
    // The table and the pending write are intact: the transaction commits.
    one.run("commit");
    assertEquals(2, count("select count(*) from a"));
    two.run("drop table a");
    assertEquals(0, count("select count(*) from sys.locks"));
  }

  @Test
  void writeWriteConflictIs40001NamingTheTable() throws Exception {
    one = new Session(lake.url(""));
    two = new Session(lake.url(""));
    one.run("begin multi isolation level repeatable read");
    assertEquals(1, one.count("select count(*) from a where id = 0"));
    two.run("delete from a where id = 0");
    one.run("update a set id = 5 where id = 0");
    SQLException conflict = assertThrows(SQLException.class, () -> one.run("commit"));
    assertEquals("40001", conflict.getSQLState(), conflict.getMessage());
    assertTrue(conflict.getMessage().contains("table 'default.a'"), conflict.getMessage());
    assertTrue(conflict.getMessage().contains("retry"), conflict.getMessage());
    assertEquals(0, one.count("select count(*) from a"));
  }

  @Test
  void malformedLockTimeoutIs22023() {
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(lake.url(";lockTimeout=soon")));
    assertEquals("22023", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains("lockTimeout='soon'"), e.getMessage());
  }

  /** Waits until {@code n} lock requests wait, i.e. a session is blocked in a statement. */
  private void awaitWaiters(int n) throws Exception {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (count("select count(*) from sys.locks where not granted") < n) {
      if (System.nanoTime() > deadline) {
        fail("no session waited for a lock within " + STEP);
      }
      Thread.sleep(20);
    }
  }

  private int count(String sql) throws SQLException {
    return count(observer, sql);
  }

  private static int count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The SQLException a statement ended with, within {@link #STEP}. */
  private static SQLException failure(Future<?> statement) throws InterruptedException, TimeoutException {
    try {
      Object result = statement.get(STEP.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException e) {
      return assertInstanceOf(SQLException.class, e.getCause());
    }
  }

  /** A connection whose statements run on a thread of its own, as a second client would. */
  private static final class Session implements AutoCloseable {
    private final Connection connection;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    Session(String url) throws SQLException {
      connection = DriverManager.getConnection(url);
    }

    /** Starts a statement on the session's thread: its update count (0 for others). */
    Future<Integer> submit(String sql) {
      return thread.submit(() -> {
        try (Statement s = connection.createStatement()) {
          return s.execute(sql) ? 0 : s.getUpdateCount();
        }
      });
    }

    /** Runs a statement to its end, within {@link #STEP}. */
    int run(String sql) throws Exception {
      try {
        return submit(sql).get(STEP.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SQLException failed) {
          throw failed;
        }
        throw e;
      }
    }

    int count(String sql) throws Exception {
      return thread.submit(() -> TwoSessionLockingTest.count(connection, sql)).get(STEP.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws SQLException {
      thread.shutdownNow();
      connection.close();
    }
  }
}
