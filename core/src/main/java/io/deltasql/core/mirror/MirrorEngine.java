package io.deltasql.core.mirror;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
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
 * {@code _last_checkpoint}. Each version's outcome ({@code DONE}, or {@code FAILED} with
 * the error and the number of attempts) is recorded in the catalog, where the reconciler
 * and {@code sys.mirror_status} find it. Versions recorded as already present (imported
 * tables) are never written.
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
 * tables are mirrored in parallel. Across JVMs (several engines on one catalog) nothing
 * is locked: put-if-absent lets exactly one engine create each file, the others find it
 * identical and record {@code DONE}; each engine writes a version only after that
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

  private final CatalogStore catalog;
  private final MirrorConfig config;
  private final TableMirrorPass pass;
  private final CheckpointPublisher checkpoints;
  private final SystemicFailureDetector detector;
  private final MirrorMetrics metrics;
  private final Map<Long, ReentrantLock> tableLocks = new ConcurrentHashMap<>();
  private final Optional<Reconciler> reconciler;
  private volatile boolean closed;

  private MirrorEngine(CatalogStore catalog, Storage storage, MirrorConfig config, MeterRegistry registry,
      Clock clock) {
    this.catalog = catalog;
    this.config = config;
    this.detector = new SystemicFailureDetector(config.systemicFailureThreshold(), config.coolDown(), clock);
    this.metrics = new MirrorMetrics(registry, detector::paused);
    this.checkpoints = new CheckpointPublisher(catalog, storage);
    this.pass = new TableMirrorPass(catalog, new CommitPublisher(storage), checkpoints,
        new StorageRetry(config, metrics), config, metrics, clock, () -> closed);
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

  /** {@link #open} with a given clock (for the mirror lag and the pause). */
  static MirrorEngine open(CatalogStore catalog, Storage storage, MirrorConfig config, MeterRegistry registry,
      Clock clock) {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
    MirrorEngine engine = new MirrorEngine(catalog, storage, config, registry, clock);
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
    ReentrantLock lock = tableLocks.computeIfAbsent(tableId, id -> new ReentrantLock());
    lock.lock();
    try {
      checkpoints.publish(table, table.currentVersion());
    } finally {
      lock.unlock();
    }
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
    ReentrantLock lock = tableLocks.computeIfAbsent(tableId, id -> new ReentrantLock());
    lock.lock();
    try {
      TableMirrorPass.Result result = pass.run(tableId, attempts);
      MirrorOutcome outcome = result.outcome();
      if (result.progressed()) {
        detector.succeeded();
      }
      if (outcome.failure().isPresent() && !outcome.diverged()) {
        detector.failed(outcome.failure().get());
      }
      return outcome;
    } finally {
      lock.unlock();
    }
  }

  // ---- backpressure ----------------------------------------------------------------------

  /** How many committed versions of the table are not yet in its {@code _delta_log} (pending or failed). */
  public long unmirroredCount(long tableId) {
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
    closed = true;
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
