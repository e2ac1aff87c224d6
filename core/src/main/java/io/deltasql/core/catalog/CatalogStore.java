package io.deltasql.core.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.table.Snapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog: where the Delta log of every table lives, authoritatively, in a SQL
 * database (embedded H2 or PostgreSQL). Opening it connects through a connection pool
 * and creates or migrates the catalog schema.
 *
 * <p>Every method runs in its own catalog transaction; {@link #inTransaction} groups
 * several operations (a multi-table commit, a registration and its version 0) in one.
 * Catalog connections run at READ COMMITTED; commits are explicit compare-and-sets of
 * each table's current version, and a transaction that the database aborts for a
 * transient conflict ({@code 40001}, {@code 40P01}, {@code 23505}) is tried again.
 *
 * <pre>{@code
 * try (CatalogStore catalog = CatalogStore.open(CatalogConfig.of(url))) {
 *   TableInfo t = catalog.inTransaction(tx -> {
 *     TableInfo table = tx.registerTable("sales", "orders", location, Map.of());
 *     tx.commit(CommitRequest.of(table.tableId(), -1, txnId, List.of(commitInfo, protocol, metadata)));
 *     return table;
 *   });
 *   Snapshot latest = catalog.snapshot(t.tableId());
 * }
 * }</pre>
 */
public final class CatalogStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogStore.class);
  private static final AtomicInteger POOLS = new AtomicInteger();
  private static final long MAX_BACKOFF_MS = 200;
  /** File rows written (by all transactions of this store) between two checks of the planner statistics. */
  private static final long STATISTICS_CHECK_ROWS = 1000;

  private final CatalogConfig config;
  private final CatalogDialect dialect;
  private final CatalogErrors errors;
  private final HikariDataSource pool;
  private final Clock clock;
  private final int schemaVersion;
  private final AtomicLong fileRowsSinceStatisticsCheck = new AtomicLong();
  private final FileImageWriter fileImages;
  private final FileImages.Later laterReads;
  private volatile boolean closed;

  private CatalogStore(CatalogConfig config, CatalogDialect dialect, CatalogErrors errors, HikariDataSource pool,
      Clock clock, int schemaVersion) {
    this.config = config;
    this.dialect = dialect;
    this.errors = errors;
    this.pool = pool;
    this.clock = clock;
    this.schemaVersion = schemaVersion;
    this.fileImages = new FileImageWriter(this::inTransaction, config.redactedUrl());
    this.laterReads = new FileImages.Later(this::inTransaction, () -> closed, config.redactedUrl());
  }

  /**
   * Connects to the catalog and brings its schema up to date.
   *
   * @throws DeltaException {@code 08000}/{@code 08006} when the database cannot be reached
   *     or refuses the credentials, {@code 55000} when the catalog was written by a newer
   *     deltasql, {@code 25006} when it needs a migration but is read-only
   */
  public static CatalogStore open(CatalogConfig config) {
    return open(config, Clock.systemUTC(), SchemaMigrator.CURRENT_VERSION);
  }

  /** Opens with a given clock and target schema version (tests create older catalogs). */
  static CatalogStore open(CatalogConfig config, Clock clock, int targetSchemaVersion) {
    Objects.requireNonNull(config, "config");
    CatalogDialect dialect = CatalogDialect.forUrl(config.jdbcUrl());
    CatalogErrors errors = new CatalogErrors(config, dialect);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(config, dialect));
    } catch (RuntimeException e) {
      throw errors.unreachable(e);
    }
    try {
      int found = migrate(config, dialect, errors, pool, clock, targetSchemaVersion);
      LOG.info("catalog opened url={} dialect={} schemaVersion={} migratedFrom={}", config.redactedUrl(),
          dialect.name(), Math.max(found, targetSchemaVersion), found);
      return new CatalogStore(config, dialect, errors, pool, clock, Math.max(found, targetSchemaVersion));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static int migrate(CatalogConfig config, CatalogDialect dialect, CatalogErrors errors,
      HikariDataSource pool, Clock clock, int target) {
    SchemaMigrator migrator = new SchemaMigrator(dialect, config.redactedUrl(), clock);
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = pool.getConnection()) {
        try {
          return migrator.migrate(connection, target);
        } catch (SQLException e) {
          DeltaException translated = errors.translate(e, "create or migrate the catalog schema to version " + target);
          if (!(translated instanceof TransientCatalogException) || attempt >= config.maxAttempts()) {
            throw translated;
          }
          LOG.debug("catalog schema migration raced with another process, retrying attempt={}", attempt);
        }
      } catch (SQLException e) {
        throw errors.unreachable(e);
      }
    }
  }

  private static HikariConfig poolConfig(CatalogConfig config, CatalogDialect dialect) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("deltasql-catalog-" + POOLS.incrementAndGet());
    hikari.setJdbcUrl(dialect.poolUrl(config.jdbcUrl()));
    config.user().ifPresent(hikari::setUsername);
    config.password().ifPresent(hikari::setPassword);
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setMinimumIdle(1);
    hikari.setAutoCommit(false);
    hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    hikari.setConnectionTimeout(config.connectTimeout().toMillis());
    hikari.setValidationTimeout(Math.min(config.connectTimeout().toMillis(), 5_000));
    hikari.setConnectionInitSql(dialect.connectionInitSql(config));
    dialect.driverProperties().forEach(hikari::addDataSourceProperty);
    hikari.setRegisterMbeans(false);
    return hikari;
  }

  /** The configuration this catalog was opened with. */
  public CatalogConfig config() {
    return config;
  }

  /** The catalog database's dialect. */
  public CatalogDialect dialect() {
    return dialect;
  }

  /** The catalog schema version this code reads and writes (a newer catalog is refused). */
  public static int currentSchemaVersion() {
    return SchemaMigrator.CURRENT_VERSION;
  }

  /** The catalog schema version (after migration). */
  public int schemaVersion() {
    return schemaVersion;
  }

  /**
   * Runs {@code work} in one catalog transaction and commits it; rolls back if the work
   * throws. When the catalog database reports a transient conflict the transaction is
   * rolled back and the work runs again, up to {@link CatalogConfig#maxAttempts()} times.
   */
  public <T> T inTransaction(CatalogWork<T> work) {
    Objects.requireNonNull(work, "work");
    for (int attempt = 1; ; attempt++) {
      try {
        return runOnce(work);
      } catch (TransientCatalogException e) {
        if (attempt >= config.maxAttempts()) {
          throw new DeltaException(e.state(), e.getMessage() + " Gave up after " + attempt + " attempts.", e);
        }
        LOG.debug("catalog transaction conflict, retrying attempt={} sqlState={}", attempt, e.sqlState());
        backoff(attempt, e);
      }
    }
  }

  private <T> T runOnce(CatalogWork<T> work) {
    Connection connection = connection();
    CatalogTransaction transaction = new CatalogTransaction(connection, config, dialect, errors, clock,
        laterReads);
    CatalogTransaction outer = laterReads.enter(transaction);
    boolean committed = false;
    try {
      T result = work.run(transaction);
      transaction.end();
      try {
        connection.commit();
      } catch (SQLException e) {
        throw errors.translate(e, "commit the catalog transaction");
      }
      committed = true;
      transaction.fileImageCandidates().forEach(fileImages::offer);
      long written = transaction.fileRowsWritten();
      if (written > 0 && fileRowsSinceStatisticsCheck.addAndGet(written) >= STATISTICS_CHECK_ROWS) {
        refreshStatistics(connection, fileRowsSinceStatisticsCheck.getAndSet(0));
      }
      return result;
    } finally {
      laterReads.leave(outer);
      transaction.end();
      if (!committed) {
        rollbackQuietly(connection);
      }
      closeQuietly(connection);
    }
  }

  private Connection connection() {
    if (closed) {
      throw errors.closed();
    }
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      if (closed) {
        throw errors.closed();
      }
      throw errors.unreachable(e);
    }
  }

  /** Advisory: a failure is logged, the committed work stands. */
  private void refreshStatistics(Connection connection, long fileRows) {
    try {
      dialect.refreshStatistics(connection, fileRows);
    } catch (SQLException e) {
      rollbackQuietly(connection);
      LOG.warn("catalog statistics refresh failed url={} fileRows={} sqlState={} reason={}", config.redactedUrl(),
          fileRows, e.getSQLState(), CatalogErrors.briefly(e));
    }
  }

  private static void backoff(int attempt, DeltaException cause) {
    long ceiling = Math.min(MAX_BACKOFF_MS, 5L << Math.min(attempt, 10));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.debug("catalog rollback failed (the connection is discarded) sqlState={} reason={}",
          e.getSQLState(), e.getMessage());
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("catalog connection close failed sqlState={} reason={}", e.getSQLState(), e.getMessage());
    }
  }

  // ---- one-transaction shortcuts (see CatalogTransaction for each) ------------------------

  /** {@link CatalogTransaction#listSchemas} in a transaction of its own. */
  public List<String> listSchemas() {
    return inTransaction(CatalogTransaction::listSchemas);
  }

  /** {@link CatalogTransaction#registerTable} in a transaction of its own. */
  public TableInfo registerTable(String schemaName, String tableName, String location, Map<String, String> properties) {
    return inTransaction(tx -> tx.registerTable(schemaName, tableName, location, properties));
  }

  /** {@link CatalogTransaction#dropTable} in a transaction of its own. */
  public boolean dropTable(long tableId) {
    return inTransaction(tx -> tx.dropTable(tableId));
  }

  /** {@link CatalogTransaction#findTable} in a transaction of its own. */
  public Optional<TableInfo> findTable(String schemaName, String tableName) {
    return inTransaction(tx -> tx.findTable(schemaName, tableName));
  }

  /** {@link CatalogTransaction#findTable} in a transaction of its own. */
  public Optional<TableInfo> findTable(long tableId) {
    return inTransaction(tx -> tx.findTable(tableId));
  }

  /** {@link CatalogTransaction#listTables} in a transaction of its own. */
  public List<TableInfo> listTables(String schemaName) {
    return inTransaction(tx -> tx.listTables(schemaName));
  }

  /** {@link CatalogTransaction#listTables} in a transaction of its own. */
  public List<TableInfo> listTables() {
    return inTransaction(CatalogTransaction::listTables);
  }

  /** {@link CatalogTransaction#currentVersion} in a transaction of its own. */
  public long currentVersion(long tableId) {
    return inTransaction(tx -> tx.currentVersion(tableId));
  }

  /** {@link CatalogTransaction#commit} in a transaction of its own. */
  public CommitResult commit(CommitRequest request) {
    return inTransaction(tx -> tx.commit(request));
  }

  /** {@link CatalogTransaction#commitAll} in a transaction of its own. */
  public List<CommitResult> commitAll(List<CommitRequest> requests) {
    return inTransaction(tx -> tx.commitAll(requests));
  }

  /** {@link CatalogTransaction#importBase} in a transaction of its own. */
  public CommitResult importBase(BaseVersion base) {
    return inTransaction(tx -> tx.importBase(base));
  }

  /** {@link CatalogTransaction#snapshot} in a transaction of its own. */
  public Snapshot snapshot(long tableId) {
    return inTransaction(tx -> tx.snapshot(tableId));
  }

  /** {@link CatalogTransaction#snapshotAt} in a transaction of its own. */
  public Snapshot snapshotAt(long tableId, long version) {
    return inTransaction(tx -> tx.snapshotAt(tableId, version));
  }

  /** {@link CatalogTransaction#snapshotAsOf} in a transaction of its own. */
  public Snapshot snapshotAsOf(long tableId, Instant timestamp) {
    return inTransaction(tx -> tx.snapshotAsOf(tableId, timestamp));
  }

  /** {@link CatalogTransaction#versionAsOf} in a transaction of its own. */
  public long versionAsOf(long tableId, Instant timestamp) {
    return inTransaction(tx -> tx.versionAsOf(tableId, timestamp));
  }

  /** {@link CatalogTransaction#history} in a transaction of its own. */
  public List<VersionRecord> history(long tableId, Instant from, Instant to) {
    return inTransaction(tx -> tx.history(tableId, from, to));
  }

  /** {@link CatalogTransaction#activeFiles} in a transaction of its own. */
  public List<AddFile> activeFiles(long tableId, Map<String, String> partitionValues) {
    return inTransaction(tx -> tx.activeFiles(tableId, partitionValues));
  }

  /** {@link CatalogTransaction#versionActions} in a transaction of its own. */
  public List<Action> versionActions(long tableId, long version) {
    return inTransaction(tx -> tx.versionActions(tableId, version));
  }

  /**
   * Writes the file image of a committed version now, in this thread: its files read in one
   * transaction, the image written in another (see {@link FileImages}). Readers leave images
   * by themselves after large reads; this is for whoever knows a table just grew (tests, an
   * import, a benchmark's setup). Returns whether an image was written (not when the version
   * has one already or is not committed).
   */
  public boolean writeFileImage(long tableId, long version) {
    Snapshot snapshot = snapshotAt(tableId, version);
    List<byte[]> chunks = FileImageCodec.encode(FileImageCodec.inImageOrder(snapshot.files().values()));
    return inTransaction(tx -> tx.writeFileImage(tableId, version, snapshot.files().size(), chunks,
        OptionalLong.empty()));
  }

  /**
   * Waits until the file images that reads have queued so far are written (benchmarks and
   * tests that need an image in place; readers never need to wait).
   */
  public void awaitFileImages() throws InterruptedException {
    fileImages.awaitIdle();
  }

  /** Closes the connection pool; later calls fail with {@code 08000}. */
  @Override
  public void close() {
    if (!closed) {
      fileImages.close();
      closed = true;
      pool.close();
      LOG.info("catalog closed url={}", config.redactedUrl());
    }
  }
}
