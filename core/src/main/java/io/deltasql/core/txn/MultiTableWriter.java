package io.deltasql.core.txn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.cache.SnapshotCache;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CommitResult;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.json.SchemaJson;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.mirror.CommittedVersion;
import io.deltasql.core.mirror.MirrorOutcome;
import io.deltasql.core.mirror.TableMirror;
import io.deltasql.core.txn.lock.LockManager;
import io.deltasql.core.txn.lock.LockMode;
import io.deltasql.core.txn.lock.LockOwner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Begins, reads for, commits and rolls back multi-table transactions on one catalog (the
 * seed's {@code MultiTableWriter}). One writer per catalog, shared by every connection of
 * the JVM: it owns the table lock manager and the snapshot cache.
 *
 * <pre>{@code
 * try (MultiTableWriter writer = MultiTableWriter.builder(catalog).mirror(mirror).build()) {
 *   MultiTableTransaction tx = writer.begin(IsolationLevel.SERIALIZABLE, 0);
 *   TransactionSnapshot dim = writer.snapshotFor(tx, dimId);          // pinned, consistent cut
 *   tx.stageActions(new TableActionsBuilder(dim.table(), dim.readVersion())
 *       .removeFiles(rewritten).addFiles(written).withOperation("UPDATE").readsTable(true).build());
 *   tx.addFiles(factKey, factVersion, moreFiles);
 *   MultiTableCommitResult result = writer.commit(tx);                 // all tables or none
 * }
 * }</pre>
 *
 * <h2>Commit</h2>
 * <ol>
 *   <li>Locks: exclusive on every written table and, under SERIALIZABLE, shared on every
 *       table read, taken together in canonical (key) order within the transaction's lock
 *       timeout. A deadlock victim ({@code 40P01}) or a timed-out wait ({@code 55P03})
 *       leaves the transaction FAILED with its locks released: only {@link #rollback} is
 *       left.
 *   <li>One catalog transaction per attempt ({@link CommitEngine}): validation against one
 *       cut, backpressure ({@code 53000} when a table has more unmirrored versions than
 *       allowed), then every table's commit with one {@code commitAll}, each carrying a
 *       {@code commitInfo} with the shared transaction id, the participating tables and an
 *       in-commit timestamp. A table that moved on is checked for logical conflicts
 *       ({@link ConflictChecker}) and rebased, or the commit fails with {@code 40001}.
 *   <li>Each committed table's version (with its actions as stored, so that the mirror need
 *       not read them back) is handed to the {@link TableMirror}, outside the catalog
 *       transaction: by default ({@link MirrorMode#ASYNCHRONOUS}) queued before the locks
 *       are released, and the result's mirror outcome is pending; with
 *       {@link MirrorMode#SYNCHRONOUS}, after the locks are released, and {@code commit}
 *       returns once the log has it. A mirror failure is reported in the result and never
 *       undoes the commit. The transaction is then COMMITTED.
 * </ol>
 * A commit that fails for any other reason rolls the transaction back (ROLLING_BACK, then
 * ROLLED_BACK, its data files handed to the {@link DataFileCleaner}) and nothing of it is in
 * any table. Only when the catalog connection broke and the outcome stayed unknown, or the
 * transaction id is already recorded with other tables, are the files kept: the error
 * says so.
 *
 * <h2>Reads</h2>
 * {@link #snapshotFor} and {@link #snapshotsFor} give the tables as a statement sees them
 * (see {@link TransactionReader} for the cut of each isolation level), with the
 * transaction's own staged changes applied.
 *
 * <p>Thread-safe: transactions of several connections commit concurrently; one transaction
 * is used by one thread at a time.
 */
public final class MultiTableWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MultiTableWriter.class);

  /** The {@code engineInfo} written into commitInfo by default. */
  public static final String DEFAULT_ENGINE_INFO = "deltasql/"
      + Optional.ofNullable(MultiTableWriter.class.getPackage().getImplementationVersion()).orElse("dev");

  private final CatalogStore catalog;
  private final MultiTableConfig config;
  private final TableMirror mirror;
  private final MirrorMode mirrorMode;
  private final SnapshotCache cache;
  private final LockManager<String> locks;
  private final WriterMetrics metrics;
  private final DataFileCleaner cleaner;
  private final Clock clock;
  private final CommitEngine engine;
  private final TransactionReader reader;
  private final Map<UUID, WriterSession> sessions = new ConcurrentHashMap<>();
  private final Cache<Long, TableRef> tables = Caffeine.newBuilder().maximumSize(10_000).build();
  private volatile boolean closed;

  private MultiTableWriter(Builder b) {
    this.catalog = b.catalog;
    this.config = b.config;
    this.mirror = b.mirror;
    this.mirrorMode = b.mirrorMode;
    this.clock = b.clock;
    this.cleaner = b.cleaner;
    MeterRegistry registry = b.config.metricsEnabled() ? b.registry : new SimpleMeterRegistry();
    this.metrics = new WriterMetrics(registry);
    this.cache = b.cache != null ? b.cache : SnapshotCache.builder(b.catalog).meterRegistry(registry).build();
    this.locks = b.locks != null ? b.locks : LockManager.<String>builder().meterRegistry(registry).build();
    CommitPlan plan = new CommitPlan(new CommitInfoFactory(b.engineInfo), b.clock, b.committer);
    this.engine = new CommitEngine(b.catalog, cache, plan, metrics, b.hook);
    this.reader = new TransactionReader(b.catalog, cache, b.clock);
  }

  /** A writer with the default configuration, no mirror, and its own cache, locks and metrics. */
  public static MultiTableWriter create(CatalogStore catalog) {
    return builder(catalog).build();
  }

  /** A builder of a writer over {@code catalog} (which the writer uses but does not close). */
  public static Builder builder(CatalogStore catalog) {
    return new Builder(Checks.notNull(catalog, "catalog"));
  }

  // ---- life cycle -------------------------------------------------------------------------

  /** A new READ COMMITTED transaction of priority 0. */
  public MultiTableTransaction begin() {
    return begin(IsolationLevel.DEFAULT, 0);
  }

  /** A new transaction at {@code level}; a deadlock's victim is the lowest priority, then the youngest. */
  public MultiTableTransaction begin(IsolationLevel level, int priority) {
    return begin(level, priority, config);
  }

  /**
   * A new transaction with a configuration of its own instead of the writer's (e.g. a
   * connection's lock timeout; {@code config().toBuilder()} keeps the rest).
   */
  public MultiTableTransaction begin(IsolationLevel level, int priority, MultiTableConfig txnConfig) {
    requireOpen();
    MultiTableTransaction tx = MultiTableTransaction.builder(Checks.notNull(txnConfig, "config"))
        .isolationLevel(level).priority(priority).clock(clock).begin();
    sessions.put(tx.id(), new WriterSession(tx));
    LOG.debug("transaction began txnId={} isolation={} priority={}", tx.id(), level.sqlName(), priority);
    return tx;
  }

  /**
   * Commits every table the transaction wrote, atomically (see the class comment).
   *
   * @throws DeltaException {@code 25000} if the transaction is not ACTIVE (FAILED: roll it
   *     back); {@code 40P01} or {@code 55P03} from the locks (the transaction is then FAILED);
   *     {@code 40001} for a conflict; {@code 53000} for backpressure; the SQLState of the
   *     first violation otherwise (the transaction is then ROLLED_BACK)
   */
  public MultiTableCommitResult commit(MultiTableTransaction tx) {
    requireOpen();
    WriterSession session = session(tx);
    long start = System.nanoTime();
    if (tx.state() != TransactionState.ACTIVE) {
      throw TxnErrors.notActive(tx.id(), tx.state(), "commit", tx.failure());
    }
    takeCommitLocks(tx, session);
    tx.beginCommit();
    long actionCount = tx.actionCount();
    List<String> written = tx.stagedTables();
    CommitEngine.Committed committed;
    if (written.isEmpty()) {
      committed = new CommitEngine.Committed(Map.of(), Map.of(), Map.of(), 0);
    } else {
      try {
        committed = engine.commit(tx, session);
      } catch (DeltaException e) {
        abortCommit(tx, session, e);
        throw e;
      } catch (RuntimeException e) {
        DeltaException wrapped = WriterErrors.unexpected(tx.id(), e);
        abortCommit(tx, session, wrapped);
        throw wrapped;
      }
    }
    // A queueing mirror gets the versions while the tables are still locked, so that each
    // table's versions reach its queue in version order; it returns at once.
    boolean queue = mirrorMode == MirrorMode.ASYNCHRONOUS && mirror.queues();
    Map<String, MirrorOutcome> queued = queue ? publish(committed, false) : Map.of();
    locks.releaseAll(session.owner());
    List<TableCommitResult> results = results(committed, queue ? queued : publish(committed, true));
    deleteCancelledFiles(tx, session); // before COMMITTED drops the staged actions
    tx.markCommitted();
    sessions.remove(tx.id(), session);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    metrics.committed(actionCount, took);
    if (LOG.isDebugEnabled()) {
      LOG.debug("transaction committed txnId={} tables={} versions={} isolation={} actions={} retries={} durationMs={}",
          tx.id(), written, results.stream().map(TableCommitResult::version).toList(),
          tx.isolationLevel().sqlName(), actionCount, committed.retries(), took.toMillis());
    }
    if (took.compareTo(tx.config().slowCommitThreshold()) > 0) {
      LOG.warn("slow commit txnId={} tables={} durationMs={} thresholdMs={}", tx.id(), written, took.toMillis(),
          tx.config().slowCommitThreshold().toMillis());
    }
    return new MultiTableCommitResult(tx.id(), results, committed.retries(), took);
  }

  /**
   * Rolls the transaction back: its staged actions are dropped, its locks released, and its
   * data files handed to the {@link DataFileCleaner}. Rolling back a rolled-back transaction
   * does nothing.
   *
   * @throws DeltaException {@code 25000} for a committed transaction, or one whose commit is
   *     running in another thread
   */
  public void rollback(MultiTableTransaction tx) {
    Checks.notNull(tx, "transaction");
    switch (tx.state()) {
      case ROLLED_BACK:
        return;
      case COMMITTED:
        throw WriterErrors.alreadyCommitted(tx.id());
      case COMMITTING:
      case ROLLING_BACK:
        throw TxnErrors.notActive(tx.id(), tx.state(), "roll back", tx.failure());
      default:
        rollbackNow(tx, session(tx), true);
    }
  }

  // ---- tables -----------------------------------------------------------------------------

  /** The table with this catalog id. @throws DeltaException {@code 42P01} if there is none */
  public TableRef table(long tableId) {
    return tables.get(tableId, id -> catalog.findTable(id).map(TableRef::of)
        .orElseThrow(() -> WriterErrors.unknownTable(id)));
  }

  /** The table {@code schema.name}. @throws DeltaException {@code 42P01} if there is none */
  public TableRef table(String schemaName, String tableName) {
    return catalog.findTable(schemaName, tableName).map(TableRef::of)
        .orElseThrow(() -> WriterErrors.unknownTable(TableRef.key(schemaName, tableName)));
  }

  /**
   * Stages the creation of a table: version 0 holds {@code protocol} (default
   * {@link InCommitTimestamps#DEFAULT_PROTOCOL}) and {@code metadata}, both with in-commit
   * timestamps turned on, the protocol with the features the schema needs
   * ({@link WriterFeatureSupport#withFeaturesFor}). Later statements add files under {@code table.key()} with read
   * version {@link TableActions#NEW_TABLE}. The table is registered in the catalog by the
   * transaction's commit, together with its other tables.
   */
  public void createTable(MultiTableTransaction tx, NewTable table, Metadata metadata, Optional<Protocol> protocol) {
    Checks.notNull(table, "table");
    Checks.notNull(protocol, "protocol");
    WriterSession session = session(tx);
    Metadata withIct = InCommitTimestamps.enable(Checks.notNull(metadata, "metadata"));
    ArrayNode partitionBy = JsonNodeFactory.instance.arrayNode();
    withIct.partitionColumns().forEach(partitionBy::add);
    tx.stageActions(new TableActionsBuilder(table.key(), TableActions.NEW_TABLE)
        .withProtocol(WriterFeatureSupport.withFeaturesFor(
            InCommitTimestamps.enable(protocol.orElse(InCommitTimestamps.DEFAULT_PROTOCOL)),
            SchemaJson.parse(withIct.schemaString())))
        .withMetadata(withIct)
        .withOperation("CREATE TABLE", Map.of("partitionBy", partitionBy.toString()))
        .build());
    session.create(table);
    LOG.debug("table creation staged txnId={} table={} location={}", tx.id(), table.key(), table.location());
  }

  // ---- reads ------------------------------------------------------------------------------

  /**
   * A table as the transaction's next statement sees it: at the pinned version (REPEATABLE
   * READ, SERIALIZABLE) or the latest (READ COMMITTED), with the transaction's own writes.
   * Records the read in the transaction.
   */
  public TransactionSnapshot snapshotFor(MultiTableTransaction tx, long tableId) {
    return snapshotsFor(tx, List.of(tableId)).get(tableId);
  }

  /** Several tables as one statement sees them: all at one consistent cut (see {@link #snapshotFor}). */
  public Map<Long, TransactionSnapshot> snapshotsFor(MultiTableTransaction tx, Collection<Long> tableIds) {
    requireOpen();
    return reader.read(tx, session(tx), tableIds);
  }

  /** A table by key: one the transaction creates (only what it staged), or an existing one. */
  public TransactionSnapshot snapshotFor(MultiTableTransaction tx, String table) {
    requireOpen();
    Checks.tableName(table);
    if (tx.stagedActions(table).filter(TableActions::isNewTable).isPresent()) {
      return reader.readNew(tx, table);
    }
    WriterSession session = session(tx);
    long id = session.boundTable(table).map(TableRef::tableId).orElseGet(() -> {
      String[] names = TableRef.split(table);
      return table(names[0], names[1]).tableId();
    });
    return snapshotFor(tx, id);
  }

  // ---- locks ------------------------------------------------------------------------------

  /**
   * Takes a table lock for the transaction now, as a statement does before it writes
   * ({@code EXCLUSIVE}) or reads under SERIALIZABLE ({@code SHARED}); held until commit or
   * rollback. Commit takes the locks a transaction still lacks by itself.
   *
   * @throws DeltaException {@code 40P01} when the transaction is chosen as a deadlock victim,
   *     {@code 55P03} when the wait times out: the transaction is then FAILED and its locks
   *     are released
   */
  public void lock(MultiTableTransaction tx, String table, LockMode mode) {
    requireOpen();
    Checks.tableName(table);
    Checks.notNull(mode, "mode");
    WriterSession session = session(tx);
    if (tx.state() != TransactionState.ACTIVE) {
      throw TxnErrors.notActive(tx.id(), tx.state(), "lock table '" + table + "'", tx.failure());
    }
    try {
      locks.acquire(session.owner(), table, mode, tx.config().lockTimeout());
    } catch (DeltaException e) {
      failOnLock(tx, session, e);
      throw e;
    }
  }

  /**
   * Runs {@code action} while holding the {@code EXCLUSIVE} lock of {@code table} outside any
   * transaction, then releases it: statements that remove a table ({@code DROP TABLE}, {@code
   * DROP SCHEMA … CASCADE}) wait, as in PostgreSQL, until the transactions that locked the table
   * end, instead of dropping it under them.
   *
   * @throws DeltaException {@code 55P03} when the lock is not granted within {@code timeout}
   *     (nothing has run then)
   */
  public void withTableLock(String table, Duration timeout, Runnable action) {
    requireOpen();
    Checks.tableName(table);
    Checks.notNull(action, "action");
    LockOwner owner = LockOwner.start(Integer.MAX_VALUE);
    locks.acquire(owner, table, LockMode.EXCLUSIVE, timeout);
    try {
      action.run();
    } finally {
      locks.releaseAll(owner);
    }
  }

  // ---- parts ------------------------------------------------------------------------------

  /** The snapshot cache this writer reads through (shared with the SQL layer). */
  public SnapshotCache cache() {
    return cache;
  }

  /** The table locks of this writer's transactions ({@code sys.locks}). */
  public LockManager<String> lockManager() {
    return locks;
  }

  /** The configuration new transactions begin with. */
  public MultiTableConfig config() {
    return config;
  }

  /** The transactions begun and not yet ended ({@code sys.transactions}). */
  public List<MultiTableTransaction> activeTransactions() {
    List<MultiTableTransaction> active = new ArrayList<>();
    sessions.values().forEach(s -> active.add(s.transaction()));
    return active;
  }

  /** Rolls back every transaction still open; later calls fail. The catalog stays open. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (WriterSession s : List.copyOf(sessions.values())) {
      MultiTableTransaction tx = s.transaction();
      if (tx.state() == TransactionState.ACTIVE || tx.state() == TransactionState.FAILED) {
        try {
          rollbackNow(tx, s, true);
        } catch (DeltaException e) {
          LOG.warn("rollback at close failed txnId={} reason={}", tx.id(), e.getMessage());
        }
      }
    }
    LOG.info("multi-table writer closed");
  }

  // ---- internals --------------------------------------------------------------------------

  private void requireOpen() {
    if (closed) {
      throw WriterErrors.closed();
    }
  }

  /** The session of a transaction; one begun elsewhere (e.g. with a chosen id) gets one on first use. */
  private WriterSession session(MultiTableTransaction tx) {
    Checks.notNull(tx, "transaction");
    WriterSession s = sessions.computeIfAbsent(tx.id(), id -> new WriterSession(tx));
    if (s.transaction() != tx) {
      WriterSession replacing = new WriterSession(tx);
      sessions.put(tx.id(), replacing);
      return replacing;
    }
    return s;
  }

  private void takeCommitLocks(MultiTableTransaction tx, WriterSession session) {
    Map<String, LockMode> wanted = new TreeMap<>();
    if (tx.isolationLevel().validatesReads()) {
      tx.readVersions().keySet().forEach(t -> wanted.put(t, LockMode.SHARED));
    }
    tx.stagedTables().forEach(t -> wanted.put(t, LockMode.EXCLUSIVE));
    if (wanted.isEmpty()) {
      return;
    }
    try {
      locks.acquireAll(session.owner(), wanted, tx.config().lockTimeout());
    } catch (DeltaException e) {
      failOnLock(tx, session, e);
      throw e;
    }
  }

  /** A deadlock victim or timed-out waiter: FAILED, locks released, rollback left to its owner. */
  private void failOnLock(MultiTableTransaction tx, WriterSession session, DeltaException e) {
    if (e.state() == SqlState.DEADLOCK_DETECTED) {
      metrics.deadlock();
    } else if (e.state() == SqlState.LOCK_NOT_AVAILABLE) {
      metrics.lockTimeout();
    } else {
      return;
    }
    if (tx.state() == TransactionState.ACTIVE) {
      tx.markFailed(e);
    }
    locks.releaseAll(session.owner());
    LOG.warn("transaction failed on a lock txnId={} priority={} sqlState={} reason={}", tx.id(), tx.priority(),
        e.sqlState(), e.getMessage());
  }

  private void abortCommit(MultiTableTransaction tx, WriterSession session, DeltaException e) {
    metrics.failed();
    boolean keepFiles = CommitEngine.isUnknownOutcome(e) || e instanceof AlreadyRecordedException;
    LOG.info("transaction commit failed txnId={} tables={} isolation={} sqlState={} filesKept={} reason={}",
        tx.id(), tx.stagedTables(), tx.isolationLevel().sqlName(), e.sqlState(), keepFiles, e.getMessage());
    rollbackNow(tx, session, !keepFiles);
  }

  private void rollbackNow(MultiTableTransaction tx, WriterSession session, boolean deleteFiles) {
    Map<String, List<AddFile>> adds = new LinkedHashMap<>();
    tx.stagedActions().forEach((table, actions) -> adds.put(table, actions.adds()));
    tx.beginRollback();
    try {
      locks.releaseAll(session.owner());
      if (deleteFiles) {
        adds.forEach((table, files) -> deleteFiles(tx, session, table, files));
      }
    } finally {
      tx.markRolledBack();
      sessions.remove(tx.id(), session);
      metrics.rolledBack();
    }
    LOG.debug("transaction rolled back txnId={} tables={} filesDeleted={}", tx.id(), adds.keySet(), deleteFiles);
  }

  /**
   * After a commit, deletes the data files that a statement of the transaction added and a
   * later one removed again (an UPDATE or DELETE of rows the transaction had written): no
   * version refers to them. A path that the commit adds or removes is kept whatever happened
   * to it in between.
   */
  private void deleteCancelledFiles(MultiTableTransaction tx, WriterSession session) {
    tx.stagedActions().forEach((table, actions) -> {
      if (actions.statements().size() < 2 || actions.removes().isEmpty()) {
        return;
      }
      NetFileChanges net = actions.netChanges();
      Set<String> kept = new HashSet<>();
      net.adds().forEach(a -> kept.add(a.path()));
      net.removes().forEach(r -> kept.add(r.path()));
      List<AddFile> cancelled = actions.adds().stream().filter(a -> !kept.contains(a.path())).toList();
      if (!cancelled.isEmpty()) {
        LOG.debug("deleting data files added and removed again txnId={} table={} files={}", tx.id(), table,
            cancelled.size());
        deleteFiles(tx, session, table, cancelled);
      }
    });
  }

  private void deleteFiles(MultiTableTransaction tx, WriterSession session, String table, List<AddFile> files) {
    if (files.isEmpty()) {
      return;
    }
    Optional<String> location = session.location(table).or(() -> locationOf(table));
    if (location.isEmpty()) {
      LOG.warn("cannot delete uncommitted data files of an unknown location txnId={} table={} files={}", tx.id(), table,
          files.size());
      return;
    }
    try {
      cleaner.deleteUncommitted(table, location.get(), files);
    } catch (RuntimeException e) {
      LOG.warn("could not delete uncommitted data files txnId={} table={} files={} reason={}", tx.id(), table,
          files.size(), e.toString());
    }
  }

  /** The location of a table the transaction never bound (it staged by name only). */
  private Optional<String> locationOf(String table) {
    try {
      String[] names = TableRef.split(table);
      return catalog.findTable(names[0], names[1]).map(TableInfo::location);
    } catch (DeltaException e) {
      LOG.debug("no location for table={} reason={}", table, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Hands each committed table's version to the mirror, in canonical order; failures are
   * reported, never thrown. With {@code awaitLog} each call returns once the version is in
   * the log (or failed); without, a queueing mirror returns a pending outcome at once.
   */
  private Map<String, MirrorOutcome> publish(CommitEngine.Committed committed, boolean awaitLog) {
    Map<String, MirrorOutcome> outcomes = new TreeMap<>();
    for (Map.Entry<String, CommitResult> e : new TreeMap<>(committed.results()).entrySet()) {
      CommitResult r = e.getValue();
      CommittedVersion version = committed.versions().getOrDefault(e.getKey(),
          CommittedVersion.withoutActions(r.tableId(), r.version(), r.timestamp(), r.txnId()));
      MirrorOutcome outcome;
      try {
        outcome = Objects.requireNonNull(mirror.publish(version, awaitLog), "mirror outcome");
      } catch (RuntimeException ex) {
        outcome = new MirrorOutcome(r.tableId(), -1, 1, Optional.of(ex.toString()), false);
      }
      if (outcome.failure().isPresent() || outcome.diverged()) {
        metrics.mirrorFailed();
        LOG.warn("mirror after commit incomplete table={} version={} txnId={} pending={} diverged={} reason={}",
            e.getKey(), r.version(), r.txnId(), outcome.pending(), outcome.diverged(), outcome.failure().orElse(""));
      }
      outcomes.put(e.getKey(), outcome);
    }
    return outcomes;
  }

  private static List<TableCommitResult> results(CommitEngine.Committed committed, Map<String, MirrorOutcome> mirrored) {
    List<TableCommitResult> results = new ArrayList<>();
    for (Map.Entry<String, CommitResult> e : new TreeMap<>(committed.results()).entrySet()) {
      CommitResult r = e.getValue();
      results.add(new TableCommitResult(e.getKey(), r.tableId(), committed.readVersions().get(e.getKey()),
          r.version(), r.timestamp(), r.alreadyCommitted(), mirrored.get(e.getKey())));
    }
    return results;
  }

  /**
   * Waits until every table of a commit is in its {@code _delta_log} (for callers that
   * committed with the default {@link MirrorMode#ASYNCHRONOUS} mirror and need the log
   * now, e.g. before handing the table to another engine): at most {@code timeout} for the
   * background mirror, then whatever is missing is mirrored in this thread. Returns the
   * result with each table's final mirror outcome.
   */
  public MultiTableCommitResult awaitMirrored(MultiTableCommitResult result, Duration timeout) {
    Checks.notNull(result, "result");
    Checks.notNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    List<TableCommitResult> tables = new ArrayList<>();
    for (TableCommitResult t : result.tables()) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      MirrorOutcome outcome;
      try {
        outcome = mirror.awaitMirrored(t.tableId(), t.version(), left);
      } catch (RuntimeException ex) {
        outcome = new MirrorOutcome(t.tableId(), -1, 1, Optional.of(ex.toString()), false);
      }
      tables.add(new TableCommitResult(t.table(), t.tableId(), t.readVersion(), t.version(), t.timestamp(),
          t.alreadyCommitted(), outcome));
    }
    return new MultiTableCommitResult(result.transactionId(), tables, result.retries(), result.duration());
  }

  /** When {@link #commit} publishes the committed versions to {@code _delta_log}. */
  public enum MirrorMode {
    /**
     * The default: {@code commit} returns after the catalog commit; a mirror that queues
     * ({@link io.deltasql.core.mirror.MirrorEngine}) publishes in the background and each
     * table's outcome is pending. {@link #awaitMirrored} waits for the log when needed.
     */
    ASYNCHRONOUS,
    /** {@code commit} returns once every table's version is in its log (or failed to get there). */
    SYNCHRONOUS
  }

  /** Options of a {@link MultiTableWriter}; each has a default. */
  public static final class Builder {
    private final CatalogStore catalog;
    private MultiTableConfig config = MultiTableConfig.defaults();
    private TableMirror mirror = TableMirror.NONE;
    private MirrorMode mirrorMode = MirrorMode.ASYNCHRONOUS;
    private MeterRegistry registry = new SimpleMeterRegistry();
    private SnapshotCache cache;
    private LockManager<String> locks;
    private DataFileCleaner cleaner = DataFileCleaner.NONE;
    private Clock clock = Clock.systemUTC();
    private String engineInfo = DEFAULT_ENGINE_INFO;
    private String committer = DEFAULT_ENGINE_INFO;
    private CommitHook hook = CommitHook.NONE;

    private Builder(CatalogStore catalog) {
      this.catalog = catalog;
    }

    /** The configuration of new transactions (limits, lock timeout, retries, backpressure). */
    public Builder config(MultiTableConfig newConfig) {
      this.config = Checks.notNull(newConfig, "config");
      return this;
    }

    /** Publishes committed versions to {@code _delta_log}; default {@link TableMirror#NONE}. */
    public Builder mirror(TableMirror newMirror) {
      this.mirror = Checks.notNull(newMirror, "mirror");
      return this;
    }

    /**
     * Whether {@code commit} waits for the mirror ({@link MirrorMode#SYNCHRONOUS}) or returns
     * after the catalog commit (default {@link MirrorMode#ASYNCHRONOUS}). A mirror that does
     * not queue (a plain {@link TableMirror#mirror} lambda) is always called synchronously.
     */
    public Builder mirrorMode(MirrorMode newMode) {
      this.mirrorMode = Checks.notNull(newMode, "mirrorMode");
      return this;
    }

    /** Where commit, conflict, lock and cache meters go; default: a private {@link SimpleMeterRegistry}. */
    public Builder meterRegistry(MeterRegistry newRegistry) {
      this.registry = Checks.notNull(newRegistry, "meterRegistry");
      return this;
    }

    /** A snapshot cache to share (e.g. with the SQL layer); default: a new one. */
    public Builder cache(SnapshotCache newCache) {
      this.cache = Checks.notNull(newCache, "cache");
      return this;
    }

    /** A lock manager to share; default: a new one. */
    public Builder lockManager(LockManager<String> newLocks) {
      this.locks = Checks.notNull(newLocks, "lockManager");
      return this;
    }

    /** Deletes the data files of rolled-back transactions; default: deletes nothing. */
    public Builder dataFileCleaner(DataFileCleaner newCleaner) {
      this.cleaner = Checks.notNull(newCleaner, "dataFileCleaner");
      return this;
    }

    /** The clock of in-commit timestamps and transaction ages. */
    public Builder clock(Clock newClock) {
      this.clock = Checks.notNull(newClock, "clock");
      return this;
    }

    /** The {@code engineInfo} of commitInfo; default {@link #DEFAULT_ENGINE_INFO}. */
    public Builder engineInfo(String newEngineInfo) {
      this.engineInfo = nonBlank(newEngineInfo, "engineInfo");
      return this;
    }

    /** Who commits, as the catalog's history records it (engine, host, user). */
    public Builder committer(String newCommitter) {
      this.committer = nonBlank(newCommitter, "committer");
      return this;
    }

    /** Fault injection inside each commit attempt's catalog transaction (tests). */
    Builder commitHook(CommitHook newHook) {
      this.hook = Checks.notNull(newHook, "commitHook");
      return this;
    }

    public MultiTableWriter build() {
      return new MultiTableWriter(this);
    }

    private static String nonBlank(String value, String what) {
      if (Checks.notNull(value, what).isBlank()) {
        throw TxnErrors.invalidArgument(what + " is blank");
      }
      return value;
    }
  }
}
