package io.deltasql.core.mirror;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the catalog's committed versions to each table's {@code _delta_log}, so that
 * every Delta reader sees the tables the catalog holds.
 *
 * <p><b>What it writes.</b> For each version not yet mirrored, oldest first,
 * {@code _delta_log/%020d.json} holding exactly the version's actions in Delta's canonical
 * form (commitInfo first), created with put-if-absent; after version {@code v} with
 * {@code v % delta.checkpointInterval == 0} (the table's setting, else
 * {@link MirrorConfig#checkpointInterval()}), the classic checkpoint of {@code v} and
 * {@code _last_checkpoint}: when a run of versions holds several due checkpoints, only the
 * newest, and for a large table not more often than {@link MirrorConfig#checkpointSpacing()}
 * (readers then replay a longer tail of commit files; the log is complete either way).
 * Checkpoints that the workers find due (from handed-over versions or in a catalog-driven
 * pass) are written by a {@link CheckpointLane} of their own, so that commit files never
 * wait for one; an explicit {@link #mirror} or {@link #reconcile(long)} writes its own. Each version's outcome ({@code DONE}, or
 * {@code FAILED} with the error and the number of attempts) is recorded in the catalog,
 * where the reconciler and {@code sys.mirror_status} find it; for handed-over versions by a
 * {@link StatusRecorder}, within {@link StatusRecorder#DELAY} of the commit file and many in
 * one transaction (a synchronous publish, {@link #awaitMirrored} and every catalog-driven pass
 * write what it holds first). Versions recorded as already present (imported tables) are
 * never written.
 *
 * <p><b>Exactly once, in effect.</b> The mirror never overwrites a commit file. If the
 * file exists with this version's content (a retry after a crash between the write and the
 * status update, or another engine that got there first) the version is {@code DONE}; if
 * it exists with other content, a writer outside deltasql committed to the table: the
 * table is marked diverged in the catalog (its writes are then refused), nothing is
 * written, and the table is not mirrored any more.
 *
 * <p><b>Concurrency.</b> In one JVM, passes over one table are serialized by a per-table
 * lock, so two threads never interleave a table's versions or write one twice; different
 * tables are mirrored in parallel, and a worker's turn on a table ends with the versions it
 * took, so that busy tables share the workers with the others. Across JVMs (several
 * engines on one catalog) nothing is locked: put-if-absent lets exactly one engine create
 * each file, the others find it identical and record {@code DONE}; each engine writes a version only after that
 * version's predecessors are in the log, so the log never has a gap; a checkpoint that
 * exists is kept, and {@code _last_checkpoint}, a mere hint, never moves back.
 *
 * <p><b>Failures.</b> Transient storage failures are retried within a pass with
 * exponential backoff ({@link MirrorConfig#attempts()}); a version that still fails is
 * left {@code FAILED} and its table's later versions wait, while other tables go on. The
 * catalog commit stands whatever happens here. The reconciler retries: on open, every
 * {@link MirrorConfig#reconcilePeriod()} on a daemon thread, and on demand
 * ({@link #reconcile()}). When every table fails in
 * {@link MirrorConfig#systemicFailureThreshold()} rounds in a row, background rounds pause
 * for {@link MirrorConfig#coolDown()} (logged at ERROR, counted, shown by {@link #status()}).
 *
 * <pre>{@code
 * try (MirrorEngine mirror = MirrorEngine.open(catalog, LocalStorage.INSTANCE, MirrorConfig.DEFAULTS, registry)) {
 *   mirror.checkBackpressure(tableId);       // before a commit: 53000 when too far behind
 *   ... commit version v in the catalog ...
 *   MirrorOutcome outcome = mirror.mirror(tableId);
 * }
 * }</pre>
 */
public final class MirrorEngine implements TableMirror, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MirrorEngine.class);
  /** Threads that publish handed-over versions; one table is mirrored by one of them at a time. */
  static final int WORKERS = 4;
  /** How long {@link #close()} lets the queued versions be published before it stops the workers. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
  /** How long a synchronous publish waits for the table's checkpoint (the log is complete without it). */
  static final Duration SYNCHRONOUS_CHECKPOINT_WAIT = Duration.ofMinutes(1);
  private static final AtomicInteger WORKER_THREADS = new AtomicInteger();
  /** {@link TableQueue#through} when nothing is known of the table's log. */
  private static final long UNKNOWN = -2;

  private final CatalogStore catalog;
  private final MirrorConfig config;
  private final TableMirrorPass pass;
  private final CheckpointPublisher checkpoints;
  private final CheckpointLane lane = new CheckpointLane();
  private final StatusRecorder status;
  private final SystemicFailureDetector detector;
  private final MirrorMetrics metrics;
  private final MirrorLag lag;
  private final CheckpointWarmUp warmUp;
  private final Map<Long, TableQueue> queues = new ConcurrentHashMap<>();
  private final List<MirrorListener> listeners = new CopyOnWriteArrayList<>();
  private final ThreadPoolExecutor workers;
  private final Optional<Reconciler> reconciler;
  private volatile boolean accepting = true;
  private volatile boolean closed;

  private MirrorEngine(CatalogStore catalog, Storage storage, MirrorConfig config, MeterRegistry registry,
      Clock clock, LongSupplier ticker, CheckpointWarmUp warmUp) {
    this.catalog = catalog;
    this.lag = new MirrorLag(clock, ticker);
    this.warmUp = warmUp;
    this.config = config;
    this.detector = new SystemicFailureDetector(config.systemicFailureThreshold(), config.coolDown(), clock);
    this.metrics = new MirrorMetrics(registry, detector::paused);
    this.checkpoints = new CheckpointPublisher(catalog, storage);
    this.status = new StatusRecorder(catalog, StatusRecorder.DELAY);
    this.pass = new TableMirrorPass(catalog, new CommitPublisher(storage), checkpoints,
        new StorageRetry(config, metrics), config, metrics, lag, clock, () -> closed, this::notifyListeners, lane, status);
    this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
      Thread thread = new Thread(task, "deltasql-mirror-" + WORKER_THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.workers.allowCoreThreadTimeOut(true);
    this.reconciler = config.background()
        ? Optional.of(new Reconciler(config.reconcilePeriod(), this::backgroundRound))
        : Optional.empty();
  }

  /**
   * Starts mirroring: reconciles every table with unmirrored versions (on the background
   * thread when {@link MirrorConfig#background()}, else before returning), then keeps
   * reconciling every {@link MirrorConfig#reconcilePeriod()}. The engine does not own the
   * catalog or the storage: close them after it.
   *
   * @param registry where the {@code deltasql.mirror.*} meters go (one engine per registry)
   */
  public static MirrorEngine open(CatalogStore catalog, Storage storage, MirrorConfig config,
      MeterRegistry registry) {
    return open(catalog, storage, config, registry, Clock.systemUTC());
  }

  /** {@link #open} with a given clock (for the mirror lag of versions not handed over, and the pause). */
  static MirrorEngine open(CatalogStore catalog, Storage storage, MirrorConfig config, MeterRegistry registry,
      Clock clock) {
    return open(catalog, storage, config, registry, clock, System::nanoTime, CheckpointWarmUp.PARQUET);
  }

  /**
   * {@link #open} with a given clock, a given monotonic {@code ticker} (nanoseconds: the mirror lag
   * of handed-over versions) and a given warm-up of the checkpoint writer.
   */
  static MirrorEngine open(CatalogStore catalog, Storage storage, MirrorConfig config, MeterRegistry registry,
      Clock clock, LongSupplier ticker, CheckpointWarmUp warmUp) {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(warmUp, "warmUp");
    MirrorEngine engine = new MirrorEngine(catalog, storage, config, registry, clock, ticker, warmUp);
    LOG.info("mirror engine opened config={}", config);
    engine.reconciler.ifPresentOrElse(Reconciler::start, engine::reconcile);
    return engine;
  }

  /** The configuration the engine runs with. */
  public MirrorConfig config() {
    return config;
  }

  /**
   * Mirrors every unmirrored version of the table, oldest first: the post-commit call.
   * Never throws for a mirroring failure: the outcome says what happened. While background
   * mirroring is paused after a systemic failure, each storage operation is tried once.
   * Waits while another thread of this engine mirrors the same table.
   */
  @Override
  public MirrorOutcome mirror(long tableId) {
    if (closed) {
      return closedOutcome(tableId);
    }
    return mirrorTable(tableId, detector.paused() ? 1 : config.attempts());
  }

  /**
   * {@code CHECKPOINT t}: mirrors the table, then writes the checkpoint of its latest version
   * (and {@code _last_checkpoint}) unless it exists.
   *
   * @return the version checkpointed
   * @throws DeltaException {@code 55000} if the table cannot be mirrored up to that version
   *     (diverged, or storage failing)
   */
  public long checkpoint(long tableId) {
    MirrorOutcome outcome = reconcile(tableId);
    io.deltasql.core.catalog.TableInfo table = catalog.findTable(tableId).orElseThrow(() ->
        new io.deltasql.core.errors.DeltaException(io.deltasql.core.errors.SqlState.UNDEFINED_TABLE,
            "Table " + tableId + " does not exist"));
    if (!outcome.complete() || outcome.mirroredThrough() < table.currentVersion()) {
      throw new io.deltasql.core.errors.DeltaException(io.deltasql.core.errors.SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot checkpoint " + table.qualifiedName() + ": its log is mirrored through version "
              + outcome.mirroredThrough() + " of " + table.currentVersion()
              + outcome.failure().map(f -> " (" + f + ")").orElse(outcome.diverged() ? " (diverged)" : ""));
    }
    // A checkpoint is a pure function of the catalog's version: writing it next to a mirror
    // worker that writes the same one is harmless.
    checkpoints.publish(table, table.currentVersion());
    LOG.info("checkpoint written table={} version={}", table.qualifiedName(), table.currentVersion());
    return table.currentVersion();
  }

  /** Mirrors one table now, with every try, whether or not background mirroring is paused. */
  public MirrorOutcome reconcile(long tableId) {
    if (closed) {
      return closedOutcome(tableId);
    }
    return mirrorTable(tableId, config.attempts());
  }

  /**
   * One reconcile round now ({@code CALL reconcile()}): mirrors every table that has
   * pending or failed versions and has not diverged, whether or not background mirroring
   * is paused; returns the outcome of each table it tried.
   */
  public List<MirrorOutcome> reconcile() {
    List<MirrorOutcome> outcomes = new ArrayList<>();
    if (closed) {
      return outcomes;
    }
    status.flush();
    List<Long> tableIds;
    try {
      tableIds = catalog.inTransaction(MirrorEngine::tablesToMirror);
    } catch (RuntimeException e) {
      String failure = "The mirror cannot list the tables to reconcile: " + e.getMessage();
      LOG.warn("mirror reconcile cannot list tables reason={}", e.getMessage());
      roundFinished(1, 1, Optional.of(failure));
      return outcomes;
    }
    int failed = 0;
    Optional<String> lastFailure = Optional.empty();
    for (long tableId : tableIds) {
      if (closed) {
        break;
      }
      MirrorOutcome outcome = mirrorTable(tableId, config.attempts());
      outcomes.add(outcome);
      if (outcome.failure().isPresent() && !outcome.diverged()) {
        failed++;
        lastFailure = outcome.failure();
      }
    }
    roundFinished(outcomes.size(), failed, lastFailure);
    if (!outcomes.isEmpty()) {
      LOG.info("mirror reconciled tables={} failed={} pending={}", outcomes.size(), failed,
          outcomes.stream().mapToLong(MirrorOutcome::pending).sum());
    }
    return outcomes;
  }

  private void roundFinished(int attempted, int failed, Optional<String> lastFailure) {
    if (detector.roundFinished(attempted, failed, lastFailure)) {
      metrics.paused();
    }
  }

  /** The tables with pending or failed versions that are not diverged, in catalog order. */
  private static List<Long> tablesToMirror(CatalogTransaction tx) {
    List<Long> ids = new ArrayList<>();
    for (TableInfo table : tx.listTables()) {
      if (!table.diverged() && !tx.unmirroredVersions(table.tableId()).isEmpty()) {
        ids.add(table.tableId());
      }
    }
    return ids;
  }

  private void backgroundRound() {
    if (closed) {
      return;
    }
    if (detector.paused()) {
      LOG.debug("mirror background round skipped: paused after a systemic failure");
      return;
    }
    reconcile();
  }

  private MirrorOutcome mirrorTable(long tableId, int attempts) {
    TableQueue q = queue(tableId);
    q.lock.lock();
    try {
      return runPass(q, attempts, false);
    } finally {
      q.lock.unlock();
    }
  }

  /**
   * A catalog-driven pass over the table; the caller holds the table's lock. The outcomes
   * handed to the recorder are written first: the pass reads the status, and writes its own.
   * A worker's pass (and a synchronous publish, which then waits for the lane) leaves its
   * checkpoint to the {@link CheckpointLane}, so that commit files never wait for one; an
   * explicit mirror or reconcile writes it in the pass and reports its failure.
   */
  private MirrorOutcome runPass(TableQueue q, int attempts, boolean laneCheckpoints) {
    status.flush();
    q.tail.reset(); // the pass's checkpoint, if any, becomes its base
    TableMirrorPass.Result result = pass.run(q.tableId, attempts,
        laneCheckpoints ? Optional.of(q.tail) : Optional.empty());
    MirrorOutcome outcome = result.outcome();
    if (result.progressed()) {
      detector.succeeded();
    }
    if (outcome.failure().isPresent() && !outcome.diverged()) {
      detector.failed(outcome.failure().get());
    }
    lag.forgetThrough(q.tableId, outcome.mirroredThrough());
    synchronized (q) {
      // Every version up to mirroredThrough has its commit file in the log (a version before
      // it may still lack a checkpoint), whether or not later versions are pending.
      q.through = outcome.diverged() || outcome.mirroredThrough() < -1 ? UNKNOWN : outcome.mirroredThrough();
      q.last = outcome;
      q.notifyAll();
    }
    return outcome;
  }

  // ---- handed-over versions -------------------------------------------------------------

  /** Whether {@link #publish} queues: yes, unless asked to await the log. */
  @Override
  public boolean queues() {
    return true;
  }

  /**
   * Hands over a version just committed. Queued per table, in version order; one worker
   * at a time publishes a table's queue (several versions per turn, their status handed to
   * the {@link StatusRecorder}, which records many turns in one catalog transaction), from the
   * held actions when it can ({@link CommittedVersion}),
   * else by a catalog-driven pass. Without {@code awaitLog} returns at once with a
   * {@link MirrorOutcome#queued} outcome; with it, publishes the table's queue in this
   * thread (or waits for the worker that has it) and returns the outcome.
   */
  @Override
  public MirrorOutcome publish(CommittedVersion committed, boolean awaitLog) {
    long tableId = committed.tableId();
    if (closed || !accepting) {
      return closedOutcome(tableId);
    }
    warmUp.startOnce(tableId, committed.version()); // this process commits: its first checkpoint comes soon
    lag.handedOver(tableId, committed.version());
    TableQueue q = queue(tableId);
    boolean schedule;
    long through;
    long pending;
    synchronized (q) {
      q.queued.put(committed.version(), committed);
      schedule = !awaitLog && !q.scheduled;
      if (schedule) {
        q.scheduled = true;
      }
      through = q.through;
      pending = q.queued.size();
    }
    if (awaitLog) {
      return publishNow(q, committed.version());
    }
    if (schedule && !schedule(q)) {
      synchronized (q) {
        q.scheduled = false;
      }
      return closedOutcome(tableId);
    }
    return MirrorOutcome.queued(tableId, Math.max(-1, through), pending);
  }

  /**
   * Waits until {@code version} of the table is in its log, at most {@code timeout}, while
   * a worker has the table, then for the table's checkpoint being written, if any, within the
   * same time; if the version is still not known to be there, mirrors the table now in this
   * thread (a catalog-driven pass, which also publishes versions committed elsewhere).
   */
  @Override
  public MirrorOutcome awaitMirrored(long tableId, long version, Duration timeout) {
    TableQueue q = queue(tableId);
    long deadline = System.nanoTime() + timeout.toNanos();
    long through;
    int pending;
    synchronized (q) {
      while (q.through < version && (q.scheduled || q.queued.containsKey(version))) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(q, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      through = q.through;
      pending = q.queued.size();
    }
    if (through >= version) {
      // and its due checkpoint, which DROP TABLE and tests expect in the log too, and the status
      lane.await(tableId, deadline);
      status.flush();
      return new MirrorOutcome(tableId, through, pending, Optional.empty(), false);
    }
    return mirror(tableId);
  }

  /**
   * Publishes the table's queue in the calling thread, then waits (at most
   * {@link #SYNCHRONOUS_CHECKPOINT_WAIT}) for the checkpoint it made due, and writes the
   * status of both; the outcome covers {@code version}.
   */
  private MirrorOutcome publishNow(TableQueue q, long version) {
    MirrorOutcome outcome = publishNowLocked(q, version);
    status.flush();
    // Synchronous publishing keeps its promise of a complete log, checkpoint included.
    lane.await(q.tableId, System.nanoTime() + SYNCHRONOUS_CHECKPOINT_WAIT.toNanos());
    status.flush();
    return outcome;
  }

  private MirrorOutcome publishNowLocked(TableQueue q, long version) {
    q.lock.lock();
    try {
      MirrorOutcome outcome = drainOnce(q, detector.paused() ? 1 : config.attempts());
      if (outcome != null) {
        return outcome;
      }
      synchronized (q) {
        if (q.through >= version) {
          return new MirrorOutcome(q.tableId, q.through, q.queued.size(), Optional.empty(), false);
        }
      }
      return runPass(q, config.attempts(), true);
    } finally {
      q.lock.unlock();
    }
  }

  /** Queues a worker's turn on the table behind the turns already waiting; false once the engine is shut down. */
  private boolean schedule(TableQueue q) {
    try {
      workers.execute(() -> drainTurn(q));
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * A worker's turn on a table: publishes what its queue holds, then, if versions arrived
   * meanwhile, queues the table's next turn behind the other tables' instead of staying on
   * it. A table whose writers keep its queue full would otherwise keep its worker for as
   * long as they commit, and with more busy tables than workers the others would wait for
   * the commits to stop. While the engine closes (no new turns accepted) the worker stays
   * on the table until its queue is empty.
   */
  private void drainTurn(TableQueue q) {
    while (true) {
      q.lock.lock();
      try {
        drainOnce(q, detector.paused() ? 1 : config.attempts());
      } catch (RuntimeException e) {
        LOG.warn("mirror worker failed table id={} reason={}", q.tableId, e.toString(), e);
      } finally {
        q.lock.unlock();
      }
      synchronized (q) {
        if (q.queued.isEmpty() || closed) {
          q.scheduled = false;
          q.notifyAll();
          return;
        }
      }
      if (schedule(q)) {
        return;
      }
    }
  }

  /**
   * Publishes what the table's queue holds now; the caller holds the table's lock. Null
   * when the queue was empty (another thread published it).
   */
  private MirrorOutcome drainOnce(TableQueue q, int attempts) {
    List<CommittedVersion> batch;
    long through;
    synchronized (q) {
      if (q.queued.isEmpty()) {
        return null;
      }
      batch = new ArrayList<>(q.queued.values());
      q.queued.clear();
      through = q.through;
    }
    MirrorOutcome outcome;
    try {
      outcome = publishBatch(q, through, batch, attempts);
    } catch (RuntimeException e) {
      outcome = new MirrorOutcome(q.tableId, Math.max(-1, through), batch.size(),
          Optional.of(MirrorErrors.passFailed(q.tableId, e)), false);
      q.tail.reset();
      synchronized (q) {
        q.through = UNKNOWN;
      }
      LOG.warn("mirror of handed-over versions failed table id={} reason={}", q.tableId, e.toString());
    }
    synchronized (q) {
      q.last = outcome;
      q.notifyAll();
    }
    return outcome;
  }

  private MirrorOutcome publishBatch(TableQueue q, long through, List<CommittedVersion> batch, int attempts) {
    if (through == UNKNOWN || q.table == null || batch.get(0).version() > through + 1) {
      MirrorOutcome outcome = runPass(q, attempts, true);
      if (q.table == null && outcome.failure().isEmpty()) {
        q.table = catalog.findTable(q.tableId).orElse(null);
      }
      return outcome;
    }
    TableMirrorPass.HeldResult held = pass.publishHeld(q.table, through, batch, attempts, q.tail);
    if (held.through() > through) {
      detector.succeeded();
    }
    held.outcome().failure().ifPresent(detector::failed);
    lag.forgetThrough(q.tableId, held.through());
    synchronized (q) {
      q.through = held.through();
      q.notifyAll();
    }
    return held.needsPass() ? runPass(q, attempts, true) : held.outcome();
  }

  private TableQueue queue(long tableId) {
    return queues.computeIfAbsent(tableId, TableQueue::new);
  }

  /** Receives each commit file this engine writes from now on. */
  public void addListener(MirrorListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void notifyListeners(long tableId, long version, long commitTimestamp) {
    for (MirrorListener l : listeners) {
      l.published(tableId, version, commitTimestamp);
    }
  }

  /**
   * One table's mirror state in this engine: its lock (one pass or worker at a time), the
   * versions handed over and not yet taken, whether a worker has the table, the newest
   * version known to be in its log, and the base of its next checkpoint.
   */
  private static final class TableQueue {
    final long tableId;
    final ReentrantLock lock = new ReentrantLock();
    final LogTail tail = new LogTail();
    /** Guarded by {@code this}. */
    final TreeMap<Long, CommittedVersion> queued = new TreeMap<>();
    boolean scheduled;
    long through = UNKNOWN;
    MirrorOutcome last;
    /** Read and written under {@link #lock}. */
    TableInfo table;

    TableQueue(long tableId) {
      this.tableId = tableId;
    }
  }

  // ---- backpressure ----------------------------------------------------------------------

  /** How many committed versions of the table are not yet in its {@code _delta_log} (pending or failed). */
  public long unmirroredCount(long tableId) {
    status.flush();
    return catalog.inTransaction(tx -> unmirroredCount(tx, tableId));
  }

  /** {@link #unmirroredCount(long)} inside the caller's catalog transaction. */
  public long unmirroredCount(CatalogTransaction tx, long tableId) {
    return tx.unmirroredVersions(tableId).size();
  }

  /**
   * Refuses a commit to a table that is too far behind its mirror.
   *
   * @throws DeltaException {@code 53000} (retryable) when the table has more than
   *     {@link MirrorConfig#maxUnmirroredVersions()} unmirrored versions
   */
  public void checkBackpressure(long tableId) {
    status.flush();
    catalog.inTransaction(tx -> {
      checkBackpressure(tx, tableId);
      return null;
    });
  }

  /** {@link #checkBackpressure(long)} inside the caller's catalog transaction (e.g. the commit's). */
  public void checkBackpressure(CatalogTransaction tx, long tableId) {
    long unmirrored = unmirroredCount(tx, tableId);
    if (unmirrored > config.maxUnmirroredVersions()) {
      TableInfo table = tx.findTable(tableId).orElseThrow(() -> MirrorErrors.unknownTable(tableId));
      throw MirrorErrors.backlogFull(table, unmirrored, config.maxUnmirroredVersions());
    }
  }

  // ---- status and life cycle ------------------------------------------------------------

  /** Whether the engine runs, is paused after a systemic failure, or is closed. */
  public MirrorEngineStatus status() {
    return detector.status(closed);
  }

  /** Stops the background reconciler (a running pass stops after its current version). Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    accepting = false;
    workers.shutdown();
    try {
      if (!workers.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("mirror workers did not publish their queues within {} ms; the reconciler will", CLOSE_GRACE.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lane.close(CLOSE_GRACE);
    status.close();
    closed = true;
    workers.shutdownNow();
    reconciler.ifPresent(Reconciler::close);
    LOG.info("mirror engine closed");
  }

  /** Whether the background reconciler thread is running (for tests). */
  boolean backgroundRunning() {
    return reconciler.map(r -> !r.terminated()).orElse(false);
  }

  private static MirrorOutcome closedOutcome(long tableId) {
    return new MirrorOutcome(tableId, -1, 0, Optional.of(MirrorErrors.closed(tableId)), false);
  }
}
