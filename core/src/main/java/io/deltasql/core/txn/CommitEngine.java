package io.deltasql.core.txn;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.cache.SnapshotCache;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.catalog.CommitRequest;
import io.deltasql.core.catalog.CommitResult;
import io.deltasql.core.catalog.HeldTable;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.catalog.VersionRecord;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.mirror.CommittedVersion;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.table.SnapshotBuilder;
import io.deltasql.core.txn.ConsistencyViolation.MirrorBacklogFull;
import io.deltasql.core.txn.ConsistencyViolation.ReadInvalidated;
import io.deltasql.core.txn.ConsistencyViolation.RemovedFileNotActive;
import io.deltasql.core.txn.ConsistencyViolation.TableAlreadyExists;
import io.deltasql.core.txn.ConsistencyViolation.VersionMismatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog half of a commit (DESIGN.md, "Commit protocol" steps 2 and 3), run while the
 * writer holds the transaction's table locks. Each attempt is one catalog transaction that
 * opens a {@link CatalogTransactionView} (one cut), validates the transaction against it
 * and, if everything holds, commits every table with one {@code commitAll}. When a table
 * moved past the version the transaction read, the attempt instead loads the winning
 * versions' actions and the {@link ConflictChecker} decides: rebase and try again (after a
 * backoff, at most {@code maxCommitRetries} times), or fail with {@code 40001}. A winning
 * version carrying this transaction's id means a retried commit already landed: the next
 * attempt only collects the recorded results.
 *
 * <p><b>SERIALIZABLE across JVMs.</b> Reads are validated against the attempt's cut. The
 * writer's shared table locks keep the transactions of this JVM from committing to a table
 * read between the validation and the catalog commit, but not writers in other processes.
 * So a transaction that validates its reads opens the attempt's cut by locking the catalog
 * rows of every table it reads or writes, in table id order, with the lock of the commit's
 * own compare-and-set ({@link CatalogTransaction#lockCurrentVersions}): a commit to one of
 * those tables from any process either lands before the cut (and validation sees it) or
 * waits until this catalog transaction ends. Two write-skewed transactions thus serialize
 * in the catalog, and the second one's validation fails with {@code 40001}. Other levels
 * validate no reads and keep the plain cut; their compare-and-set catches lost races.
 *
 * <p><b>Held tables: a first attempt without the cut.</b> When the writer holds every table
 * a READ COMMITTED or REPEATABLE READ transaction writes at the version it read (the snapshot
 * cache's newest version of each is the read version, as after this writer's own last commit
 * to it, and the writer knows the table's row from an earlier cut), the first attempt reads
 * nothing: it validates against the cached snapshots at the read versions and commits with
 * {@link CatalogTransaction#commitAllHeld}, whose compare-and-set also checks divergence and
 * the mirror backlog, and whose unique key refuses a transaction id already recorded. If a
 * table was not as held, nothing was written, and the usual attempt (the cut) follows at
 * once, neither counted as a retry nor delayed: it finds out what happened, as it would have.
 * A first attempt that does not validate against the held tables also takes the cut, so that
 * every failure is reported by the usual attempt.
 */
final class CommitEngine {
  private static final Logger LOG = LoggerFactory.getLogger(CommitEngine.class);

  private final CatalogStore catalog;
  private final SnapshotCache cache;
  private final CommitPlan plan;
  private final WriterMetrics metrics;
  private final CommitHook hook;
  /**
   * The catalog row of each table at the cut of the last usual attempt that committed to it,
   * by key: what a held commit names it by. A held attempt that misses forgets its tables.
   */
  private final Cache<String, TableInfo> rows = Caffeine.newBuilder().maximumSize(10_000).build();

  CommitEngine(CatalogStore catalog, SnapshotCache cache, CommitPlan plan, WriterMetrics metrics, CommitHook hook) {
    this.catalog = catalog;
    this.cache = cache;
    this.plan = plan;
    this.metrics = metrics;
    this.hook = hook;
  }

  /**
   * What the catalog committed: per table key its result, the version it was based on, and
   * the version as the mirror gets it (with the actions as stored, unless the commit was
   * already recorded).
   */
  record Committed(Map<String, CommitResult> results, Map<String, Long> readVersions,
      Map<String, CommittedVersion> versions, int retries) {}

  /** The outcome of one attempt: committed, or refused with what validation found and the versions that won. */
  private sealed interface Attempt {}

  private record Done(Map<String, CommitResult> results, Map<String, Long> readVersions,
      Map<String, CommittedVersion> versions) implements Attempt {}

  private record Refused(ValidationResult validation, Map<String, List<WinningCommit>> winners,
      Set<String> ownCommits) implements Attempt {}

  /** Whether a commit failure leaves the outcome unknown (so the transaction's files must be kept). */
  static boolean isUnknownOutcome(DeltaException e) {
    return e.sqlState().startsWith("08");
  }

  /**
   * Commits {@code tx} (state COMMITTING) and returns what the catalog recorded.
   *
   * @throws DeltaException {@code 40001} for a conflict or too many lost races, the state of
   *     the first violation that no retry clears, {@code 53000} for backpressure, {@code 08xxx}
   *     when the outcome is unknown, or the catalog's own failure
   */
  Committed commit(MultiTableTransaction tx, WriterSession session) {
    MultiTableConfig config = tx.config();
    long deadline = System.nanoTime() + config.commitTimeout().toNanos();
    ConflictChecker checker = new ConflictChecker(tx.id().toString(), tx.isolationLevel());
    int retries = 0;
    boolean collectRecorded = false;
    for (int attempt = 1; ; attempt++) {
      Attempt outcome;
      try {
        boolean collect = collectRecorded;
        int number = attempt;
        Optional<Done> held = attempt == 1 ? commitHeld(tx, session) : Optional.empty();
        outcome = held.isPresent() ? held.get()
            : catalog.inTransaction(ctx -> attempt(ctx, tx, session, collect, number));
      } catch (DeltaException e) {
        if (!isRetryableCatalogFailure(e)) {
          throw e;
        }
        LOG.debug("commit attempt lost to the catalog txnId={} attempt={} sqlState={}", tx.id(), attempt,
            e.sqlState());
        retries = nextRetry(tx, retries, deadline, e);
        continue;
      }
      if (outcome instanceof Done done) {
        cacheCommitted(done);
        return new Committed(done.results(), done.readVersions(), done.versions(), retries);
      }
      Refused refused = (Refused) outcome;
      if (!refused.ownCommits().isEmpty()) {
        LOG.info("commit already recorded txnId={} tables={}", tx.id(), refused.ownCommits());
        collectRecorded = true;
        continue;
      }
      List<ConflictDecision.Rebase> rebases = resolve(tx, session, checker, refused);
      for (ConflictDecision.Rebase r : rebases) {
        if (tx.stagedActions(r.table()).isPresent()) {
          tx.rebase(r.table(), r.version());
        } else {
          tx.rebaseRead(r.table(), r.version());
        }
      }
      LOG.debug("commit rebased txnId={} attempt={} rebases={}", tx.id(), attempt, rebases);
      retries = nextRetry(tx, retries, deadline, new DeltaException(SqlState.SERIALIZATION_FAILURE,
          "tables " + rebases.stream().map(ConflictDecision::table).toList() + " moved on"));
    }
  }

  private Attempt attempt(CatalogTransaction ctx, MultiTableTransaction tx, WriterSession session,
      boolean collectRecorded, int attempt) {
    Set<String> keys = new LinkedHashSet<>(tx.stagedTables());
    if (tx.isolationLevel().validatesReads()) {
      keys.addAll(tx.readVersions().keySet());
    }
    boolean lockRows = tx.isolationLevel().validatesReads();
    CatalogTransactionView view = CatalogTransactionView.open(ctx, cache, keys, session.bound(), lockRows,
        tx.id().toString());
    if (!collectRecorded) {
      ValidationResult validation = tx.validate(view);
      if (!validation.isValid()) {
        return refused(ctx, view, tx, validation);
      }
      hook.beforeCatalogCommit(tx, attempt);
    }
    List<CommitPlan.TableRequest> requests = plan.requests(ctx, view, tx, session);
    List<CommitResult> results = ctx.commitAll(requests.stream().map(CommitPlan.TableRequest::request).toList());
    if (collectRecorded && !results.stream().allMatch(CommitResult::alreadyCommitted)) {
      // The id was committed before, but not with these tables: undo this catalog transaction.
      throw WriterErrors.idReusedWithOtherTables(tx.id(), requests.stream().map(CommitPlan.TableRequest::table)
          .toList());
    }
    rows.putAll(view.tables());
    return done(requests, results, tx, view);
  }

  /**
   * The first attempt of a transaction whose tables the writer holds ({@link #held}), without
   * the cut (see the class comment); empty when the usual attempt must run instead: a table
   * not held, not as held, or a validation that did not pass.
   */
  private Optional<Done> commitHeld(MultiTableTransaction tx, WriterSession session) {
    Optional<Map<String, HeldTable>> held = held(tx, session);
    if (held.isEmpty()) {
      return Optional.empty();
    }
    try {
      Optional<Done> done = catalog.inTransaction(ctx -> attemptHeld(ctx, tx, session, held.get()));
      if (done.isPresent()) {
        metrics.held();
      }
      return done;
    } catch (DeltaException e) {
      if (e.state() != SqlState.SERIALIZATION_FAILURE) {
        throw e;
      }
      // Until a usual attempt commits to them again (and reads their rows), the tables are not
      // held: a table refused for its mirror backlog is then refused by the cut alone, without
      // writing rows to roll back first, for as long as the mirror is behind.
      rows.invalidateAll(held.get().keySet());
      metrics.heldMissed();
      LOG.debug("held commit missed, reading the tables txnId={} reason={}", tx.id(), e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * What the writer holds of each table the transaction writes, by key: its row from an earlier
   * cut and its cached snapshot at the read version, which must be the newest version the
   * cache knows. Empty if any table is not held, or the transaction validates its reads
   * (SERIALIZABLE: those need the locking cut).
   */
  private Optional<Map<String, HeldTable>> held(MultiTableTransaction tx, WriterSession session) {
    if (tx.isolationLevel().validatesReads()) {
      return Optional.empty();
    }
    Map<String, TableRef> bound = session.bound();
    Map<String, HeldTable> held = new LinkedHashMap<>();
    for (TableActions actions : tx.stagedActions().values()) {
      String key = actions.table();
      TableInfo row = actions.isNewTable() ? null : rows.getIfPresent(key);
      if (row == null || row.diverged()) {
        return Optional.empty();
      }
      TableRef ref = bound.get(key);
      long read = actions.readVersion();
      if ((ref != null && ref.tableId() != row.tableId()) || cache.newestCached(row.tableId()).orElse(-1) != read) {
        return Optional.empty();
      }
      Optional<Snapshot> snapshot = cache.cached(row.tableId(), read);
      if (snapshot.isEmpty()) {
        return Optional.empty();
      }
      held.put(key, new HeldTable(row, snapshot.get().timestamp()));
    }
    return Optional.of(held);
  }

  private Optional<Done> attemptHeld(CatalogTransaction ctx, MultiTableTransaction tx, WriterSession session,
      Map<String, HeldTable> held) {
    Map<String, TableInfo> tables = new LinkedHashMap<>();
    Map<String, Long> readVersions = new LinkedHashMap<>();
    Map<Long, HeldTable> byId = new HashMap<>();
    held.forEach((key, h) -> {
      tables.put(key, h.table());
      readVersions.put(key, tx.stagedActions(key).orElseThrow().readVersion());
      byId.put(h.table().tableId(), h);
    });
    CatalogTransactionView view = CatalogTransactionView.held(ctx, cache, tables, readVersions);
    if (!tx.validate(view).isValid()) {
      return Optional.empty();
    }
    hook.beforeCatalogCommit(tx, 1);
    List<CommitPlan.TableRequest> requests = plan.requests(ctx, view, tx, session);
    List<CommitResult> results = ctx.commitAllHeld(requests.stream().map(CommitPlan.TableRequest::request).toList(),
        byId, tx.config().mirrorMaxUnmirroredVersions());
    return Optional.of(done(requests, results, tx, view));
  }

  private static Done done(List<CommitPlan.TableRequest> requests, List<CommitResult> results,
      MultiTableTransaction tx, CatalogTransactionView view) {
    Map<String, CommitResult> byTable = new LinkedHashMap<>();
    Map<String, Long> readVersions = new LinkedHashMap<>();
    Map<String, CommittedVersion> versions = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      String key = requests.get(i).table();
      CommitRequest request = requests.get(i).request();
      CommitResult result = results.get(i);
      byTable.put(key, result);
      readVersions.put(key, request.readVersion());
      versions.put(key, committedVersion(key, request, result, tx, view));
    }
    return new Done(byTable, readVersions, versions);
  }

  /**
   * The version as the mirror gets it: the actions exactly as the catalog stored them and
   * the metadata in force, unless the commit was recorded before (then its actions may
   * differ from this attempt's: the mirror reads them from the catalog).
   */
  private static CommittedVersion committedVersion(String key, CommitRequest request, CommitResult result,
      MultiTableTransaction tx, CatalogTransactionView view) {
    if (result.alreadyCommitted()) {
      return CommittedVersion.withoutActions(result.tableId(), result.version(), result.timestamp(), result.txnId());
    }
    Optional<Metadata> metadata = tx.stagedActions(key).flatMap(TableActions::metadata)
        .or(() -> view.readHead(key).map(TableHead::metadata));
    return new CommittedVersion(result.tableId(), result.version(), result.timestamp(), result.txnId(),
        Optional.of(request.actionsCommittedAt(result.timestamp())), metadata);
  }

  /**
   * Caches the snapshot of each new version, built from the cached snapshot of the version
   * it was based on and the committed actions, so that the next commit's validation (and
   * reads) of the table find it instead of reading the version back from the catalog.
   */
  private void cacheCommitted(Done done) {
    done.versions().forEach((key, v) -> {
      if (v.actions().isEmpty()) {
        return;
      }
      long readVersion = done.readVersions().get(key);
      Optional<Snapshot> base = readVersion < 0 ? Optional.empty() : cache.cached(v.tableId(), readVersion);
      if (readVersion >= 0 && base.isEmpty()) {
        return;
      }
      SnapshotBuilder builder = base.map(SnapshotBuilder::new).orElseGet(SnapshotBuilder::new);
      builder.applyAll(v.actions().get());
      if (builder.protocol().isEmpty() || builder.metadata().isEmpty()) {
        return;
      }
      Snapshot committed = builder.build(v.version(), v.commitTimestamp());
      if (base.isPresent()) {
        cache.put(v.tableId(), committed, v.actions().get().size());
      } else {
        cache.put(v.tableId(), committed);
      }
    });
  }

  /** Loads the versions that won each moved table, and notes tables holding this transaction's own commit. */
  private static Refused refused(CatalogTransaction ctx, CatalogTransactionView view, MultiTableTransaction tx,
      ValidationResult validation) {
    Map<String, List<WinningCommit>> winners = new LinkedHashMap<>();
    Set<String> own = new LinkedHashSet<>();
    for (ConsistencyViolation v : validation.violations()) {
      if (v instanceof VersionMismatch m && m.actual() > m.expected()) {
        winners.put(m.table(), load(ctx, view, m.table(), m.expected(), m.actual()));
      } else if (v instanceof ReadInvalidated r && r.currentVersion().filter(c -> c > r.readVersion()).isPresent()) {
        winners.putIfAbsent(r.table(), load(ctx, view, r.table(), r.readVersion(), r.currentVersion().get()));
      } else if (v instanceof TableAlreadyExists t) {
        String[] names = TableRef.split(t.table());
        TableInfo info = ctx.findTable(names[0], names[1]).orElse(null);
        if (info != null) {
          Optional<String> creator = ctx.versionRecord(info.tableId(), info.oldestVersion())
              .flatMap(VersionRecord::txnId);
          if (creator.filter(tx.id().toString()::equals).isPresent()) {
            own.add(t.table());
          }
        }
      }
    }
    String id = tx.id().toString();
    winners.forEach((table, versions) -> {
      if (versions.stream().anyMatch(w -> w.txnId().filter(id::equals).isPresent())) {
        own.add(table);
      }
    });
    return new Refused(validation, winners, own);
  }

  private static List<WinningCommit> load(CatalogTransaction ctx, CatalogTransactionView view, String table,
      long readVersion, long current) {
    long tableId = view.table(table).orElseThrow(() -> WriterErrors.unknownTable(table)).tableId();
    List<WinningCommit> winners = new ArrayList<>();
    for (long v = readVersion + 1; v <= current; v++) {
      List<Action> actions = ctx.versionActions(tableId, v);
      winners.add(new WinningCommit(v, actions));
    }
    return winners;
  }

  /**
   * Decides every moved table. Throws when something cannot be resolved by rebasing: a
   * violation that no retry clears first, then logical conflicts, then the retryable rest
   * (backpressure); returns the rebases otherwise.
   */
  private List<ConflictDecision.Rebase> resolve(MultiTableTransaction tx, WriterSession session,
      ConflictChecker checker, Refused refused) {
    Map<String, ConflictDecision> decisions = new LinkedHashMap<>();
    for (Map.Entry<String, List<WinningCommit>> e : refused.winners().entrySet()) {
      String table = e.getKey();
      Optional<TableActions> staged = tx.stagedActions(table);
      long readVersion = staged.map(TableActions::readVersion)
          .orElseGet(() -> tx.readVersions().getOrDefault(table, -1L));
      boolean readsData = session.hasRead(table) || staged.map(s -> !s.isBlindAppend()).orElse(true);
      decisions.put(table, checker.check(table, readVersion, staged, readsData, e.getValue()));
    }
    for (ConflictDecision d : decisions.values()) {
      if (d instanceof ConflictDecision.AlreadyCommitted) {
        // Unreachable: refused() finds the transaction's own commits before any decision.
        throw new DeltaException(SqlState.INTERNAL_ERROR, "transaction " + tx.id()
            + " found its own commit while checking conflicts of table '" + d.table() + "'");
      }
    }
    List<ConsistencyViolation> remaining = new ArrayList<>();
    for (ConsistencyViolation v : refused.validation().violations()) {
      Optional<String> table = v.affectedTable();
      boolean decided = table.isPresent() && decisions.containsKey(table.get());
      boolean explained = decided && (v instanceof VersionMismatch || v instanceof ReadInvalidated
          || v instanceof RemovedFileNotActive);
      if (!explained) {
        remaining.add(v);
      }
    }
    List<ConflictDecision.Conflict> conflicts = decisions.values().stream()
        .filter(ConflictDecision.Conflict.class::isInstance).map(ConflictDecision.Conflict.class::cast).toList();
    if (remaining.stream().anyMatch(v -> !v.isRetryable())) {
      throw refusal(tx, remaining);
    }
    if (!conflicts.isEmpty()) {
      metrics.conflict();
      DeltaException e = WriterErrors.conflict(tx.id(), conflicts);
      LOG.info("commit conflict txnId={} isolation={} conflicts={}", tx.id(), tx.isolationLevel().sqlName(),
          conflicts.stream().map(ConflictDecision.Conflict::describe).toList());
      throw e;
    }
    if (!remaining.isEmpty()) {
      throw refusal(tx, remaining);
    }
    return decisions.values().stream().map(ConflictDecision.Rebase.class::cast).toList();
  }

  private DeltaException refusal(MultiTableTransaction tx, List<ConsistencyViolation> violations) {
    if (violations.stream().anyMatch(MirrorBacklogFull.class::isInstance)) {
      metrics.backpressure();
    }
    ValidationResult result = new ValidationResult(Optional.of(tx.id()), violations);
    LOG.info("commit refused txnId={} violations={} sqlState={}", tx.id(), violations.size(),
        result.sqlState().map(SqlState::code).orElse(""));
    return result.toException().orElseThrow();
  }

  /** Counts a retry; throws when none is left (or time ran out); waits the backoff. */
  private int nextRetry(MultiTableTransaction tx, int retries, long deadline, DeltaException cause) {
    MultiTableConfig config = tx.config();
    if (retries >= config.maxCommitRetries()) {
      throw isUnknownOutcome(cause) ? WriterErrors.unknownOutcome(tx.id(), cause)
          : WriterErrors.tooManyRetries(tx.id(), retries, cause);
    }
    Duration wait = config.backoff(retries);
    if (System.nanoTime() + wait.toNanos() > deadline) {
      throw isUnknownOutcome(cause) ? WriterErrors.unknownOutcome(tx.id(), cause)
          : WriterErrors.commitTimeout(tx.id(), config.commitTimeout(), cause);
    }
    metrics.retried();
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WriterErrors.interrupted(tx.id(), cause);
    }
    return retries + 1;
  }

  /**
   * Failures of a catalog transaction that another attempt may get past: a lost race or
   * serialization failure, a catalog deadlock, a catalog row lock timeout, a broken
   * connection (whose outcome the next attempt finds out through the transaction id).
   */
  private static boolean isRetryableCatalogFailure(DeltaException e) {
    SqlState s = e.state();
    return s == SqlState.SERIALIZATION_FAILURE || s == SqlState.DEADLOCK_DETECTED
        || s == SqlState.LOCK_NOT_AVAILABLE || isUnknownOutcome(e);
  }
}
