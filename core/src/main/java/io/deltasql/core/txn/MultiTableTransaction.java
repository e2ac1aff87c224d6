package io.deltasql.core.txn;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.errors.DeltaException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transaction spanning several Delta tables: the actions its statements staged per
 * table, the table versions it read, and its life cycle ({@link TransactionState}). The
 * commit engine validates it against the catalog and commits every table at once.
 *
 * <pre>{@code
 * MultiTableTransaction tx = MultiTableTransaction.builder(config)
 *     .isolationLevel(IsolationLevel.SERIALIZABLE).priority(5).begin();
 * tx.recordRead("dim", 4);
 * tx.addFiles("fact", 12, written);
 * tx.stageActions(new TableActionsBuilder("dim", 4).removeFiles(old).withOperation("DELETE").build());
 * tx.validateOrThrow(catalog);
 * }</pre>
 *
 * <h2>Staging</h2>
 * Staging a table a second time merges: the later statement's actions are appended to
 * the earlier ones ({@link TableActions#mergedWith}), the first read version is kept, and
 * nothing is copied. Staging refuses, with {@code 54000} and without staging anything, a
 * statement that would take the transaction past the limits of its configuration, so
 * that a runaway statement cannot exhaust memory before validation would have caught it.
 * Tables are kept in canonical (sorted) order, the order in which they are locked and
 * committed. Staged actions are dropped when the transaction ends.
 *
 * <h2>Reads</h2>
 * {@link #recordRead} notes the version of a table a statement read. Under REPEATABLE
 * READ and SERIALIZABLE the first read of a table (or the first write, which read it)
 * pins it: {@link #pinnedVersion} gives the version every later statement must read, and
 * {@link #pinSnapshotCut} the catalog cut at which tables not yet read are read. Under
 * SERIALIZABLE, validation checks that no table read has changed.
 *
 * <p>Methods are synchronized: a transaction belongs to one connection, but the lock
 * manager may {@linkplain #markFailed fail} it from another thread. Every misuse is a
 * {@link DeltaException}.
 */
public final class MultiTableTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(MultiTableTransaction.class);

  private final UUID id;
  private final Instant createdAt;
  private final IsolationLevel isolationLevel;
  private final int priority;
  private final MultiTableConfig config;
  private final Clock clock;

  private volatile TransactionState state = TransactionState.ACTIVE;
  private Optional<DeltaException> failure = Optional.empty();
  private final SortedMap<String, TableActions> staged = new TreeMap<>();
  private final SortedMap<String, Long> reads = new TreeMap<>();
  private Optional<Long> snapshotCut = Optional.empty();
  private long actionCount;

  private MultiTableTransaction(Builder b) {
    this.id = b.id.orElseGet(TransactionIds::next);
    this.clock = b.clock;
    this.createdAt = clock.instant();
    this.isolationLevel = b.isolationLevel;
    this.priority = b.priority;
    this.config = b.config;
  }

  /** A new transaction at the default isolation level (READ COMMITTED) and priority 0. */
  public static MultiTableTransaction begin(MultiTableConfig config) {
    return builder(config).begin();
  }

  /** A new transaction at {@code level} and priority 0. */
  public static MultiTableTransaction begin(MultiTableConfig config, IsolationLevel level) {
    return builder(config).isolationLevel(level).begin();
  }

  /** A builder for a transaction with other options. */
  public static Builder builder(MultiTableConfig config) {
    return new Builder(Checks.notNull(config, "config"));
  }

  /** The transaction id, written into every table's {@code commitInfo}. */
  public UUID id() {
    return id;
  }

  /** When the transaction began, by its clock. */
  public Instant createdAt() {
    return createdAt;
  }

  /** How long ago the transaction began, by its clock. */
  public Duration age() {
    return Duration.between(createdAt, clock.instant());
  }

  public IsolationLevel isolationLevel() {
    return isolationLevel;
  }

  /** The priority in conflicts: a deadlock's victim is the lowest priority (then the youngest). */
  public int priority() {
    return priority;
  }

  /** The configuration the transaction began with (its staging limits come from it). */
  public MultiTableConfig config() {
    return config;
  }

  public TransactionState state() {
    return state;
  }

  /** Why the transaction failed, if it was {@linkplain #markFailed marked failed} with a cause. */
  public synchronized Optional<DeltaException> failure() {
    return failure;
  }

  // ---- staging ----

  /**
   * Stages one statement's actions on one table, merged with what earlier statements
   * staged for it (see the class comment).
   *
   * @throws DeltaException {@code 25000} when the transaction is not ACTIVE, or when the
   *     read version is not the table's pinned one; {@code 22023} when the read version
   *     is older than the table's first; {@code 54000} when a limit would be exceeded
   */
  public synchronized void stageActions(TableActions actions) {
    Checks.notNull(actions, "actions");
    String table = actions.table();
    requireActive("stage actions for table '" + table + "'");
    if (isolationLevel.pinsSnapshot() && !actions.isNewTable()) {
      Long pinned = reads.get(table);
      if (pinned != null && pinned != actions.readVersion()) {
        throw TxnErrors.pinMismatch(id, isolationLevel, table, pinned, actions.readVersion());
      }
    }
    TableActions existing = staged.get(table);
    if (existing != null) {
      existing.requireMergeable(actions);
    }
    long tableCount = existing == null ? staged.size() + 1 : staged.size();
    long before = existing == null ? 0 : existing.actionCount();
    long after = existing == null ? actions.actionCount() : existing.actionCountMergedWith(actions);
    if (tableCount > config.maxTables()) {
      throw TxnErrors.stagingLimit(id, "tables", tableCount, config.maxTables(), MultiTableProperty.MAX_TABLES.key());
    }
    if (after > config.maxActionsPerTable()) {
      throw TxnErrors.stagingLimit(id, "actions for table '" + table + "'", after, config.maxActionsPerTable(),
          MultiTableProperty.MAX_ACTIONS_PER_TABLE.key());
    }
    long total = actionCount - before + after;
    if (total > config.maxActions()) {
      throw TxnErrors.stagingLimit(id, "actions", total, config.maxActions(), MultiTableProperty.MAX_ACTIONS.key());
    }
    staged.put(table, existing == null ? actions : existing.mergedWith(actions));
    actionCount = total;
    if (isolationLevel.pinsSnapshot() && !actions.isNewTable()) {
      reads.putIfAbsent(table, actions.readVersion());
    }
    LOG.debug("staged actions txnId={} table={} readVersion={} actions={} tableActions={}",
        id, table, actions.readVersion(), actions.actionCount(), after);
  }

  /** Stages adds of data files to {@code table} as a {@code WRITE} statement that read {@code readVersion}. */
  public void addFiles(String table, long readVersion, Collection<? extends AddFile> files) {
    stageActions(new TableActionsBuilder(table, readVersion).addFiles(files).build());
  }

  /** Stages removes of files of {@code table} as a {@code DELETE} statement that read {@code readVersion}. */
  public void removeFiles(String table, long readVersion, Collection<? extends RemoveFile> files) {
    stageActions(new TableActionsBuilder(table, readVersion).removeFiles(files).withOperation("DELETE")
        .readsTable(true).build());
  }

  /** The staged actions per table, in canonical order. */
  public synchronized SortedMap<String, TableActions> stagedActions() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(staged));
  }

  /** The staged actions of one table. */
  public synchronized Optional<TableActions> stagedActions(String table) {
    return Optional.ofNullable(staged.get(Checks.notNull(table, "table")));
  }

  /** The tables written, in canonical order. */
  public synchronized List<String> stagedTables() {
    return List.copyOf(staged.keySet());
  }

  /** How many actions are staged over all tables. */
  public synchronized long actionCount() {
    return actionCount;
  }

  // ---- reads ----

  /**
   * Records that a statement read {@code table} at {@code version}. Under REPEATABLE READ
   * and SERIALIZABLE the first read pins the table; later reads must be at that version.
   * Under READ COMMITTED the latest read is kept, for information.
   *
   * @throws DeltaException {@code 25000} when not ACTIVE or the version is not the pinned
   *     one; {@code 22023} for a negative version
   */
  public synchronized void recordRead(String table, long version) {
    Checks.tableName(table);
    requireActive("record a read of table '" + table + "'");
    if (version < 0) {
      throw TxnErrors.invalidArgument("version " + version + " of table '" + table + "' is negative");
    }
    if (isolationLevel.pinsSnapshot()) {
      Long pinned = reads.putIfAbsent(table, version);
      if (pinned != null && pinned != version) {
        throw TxnErrors.pinMismatch(id, isolationLevel, table, pinned, version);
      }
    } else {
      reads.put(table, version);
    }
  }

  /** The version every read of {@code table} must use; empty under READ COMMITTED or before the first read. */
  public synchronized Optional<Long> pinnedVersion(String table) {
    Checks.notNull(table, "table");
    return isolationLevel.pinsSnapshot() ? Optional.ofNullable(reads.get(table)) : Optional.empty();
  }

  /** Every table read and its version (pinned, or latest under READ COMMITTED), in canonical order. */
  public synchronized SortedMap<String, Long> readVersions() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(reads));
  }

  /**
   * The catalog cut (a position in the catalog's commit order) at which a statement reads
   * tables it has not read yet. Under READ COMMITTED each statement takes its own cut:
   * {@code cut} is returned and nothing is kept. Above, the first call pins its cut and
   * every call returns the pinned one, so that tables first read late are read at the
   * same point of the commit order as those read first.
   */
  public synchronized long pinSnapshotCut(long cut) {
    requireActive("read a snapshot");
    if (!isolationLevel.pinsSnapshot()) {
      return cut;
    }
    if (snapshotCut.isEmpty()) {
      snapshotCut = Optional.of(cut);
    }
    return snapshotCut.get();
  }

  /** The pinned catalog cut, if any (never under READ COMMITTED). */
  public synchronized Optional<Long> snapshotCut() {
    return snapshotCut;
  }

  // ---- validation ----

  /** {@link #validate(CatalogView, MultiTableConfig)} with this transaction's configuration. */
  public ValidationResult validate(CatalogView catalog) {
    return validate(catalog, config);
  }

  /**
   * Every consistency violation found against {@code catalog} under {@code limits}: state,
   * age, limits, and per table existence, versions, files, metadata, protocol, mirror
   * backpressure; under SERIALIZABLE also the tables read.
   */
  public synchronized ValidationResult validate(CatalogView catalog, MultiTableConfig limits) {
    return new TransactionValidator(catalog, limits)
        .validate(id, state, createdAt, isolationLevel, staged, reads, clock.instant());
  }

  /** {@link #validateOrThrow(CatalogView, MultiTableConfig)} with this transaction's configuration. */
  public void validateOrThrow(CatalogView catalog) {
    validateOrThrow(catalog, config);
  }

  /**
   * Validates and throws if anything was found.
   *
   * @throws DeltaException whose message lists every violation (see {@link ValidationResult#toException()})
   */
  public void validateOrThrow(CatalogView catalog, MultiTableConfig limits) {
    validate(catalog, limits).throwIfInvalid();
  }

  // ---- rebasing (the commit engine, while COMMITTING) ----

  /**
   * Moves a written table's read version to {@code newReadVersion} after the conflict check
   * found that the commits in between commute with the staged actions; the table's read
   * pin moves with it.
   */
  synchronized void rebase(String table, long newReadVersion) {
    requireCommitting("rebase table '" + table + "'");
    TableActions actions = staged.get(table);
    if (actions == null) {
      throw TxnErrors.invalidArgument("table '" + table + "' is not written by transaction " + id);
    }
    staged.put(table, actions.withReadVersion(newReadVersion));
    Long pinned = reads.get(table);
    if (pinned != null && pinned == actions.readVersion()) {
      reads.put(table, newReadVersion);
    }
    LOG.debug("rebased txnId={} table={} from={} to={}", id, table, actions.readVersion(), newReadVersion);
  }

  /**
   * Moves the read version of a table the transaction only read, after the conflict check
   * found that the commits in between did not change what was read.
   */
  synchronized void rebaseRead(String table, long newVersion) {
    requireCommitting("rebase the read of table '" + table + "'");
    Long previous = reads.put(Checks.notNull(table, "table"), newVersion);
    LOG.debug("rebased read txnId={} table={} from={} to={}", id, table, previous, newVersion);
  }

  private void requireCommitting(String operation) {
    if (state != TransactionState.COMMITTING) {
      throw TxnErrors.notActive(id, state, operation, failure);
    }
  }

  // ---- life cycle ----

  /** ACTIVE → COMMITTING: the commit begins; nothing more may be staged. */
  public void beginCommit() {
    transitionTo(TransactionState.COMMITTING);
  }

  /** COMMITTING → COMMITTED. */
  public void markCommitted() {
    transitionTo(TransactionState.COMMITTED);
  }

  /** ACTIVE, COMMITTING or FAILED → ROLLING_BACK. */
  public void beginRollback() {
    transitionTo(TransactionState.ROLLING_BACK);
  }

  /** ROLLING_BACK → ROLLED_BACK. */
  public void markRolledBack() {
    transitionTo(TransactionState.ROLLED_BACK);
  }

  /** ACTIVE → FAILED, remembering why (a deadlock, a lock timeout): only rollback is left. */
  public synchronized void markFailed(DeltaException cause) {
    Checks.notNull(cause, "cause");
    transitionTo(TransactionState.FAILED);
    failure = Optional.of(cause);
  }

  /**
   * Moves to {@code next} if {@link TransactionState#canTransitionTo legal}. Entering a
   * terminal state drops the staged actions and reads.
   *
   * @throws DeltaException {@code 25000} naming the transaction, {@code from} and {@code to}
   */
  public synchronized void transitionTo(TransactionState next) {
    Checks.notNull(next, "state");
    TransactionState from = state;
    if (!from.canTransitionTo(next)) {
      throw TxnErrors.illegalTransition(id, from, next);
    }
    state = next;
    if (next.isTerminal()) {
      staged.clear();
      reads.clear();
      actionCount = 0;
    }
    LOG.debug("transaction state txnId={} from={} to={}", id, from, next);
  }

  @Override
  public synchronized String toString() {
    return "MultiTableTransaction[id=" + id + ", state=" + state + ", isolation=" + isolationLevel.sqlName()
        + ", priority=" + priority + ", tables=" + staged.keySet() + ", actions=" + actionCount + "]";
  }

  private void requireActive(String operation) {
    if (state != TransactionState.ACTIVE) {
      throw TxnErrors.notActive(id, state, operation, failure);
    }
  }

  /** Options of a new transaction. */
  public static final class Builder {
    private final MultiTableConfig config;
    private IsolationLevel isolationLevel = IsolationLevel.DEFAULT;
    private int priority;
    private Clock clock = Clock.systemUTC();
    private Optional<UUID> id = Optional.empty();

    private Builder(MultiTableConfig config) {
      this.config = config;
    }

    public Builder isolationLevel(IsolationLevel level) {
      this.isolationLevel = Checks.notNull(level, "isolation level");
      return this;
    }

    /** Higher is more important; default 0. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** The clock of the creation time and age checks (tests inject a fixed one). */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /** A given id instead of a random one (a retried commit keeps its id). */
    public Builder id(UUID id) {
      this.id = Optional.of(Checks.notNull(id, "id"));
      return this;
    }

    public MultiTableTransaction begin() {
      return new MultiTableTransaction(this);
    }
  }
}
