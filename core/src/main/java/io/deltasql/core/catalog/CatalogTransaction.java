package io.deltasql.core.catalog;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.catalog.TableStatements.TableRow;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.table.Snapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One catalog transaction: everything done through it commits or rolls back together.
 * Obtained only inside {@link CatalogStore#inTransaction}; several tables' commits made
 * through one transaction are atomic ({@link #commitAll} orders them canonically, by
 * table id, so concurrent multi-table commits cannot deadlock in the catalog).
 *
 * <p>Reads name the version they read, so what they return is consistent even while
 * other writers commit; and a transaction reads its own writes.
 */
public final class CatalogTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogTransaction.class);

  /** File rows one transaction writes between refreshes of the file table's statistics. */
  static final long STATISTICS_ROWS_WITHIN = 20_000;

  private final CatalogErrors errors;
  private final TableStatements tables;
  private final SchemaStatements schemas;
  private final CommitWriter writer;
  private final SnapshotReader reader;
  private final MirrorStatements mirror;
  private final CatalogDialect dialect;
  private final Connection connection;
  private boolean ended;
  private boolean failed;
  /** {@link CommitWriter#fileRows} when the file table's statistics were last refreshed in this transaction. */
  private long fileRowsAtRefresh;

  CatalogTransaction(Connection connection, CatalogConfig config, CatalogDialect dialect, CatalogErrors errors,
      Clock clock, FileImages.Later later) {
    this.errors = errors;
    this.dialect = dialect;
    this.connection = connection;
    this.tables = new TableStatements(connection, clock);
    this.schemas = new SchemaStatements(connection, clock);
    this.mirror = new MirrorStatements(connection, clock);
    this.writer = new CommitWriter(connection, tables, mirror, clock, config.batchSize(),
        dialect.pipelinesStatements());
    this.reader = new SnapshotReader(connection, dialect, later);
  }

  // ---- schemas --------------------------------------------------------------------------

  /** Every schema: those created and those that tables name, by name. */
  public List<String> listSchemas() {
    return run(() -> "list schemas", schemas::list);
  }

  /** Whether the schema was created or a table names it. */
  public boolean schemaExists(String schemaName) {
    return run(() -> "look up schema " + schemaName, () -> schemas.exists(schemaName));
  }

  /**
   * Creates an empty schema.
   *
   * @throws DeltaException {@code 42P06} if it exists
   */
  public void createSchema(String schemaName) {
    requireName(schemaName, "schema name");
    run(() -> "create schema " + schemaName, () -> {
      if (schemas.exists(schemaName)) {
        throw new io.deltasql.core.errors.DeltaException(io.deltasql.core.errors.SqlState.DUPLICATE_SCHEMA,
            "Schema '" + schemaName + "' already exists");
      }
      schemas.insert(schemaName);
      return null;
    });
  }

  /**
   * Forgets a schema; its tables must have been dropped first.
   *
   * @return false if no such schema was created
   * @throws DeltaException {@code 2BP01} if tables still name it
   */
  public boolean dropSchema(String schemaName) {
    return run(() -> "drop schema " + schemaName, () -> {
      List<TableInfo> left = tables.list(Optional.of(schemaName));
      if (!left.isEmpty()) {
        throw new io.deltasql.core.errors.DeltaException(io.deltasql.core.errors.SqlState.DEPENDENT_OBJECTS_STILL_EXIST,
            "Schema '" + schemaName + "' still holds " + left.size() + " table(s), e.g. " + left.get(0).qualifiedName()
                + "; drop them first (or DROP SCHEMA ... CASCADE)");
      }
      return schemas.delete(schemaName);
    });
  }

  // ---- tables ---------------------------------------------------------------------------

  /**
   * Registers a table without any version: commit version 0 (read version {@code -1}) or
   * import a base version next, normally in the same transaction.
   */
  public TableInfo registerTable(String schemaName, String tableName, String location, Map<String, String> properties) {
    requireName(schemaName, "schema name");
    requireName(tableName, "table name");
    requireName(location, "location");
    return run(() -> "register table " + schemaName + "." + tableName, () -> {
      if (tables.byName(schemaName, tableName).isPresent()) {
        throw CatalogErrors.duplicateTable(schemaName, tableName);
      }
      Optional<TableRow> owner = tables.byLocation(location);
      if (owner.isPresent()) {
        throw CatalogErrors.duplicateLocation(location, owner.get().info());
      }
      TableInfo table = tables.insert(schemaName, tableName, location, properties).info();
      LOG.info("catalog registered table={} id={} location={}", table.qualifiedName(), table.tableId(), location);
      return table;
    });
  }

  /** Removes a table and its whole history from the catalog; false if it did not exist. */
  public boolean dropTable(long tableId) {
    return run(() -> "drop " + tables.describe(tableId), () -> {
      boolean dropped = tables.delete(tableId);
      LOG.info("catalog dropped table id={} found={}", tableId, dropped);
      return dropped;
    });
  }

  public Optional<TableInfo> findTable(String schemaName, String tableName) {
    return run(() -> "look up table " + schemaName + "." + tableName,
        () -> tables.byName(schemaName, tableName).map(TableRow::info));
  }

  public Optional<TableInfo> findTable(long tableId) {
    return run(() -> "look up " + tables.describe(tableId), () -> tables.byId(tableId).map(TableRow::info));
  }

  /** The tables of one schema, by name. */
  public List<TableInfo> listTables(String schemaName) {
    return run(() -> "list the tables of schema " + schemaName, () -> tables.list(Optional.of(schemaName)));
  }

  /** Every table, by schema and name. */
  public List<TableInfo> listTables() {
    return run(() -> "list tables", () -> tables.list(Optional.empty()));
  }

  /** The latest committed version of a table ({@code -1} before version 0). */
  public long currentVersion(long tableId) {
    return requireTable(tableId).info().currentVersion();
  }

  /**
   * The latest versions of several tables read by one statement, so that no commit is seen
   * on one table and missed on another when the database gives statement-level snapshots.
   * Unknown ids are absent from the result.
   */
  public Map<Long, Long> currentVersions(Collection<Long> tableIds) {
    return run(() -> "read the current versions of tables " + tableIds, () -> tables.currentVersions(tableIds));
  }

  /**
   * The rows of the tables with these ids and these names, each with its count of versions
   * not yet mirrored, read by one statement: a commit's cut (see {@link #currentVersions})
   * and what its validation needs of each table, in one round trip. Tables not found are
   * absent from the result.
   */
  public List<TableState> tableStates(Collection<Long> tableIds, Collection<TableName> names) {
    return run(() -> "read the rows of tables " + tableIds + " " + names, () -> tables.states(tableIds, names));
  }

  /**
   * {@link #tableStates}, read by a commit of transaction {@code txnId} that is about to
   * {@link #commitAll} in this catalog transaction: the same statement also reads what the
   * commit checks of each table (the version already holding the transaction id, the current
   * version's timestamp), so that {@code commitAll} of tables still at the versions read
   * here needs no read of its own. What changes in between is still caught by the
   * compare-and-set.
   */
  public List<TableState> tableStates(Collection<Long> tableIds, Collection<TableName> names, String txnId) {
    return run(() -> "read the rows of tables " + tableIds + " " + names,
        () -> tables.states(tableIds, names, Optional.of(txnId)));
  }

  /**
   * Locks the rows of several tables until this catalog transaction ends and returns their
   * current versions: what a commit that depends on tables it does not write (SERIALIZABLE
   * reads) validates against, also when the other writers run in other processes. The rows
   * are locked in table id order, as {@link #commitAll} takes them, so two such commits
   * never deadlock; the lock is the one the commit's compare-and-set takes, so a concurrent
   * commit to any of these tables waits for this transaction, or this one for it, and then
   * sees its version. Unknown ids are absent from the result.
   *
   * @throws DeltaException {@code 55P03} when a row lock is not granted within the
   *     catalog's lock timeout (retryable)
   */
  public Map<Long, Long> lockCurrentVersions(Collection<Long> tableIds) {
    return run(() -> "lock the rows of tables " + tableIds,
        () -> tables.lockVersions(tableIds, dialect.rowLockClause()));
  }

  /** Marks a table diverged from its {@code _delta_log} (writes refused), or clears the mark. */
  public void setDivergence(long tableId, Optional<String> reason) {
    run(() -> "mark " + tables.describe(tableId) + " diverged", () -> {
      if (!tables.setDivergence(tableId, reason)) {
        throw CatalogErrors.unknownTable(tableId);
      }
      LOG.warn("catalog table divergence id={} diverged={} reason={}", tableId, reason.isPresent(),
          reason.orElse(""));
      return null;
    });
  }

  // ---- commits --------------------------------------------------------------------------

  /**
   * Commits one version of one table: compare-and-set of the table's version from
   * {@code readVersion} to {@code readVersion + 1}, then the version and its actions.
   * Returns the recorded result if the transaction id was already committed to the table.
   *
   * @throws DeltaException {@code 40001} if another writer committed the version first,
   *     {@code 22000} for a commit the Delta protocol forbids, {@code 55000} for a diverged
   *     table, {@code 42P01} for an unknown table, {@code 25006} for a read-only catalog
   */
  public CommitResult commit(CommitRequest request) {
    Objects.requireNonNull(request, "request");
    return run(() -> "commit version " + request.version() + " of " + tables.describe(request.tableId())
        + " (transaction " + request.txnId() + ")", () -> refreshingStatistics(writer.commitAll(List.of(request)).get(0)));
  }

  /**
   * Commits one version of each of several tables, in table id order; results come back
   * in the order of the requests. All or nothing with the enclosing transaction.
   */
  public List<CommitResult> commitAll(List<CommitRequest> requests) {
    return commitOrdered(requests, writer::commitAll);
  }

  /**
   * {@link #commitAll} for a committer that holds every table at its request's read version
   * ({@link HeldTable}: its row and the read version's timestamp, e.g. from its own last
   * commit): nothing is read before the writes, one round trip fewer than {@link #commitAll}.
   * The compare-and-set then also checks what that read would have (the table is not
   * diverged, at most {@code maxUnmirrored} of its versions are not yet mirrored), and the
   * unique key of (table, transaction id) refuses an id already recorded. Meant for a first
   * attempt, whose transaction id is normally new.
   *
   * @throws DeltaException {@code 40001} when a table was not as held (moved on, diverged,
   *     too far behind its mirror, or holding the transaction id): nothing is written, this
   *     catalog transaction must be rolled back, and {@link #commitAll} in a new one tells
   *     which; {@code 22023} for a request without a held row
   */
  public List<CommitResult> commitAllHeld(List<CommitRequest> requests, Map<Long, HeldTable> held,
      long maxUnmirrored) {
    Objects.requireNonNull(held, "held");
    try {
      return commitOrdered(requests, ordered -> writer.commitAllHeld(ordered, held, maxUnmirrored));
    } catch (TransientCatalogException e) {
      throw CatalogErrors.notAsHeld(requests, e);
    }
  }

  private List<CommitResult> commitOrdered(List<CommitRequest> requests, OrderedCommit commit) {
    Set<Long> ids = new HashSet<>();
    for (CommitRequest request : requests) {
      if (!ids.add(request.tableId())) {
        throw CatalogErrors.tableTwiceInOneCommit(request.tableId());
      }
    }
    List<CommitRequest> ordered = new ArrayList<>(requests);
    ordered.sort(Comparator.comparingLong(CommitRequest::tableId));
    List<CommitResult> committed = run(() -> "commit " + ordered.stream()
        .map(r -> "version " + r.version() + " of " + tables.describe(r.tableId())).toList()
        + (ordered.isEmpty() ? "" : " (transaction " + ordered.get(0).txnId() + ")"),
        () -> refreshingStatistics(commit.write(ordered)));
    Map<Long, CommitResult> results = new HashMap<>();
    committed.forEach(r -> results.put(r.tableId(), r));
    return requests.stream().map(r -> results.get(r.tableId())).toList();
  }

  /** Writes the base version of a table imported from a checkpoint (see {@link BaseVersion}). */
  public CommitResult importBase(BaseVersion base) {
    Objects.requireNonNull(base, "base");
    return run(() -> "import base version " + base.snapshot().version() + " of " + tables.describe(base.tableId()),
        () -> refreshingStatistics(writer.importBase(base)));
  }

  /**
   * Writes consecutive versions of one table replayed from its log by an import, each request
   * reading the version the one before it writes: the same rows as a {@link #commit} of each
   * in turn, with the table's row read once and advanced once (see {@link
   * CommitWriter#importCommits}). All or nothing with the enclosing transaction.
   *
   * @throws DeltaException {@code 40001} if the table is not at the first request's read
   *     version, {@code 22000} for a commit the Delta protocol forbids or requests of several
   *     tables, {@code 42P01} for an unknown table
   */
  public List<CommitResult> importCommits(List<CommitRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    if (requests.isEmpty()) {
      return List.of();
    }
    CommitRequest first = requests.get(0);
    return run(() -> "import versions " + first.version() + " to " + requests.get(requests.size() - 1).version()
        + " of " + tables.describe(first.tableId()), () -> refreshingStatistics(writer.importCommits(requests)));
  }

  // ---- snapshots and history ------------------------------------------------------------

  /** The latest snapshot of a table. */
  public Snapshot snapshot(long tableId) {
    return run(() -> "read the latest snapshot of " + tables.describe(tableId), () -> {
      TableRow row = requireVersions(tableId);
      return reader.snapshotAt(row, row.info().currentVersion());
    });
  }

  /** The file images worth writing once this transaction commits (see {@link FileImageWriter}). */
  List<FileImageWriter.Candidate> fileImageCandidates() {
    return reader.imageCandidates();
  }

  /**
   * Writes the image of a committed version (see {@link FileImages#write}); called by the
   * {@link FileImageWriter} in a transaction of its own.
   */
  boolean writeFileImage(long tableId, long version, int fileCount, List<byte[]> chunks, OptionalLong unusable) {
    return run(() -> "write the file image of version " + version + " of " + tables.describe(tableId),
        () -> new FileImages(connection, dialect).write(tableId, version,
            tables.byId(tableId).map(row -> OptionalLong.of(row.info().currentVersion())).orElse(OptionalLong.empty()),
            fileCount, chunks, unusable));
  }

  /** Reads the file images (the parts of an image read earlier that a listing did not fetch). */
  <T> T readFileImages(FileImages.Read<T> read) {
    return run(() -> "read a file image", () -> read.read(new FileImages(connection, dialect)));
  }

  /** The snapshot at a version (time travel by version). */
  public Snapshot snapshotAt(long tableId, long version) {
    return run(() -> "read version " + version + " of " + tables.describe(tableId), () -> {
      TableRow row = requireVersion(tableId, version);
      return reader.snapshotAt(row, version);
    });
  }

  /** The snapshot in force at a time (time travel by timestamp, see {@link #versionAsOf}). */
  public Snapshot snapshotAsOf(long tableId, Instant timestamp) {
    return snapshotAt(tableId, versionAsOf(tableId, timestamp));
  }

  /**
   * The version in force at a time: the last one committed at or before it, as Delta
   * defines it. Before the oldest version, or after the latest commit, is an error.
   */
  public long versionAsOf(long tableId, Instant timestamp) {
    return run(() -> "find the version of " + tables.describe(tableId) + " at " + timestamp, () -> {
      TableRow row = requireVersions(tableId);
      TableInfo table = row.info();
      Optional<SnapshotReader.VersionTime> found = reader.versionAtOrBefore(tableId, timestamp);
      if (found.isEmpty()) {
        long oldest = reader.version(tableId, table.oldestVersion()).map(VersionRecord::timestamp).orElse(0L);
        throw CatalogErrors.timestampBeforeHistory(table, timestamp, Instant.ofEpochMilli(oldest));
      }
      SnapshotReader.VersionTime at = found.get();
      if (at.version() == table.currentVersion() && timestamp.toEpochMilli() > at.timestamp()) {
        throw CatalogErrors.timestampAfterLatest(table, timestamp, Instant.ofEpochMilli(at.timestamp()));
      }
      return at.version();
    });
  }

  /** The record of one version, if the catalog holds it. */
  public Optional<VersionRecord> versionRecord(long tableId, long version) {
    return run(() -> "read version " + version + " of " + tables.describe(tableId), () -> reader.version(tableId, version));
  }

  /** The versions committed between two times (both included), newest first. */
  public List<VersionRecord> history(long tableId, Instant from, Instant to) {
    return run(() -> "read the history of " + tables.describe(tableId), () -> {
      requireTable(tableId);
      return reader.history(tableId, from, to);
    });
  }

  /**
   * The active files of a table whose partition values match {@code partitionValues}
   * (a column mapped to {@code null} matches null partition values). All partition columns
   * given: one index lookup; some of them: the active files filtered; none: every file.
   */
  public List<AddFile> activeFiles(long tableId, Map<String, String> partitionValues) {
    return run(() -> "list the active files of " + tables.describe(tableId), () -> {
      TableRow row = requireVersions(tableId);
      return files(row, row.info().currentVersion(), partitionValues);
    });
  }

  /** The files of a table at a version whose partition values match (see {@link #activeFiles}). */
  public List<AddFile> filesAt(long tableId, long version, Map<String, String> partitionValues) {
    return run(() -> "list the files of version " + version + " of " + tables.describe(tableId), () -> {
      TableRow row = requireVersion(tableId, version);
      return files(row, version, partitionValues);
    });
  }

  /**
   * The metadata in force at a version (one index lookup, no files read): what the mirror
   * reads a table's {@code delta.checkpointInterval} from.
   */
  /** The protocol in force at a version, without reading files. */
  public Protocol protocolAt(long tableId, long version) {
    return run(() -> "read the protocol of version " + version + " of " + tables.describe(tableId), () -> {
      requireVersion(tableId, version);
      return reader.protocolAt(tableId, version);
    });
  }

  public Metadata metadataAt(long tableId, long version) {
    return run(() -> "read the metadata of version " + version + " of " + tables.describe(tableId), () -> {
      requireVersion(tableId, version);
      return reader.metadataAt(tableId, version);
    });
  }

  /**
   * The actions of one committed version, in the order its commit listed them: what the
   * mirror writes to {@code _delta_log}.
   */
  public List<Action> versionActions(long tableId, long version) {
    return run(() -> "read the actions of version " + version + " of " + tables.describe(tableId), () -> {
      TableRow row = requireVersion(tableId, version);
      return reader.versionActions(row.info(), version);
    });
  }

  // ---- mirror status --------------------------------------------------------------------

  public Optional<MirrorStatus> mirrorStatus(long tableId, long version) {
    return run(() -> "read the mirror status of version " + version + " of " + tables.describe(tableId),
        () -> mirror.status(tableId, version));
  }

  /** The versions of a table not yet mirrored (pending or failed), oldest first. */
  public List<MirrorStatus> unmirroredVersions(long tableId) {
    return run(() -> "list the unmirrored versions of " + tables.describe(tableId), () -> mirror.unmirrored(tableId));
  }

  /** Records one mirroring attempt of a version. */
  public void recordMirrorAttempt(long tableId, long version, MirrorState state, Optional<String> error) {
    run(() -> "record the mirror status of version " + version + " of " + tables.describe(tableId), () -> {
      if (!mirror.record(tableId, version, state, error)) {
        throw CatalogErrors.noMirrorStatus(tables.describe(tableId), version);
      }
      return null;
    });
  }

  /**
   * Records versions {@code from..to} of a table as mirrored ({@code DONE}), all with one
   * statement: what the mirror does after publishing a run of consecutive versions.
   *
   * @throws DeltaException {@code 22000} when a version of the range has no mirror status row
   */
  public void recordMirrored(long tableId, long from, long to) {
    run(() -> "record versions " + from + " to " + to + " of " + tables.describe(tableId) + " mirrored", () -> {
      int changed = mirror.recordDone(tableId, from, to);
      if (changed != to - from + 1) {
        throw CatalogErrors.noMirrorStatus(tables.describe(tableId), from);
      }
      return null;
    });
  }

  // ---- internals ------------------------------------------------------------------------

  /** Ends the transaction's use: later calls fail. */
  void end() {
    ended = true;
  }

  /** How many file rows this transaction inserted (for statistics upkeep). */
  long fileRowsWritten() {
    return writer.fileRows();
  }

  private List<AddFile> files(TableRow row, long version, Map<String, String> partitionValues) throws SQLException {
    long tableId = row.info().tableId();
    if (partitionValues.isEmpty()) {
      return reader.filesAt(tableId, version, Optional.empty());
    }
    Metadata metadata = reader.metadataAt(tableId, version);
    Set<String> columns = new HashSet<>(metadata.partitionColumns());
    for (String column : partitionValues.keySet()) {
      if (!columns.contains(column)) {
        throw CatalogErrors.notAPartitionColumn(row.info(), column, metadata.partitionColumns());
      }
    }
    if (partitionValues.keySet().equals(columns)) {
      return reader.filesAt(tableId, version, Optional.of(partitionValues));
    }
    return reader.filesAt(tableId, version, Optional.empty()).stream()
        .filter(f -> partitionValues.entrySet().stream().allMatch(e ->
            f.partitionValues().containsKey(e.getKey())
                && Objects.equals(f.partitionValues().get(e.getKey()), e.getValue())))
        .toList();
  }

  private TableRow requireTable(long tableId) {
    return run(() -> "look up " + tables.describe(tableId),
        () -> tables.byId(tableId).orElseThrow(() -> CatalogErrors.unknownTable(tableId)));
  }

  private TableRow requireVersions(long tableId) {
    TableRow row = requireTable(tableId);
    if (!row.info().hasVersions()) {
      throw CatalogErrors.noVersions(row.info());
    }
    return row;
  }

  private TableRow requireVersion(long tableId, long version) {
    TableRow row = requireVersions(tableId);
    if (version < row.info().oldestVersion()) {
      throw CatalogErrors.versionTooOld(row.info(), version);
    }
    if (version > row.info().currentVersion()) {
      throw CatalogErrors.versionTooNew(row.info(), version);
    }
    return row;
  }

  /**
   * Within one long transaction (an import replaying thousands of versions), refreshes the file
   * table's statistics every {@link #STATISTICS_ROWS_WITHIN} file rows: the database's planner
   * otherwise keeps the statistics of the table before the transaction, believes the table's
   * files are few, and walks all of them for every version's replaced-file probe (a 10k-commit,
   * 100k-file import on PostgreSQL did not finish in 25 minutes).
   */
  private <T> T refreshingStatistics(T result) throws SQLException {
    long written = writer.fileRows();
    if (written - fileRowsAtRefresh >= STATISTICS_ROWS_WITHIN) {
      fileRowsAtRefresh = written;
      dialect.refreshStatisticsWithin(connection);
    }
    return result;
  }

  private <T> T run(Supplier<String> attempt, SqlWork<T> work) {
    if (ended) {
      throw CatalogErrors.transactionEnded();
    }
    if (failed) {
      throw CatalogErrors.transactionFailed();
    }
    try {
      return work.run();
    } catch (SQLException e) {
      failed = true;
      throw errors.translate(e, attempt.get());
    }
  }

  private static void requireName(String value, String what) {
    if (value == null || value.isBlank()) {
      throw CatalogErrors.emptyName(what);
    }
  }

  /** {@link CommitWriter}'s commit of requests in table id order. */
  @FunctionalInterface
  private interface OrderedCommit {
    List<CommitResult> write(List<CommitRequest> ordered) throws SQLException;
  }

  /** A step that talks to the catalog database. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }
}
