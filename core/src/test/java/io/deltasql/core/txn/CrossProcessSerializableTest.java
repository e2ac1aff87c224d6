package io.deltasql.core.txn;

import static io.deltasql.core.txn.WriterFixture.assertFails;
import static io.deltasql.core.txn.WriterFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Write skew between two writers that share nothing but the catalog database: separate
 * {@link CatalogStore}s (connection pools), separate writers, hence separate lock managers,
 * as two JVMs would be. Under SERIALIZABLE each transaction reads tables A and B and writes
 * the other one; the writers' local locks cannot see each other, so only the catalog can
 * keep both from committing.
 *
 * <p>The interleaving is forced: T1 validates its reads and then, still inside its catalog
 * transaction, waits until T2 is either blocked in the catalog database or has validated
 * its own reads too. Without row locks on the tables read, T2 validates against the same
 * state T1 saw and both commit (the anomaly); with them, T2 waits for T1, then sees B at
 * T1's version and fails with {@code 40001}.
 */
class CrossProcessSerializableTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @ParameterizedTest(name = "{0}")
  @EnumSource(CatalogBackend.class)
  @Timeout(120)
  void writeSkewAcrossProcessesCommitsExactlyOneAndFailsTheOtherWith40001(CatalogBackend backend) throws Exception {
    String application = "deltasql-skew-" + UUID.randomUUID().toString().substring(0, 8);
    CountDownLatch t1Validated = new CountDownLatch(1);
    CountDownLatch t2Validated = new CountDownLatch(1);
    AtomicBoolean t2SeenBlocked = new AtomicBoolean();
    try (WriterFixture fixture = new WriterFixture(backend, "skew")) {
      CatalogFixture catalog = fixture.catalog();
      AtomicReference<MultiTableTransaction> held = new AtomicReference<>();
      MultiTableWriter first = fixture.writer(b -> b.commitHook((tx, attempt) -> {
        if (tx == held.get()) {
          t1Validated.countDown();
          t2SeenBlocked.set(awaitBlockedOrValidated(catalog, application, t2Validated));
        }
      }));
      TableRef a = fixture.createTable(first, file("a0"));
      TableRef b = fixture.createTable(first, file("b0"));

      try (CatalogStore otherStore = CatalogStore.open(secondProcess(catalog, application));
          MultiTableWriter second = MultiTableWriter.builder(otherStore).config(WriterFixture.config())
              .commitHook((tx, attempt) -> t2Validated.countDown()).build()) {
        MultiTableTransaction t1 = first.begin(IsolationLevel.SERIALIZABLE, 0);
        MultiTableTransaction t2 = second.begin(IsolationLevel.SERIALIZABLE, 0);
        held.set(t1);
        readBothWriteOne(first, t1, a, b, b);
        readBothWriteOne(second, t2, a, b, a);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
          Future<MultiTableCommitResult> one = pool.submit(() -> first.commit(t1));
          assertTrue(t1Validated.await(WAIT.toSeconds(), TimeUnit.SECONDS), "T1 validated");
          Future<MultiTableCommitResult> two = pool.submit(() -> second.commit(t2));

          assertEquals(1L, one.get(WAIT.toSeconds(), TimeUnit.SECONDS).version(b.key()).orElseThrow());
          assertFails(SqlState.SERIALIZATION_FAILURE, () -> unwrap(two), "table '" + b.key() + "'",
              "changed data that this SERIALIZABLE transaction read");
        } finally {
          pool.shutdownNow();
        }
        assertTrue(t2SeenBlocked.get(), "T2 waited in the catalog for T1's row locks");
        assertEquals(1, t2Validated.getCount(), "T2 never passed validation");
        assertEquals(TransactionState.COMMITTED, t1.state());
        assertEquals(TransactionState.ROLLED_BACK, t2.state());
      }
      assertEquals(0, fixture.version(a), "A unchanged: T2 did not commit");
      assertEquals(1, fixture.version(b), "B written once, by T1");
    }
  }

  /** Reads A and B in one statement, then appends to {@code target} at the version read. */
  private static void readBothWriteOne(MultiTableWriter writer, MultiTableTransaction tx, TableRef a, TableRef b,
      TableRef target) {
    writer.snapshotsFor(tx, List.of(a.tableId(), b.tableId()));
    long version = writer.snapshotFor(tx, target.tableId()).readVersion();
    tx.addFiles(target.key(), version, List.of(file("by-" + tx.id())));
  }

  /** The catalog as a second process sees it: its own pool, sessions named {@code application}. */
  private static CatalogConfig secondProcess(CatalogFixture catalog, String application) {
    String url = catalog.url();
    if (catalog.backend() == CatalogBackend.POSTGRESQL) {
      url += (url.contains("?") ? "&" : "?") + "ApplicationName=" + application;
    }
    return CatalogConfig.of(url).withPoolSize(2);
  }

  /**
   * Waits until a session of the second writer waits for a lock in the catalog database
   * (true), or until the second writer validated (false: nothing held it back).
   */
  private static boolean awaitBlockedOrValidated(CatalogFixture catalog, String application,
      CountDownLatch validated) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try (Connection c = catalog.rawConnection()) {
      while (System.nanoTime() < deadline) {
        if (validated.await(20, TimeUnit.MILLISECONDS)) {
          return false;
        }
        if (blockedSessions(c, catalog.backend(), application) > 0) {
          return true;
        }
      }
      return false;
    } catch (SQLException e) {
      throw new AssertionError("cannot watch the catalog's sessions: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static long blockedSessions(Connection c, CatalogBackend backend, String application) throws SQLException {
    boolean postgres = backend == CatalogBackend.POSTGRESQL;
    String sql = postgres
        ? "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = ?"
        : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (postgres) {
        ps.setString(1, application);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } finally {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    }
  }

  private static MultiTableCommitResult unwrap(Future<MultiTableCommitResult> future) throws Throwable {
    try {
      return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause();
    }
  }
}
