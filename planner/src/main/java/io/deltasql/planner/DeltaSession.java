package io.deltasql.planner;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.txn.IsolationLevel;
import io.deltasql.core.txn.MultiTableCommitResult;
import io.deltasql.core.txn.MultiTableConfig;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.TransactionState;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.storage.s3.S3Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's transaction state.
 *
 * <ul>
 *   <li><b>Auto-commit</b> (the default): every statement runs in a transaction of its own,
 *       begun at the statement's first read or write. Its reads are one consistent cut (the
 *       statement transaction pins the cut at its first read, whatever the connection's level);
 *       a statement that writes commits at its end, one that only reads is rolled back when
 *       the next statement begins.
 *   <li><b>Explicit</b>: {@code BEGIN MULTI}, or JDBC {@code setAutoCommit(false)} (then a
 *       transaction begins implicitly with the first statement): every statement reads and
 *       stages in the one transaction until {@code COMMIT} or {@code ROLLBACK}.
 * </ul>
 *
 * <p>A statement is identified by a key (Calcite's {@code DataContext} of one execution), so
 * that all table scans and writes of one execution share one transaction. A connection is used
 * by one thread at a time, as JDBC expects; the methods are synchronized all the same.
 */
public final class DeltaSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaSession.class);

  /** The schema of unqualified names unless the URL says otherwise. */
  public static final String DEFAULT_SCHEMA = "default";

  private final DeltaRuntime runtime;
  private String defaultSchema;
  private IsolationLevel isolation;
  private boolean autoCommit = true;
  private boolean readOnly;
  private WritePermission writePermission = WritePermission.ALL;
  private boolean vacuumRetentionCheck = true;
  /** The configuration of the transactions this connection begins: the writer's, with its lock timeout. */
  private MultiTableConfig txnConfig;
  /** The explicit transaction, if one is open. */
  private MultiTableTransaction explicit;
  /** Whether {@link #explicit} was begun by BEGIN (it ends auto-commit until COMMIT). */
  private boolean begunBySql;
  /** The auto-commit transaction of the current statement, and that statement's key. */
  private MultiTableTransaction statement;
  private Object statementKey;
  private boolean closed;
  /** Tables looked up while a query or DML statement is prepared ({@link #beginPreparing}), else null. */
  private java.util.Map<String, Object> preparedLookups;
  private int preparing;
  /** The rows of a JDBC batch's inserts while it runs ({@link #bufferInserts}), else null. */
  private InsertBuffer insertBuffer;
  private final java.util.Map<String, Set<String>> hiddenTables = new java.util.concurrent.ConcurrentHashMap<>();
  private List<String> allowedLocations = List.of();

  public DeltaSession(DeltaRuntime runtime, String defaultSchema, IsolationLevel isolation) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.defaultSchema = Objects.requireNonNull(defaultSchema, "defaultSchema");
    this.isolation = Objects.requireNonNull(isolation, "isolation");
    this.txnConfig = runtime.writer().config();
  }

  public DeltaRuntime runtime() {
    return runtime;
  }

  public MultiTableWriter writer() {
    return runtime.writer();
  }

  public synchronized String defaultSchema() {
    return defaultSchema;
  }

  public synchronized void setDefaultSchema(String schema) {
    this.defaultSchema = Objects.requireNonNull(schema, "schema");
  }

  // ---- names -----------------------------------------------------------------------------

  /** The schemas of the catalog: those created, those holding tables, and the default one. */
  public List<String> schemaNames() {
    Set<String> names = new TreeSet<>(runtime.catalog().listSchemas());
    names.add(DEFAULT_SCHEMA);
    return List.copyOf(names);
  }

  /** The schema a statement names ({@code [schema]}), case-insensitively; none means the default. */
  public String resolveSchema(List<String> names) {
    if (names.isEmpty()) {
      return defaultSchema();
    }
    String wanted = names.get(names.size() - 1);
    for (String name : schemaNames()) {
      if (name.equals(wanted)) {
        return name;
      }
    }
    for (String name : schemaNames()) {
      if (name.equalsIgnoreCase(wanted)) {
        return name;
      }
    }
    throw PlannerErrors.unknownSchema(wanted);
  }

  /** The table a statement names ({@code [schema.]table}), case-insensitively. @throws DeltaException 42P01 */
  public TableInfo resolveTable(List<String> names) {
    return findTable(names).orElseThrow(() -> PlannerErrors.unknownTable(String.join(".", names)));
  }

  /** The table a statement names, if it exists. */
  public Optional<TableInfo> findTable(List<String> names) {
    if (names.isEmpty() || names.size() > 2) {
      throw PlannerErrors.invalid("A table name is [schema.]table, not '" + String.join(".", names) + "'");
    }
    String schema = names.size() == 2 ? names.get(0) : defaultSchema();
    String table = names.get(names.size() - 1);
    Optional<TableInfo> exact = catalogTable(schema, table);
    if (exact.isPresent()) {
      return exact;
    }
    for (TableInfo info : runtime.catalog().listTables()) {
      if (info.schemaName().equalsIgnoreCase(schema) && info.tableName().equalsIgnoreCase(table)) {
        return Optional.of(info);
      }
    }
    return Optional.empty();
  }

  /** The catalog's table of exactly this name; found once while a statement is prepared ({@link #preparedLookup}). */
  Optional<TableInfo> catalogTable(String schema, String table) {
    return Optional.ofNullable(preparedLookup("table\0" + schema + "\0" + table,
        () -> runtime.catalog().findTable(schema, table).orElse(null)));
  }

  /** The schema of a table being created: the one named, or the default. */
  public String resolveSchemaForCreate(List<String> names) {
    if (names.size() > 2) {
      throw PlannerErrors.invalid("A table name is [schema.]table, not '" + String.join(".", names) + "'");
    }
    if (names.size() == 1) {
      return defaultSchema();
    }
    return resolveSchema(names.subList(0, 1));
  }

  /**
   * The locations where tables may be created or imported from, besides the warehouse: local
   * folders and {@code s3://bucket/prefix} locations; empty means the warehouse only,
   * {@code null} anywhere.
   */
  public synchronized void setAllowedLocations(List<String> roots) {
    this.allowedLocations = roots == null ? null : List.copyOf(roots);
  }

  /**
   * The normalised form of a {@code LOCATION} (an absolute local folder, or
   * {@code s3://bucket/key} without {@code .}, {@code ..} or a trailing slash), checked to lie
   * inside the warehouse or an allowed location (local symbolic links resolved).
   *
   * @throws DeltaException {@code 42501} for a location outside them, {@code 22023} for one that
   *     is neither a local folder nor on S3
   */
  public synchronized String checkLocation(String location) {
    if (S3Location.isS3(location)) {
      return checkS3Location(location);
    }
    String raw = location.startsWith("file://") ? location.substring("file://".length())
        : location.startsWith("file:") ? location.substring("file:".length()) : location;
    if (raw.isBlank() || raw.contains("://")) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "LOCATION '" + location
          + "' is neither a local folder nor an S3 location (s3://bucket/prefix); deltasql stores tables there only");
    }
    Path path = Path.of(raw).toAbsolutePath().normalize();
    if (allowedLocations == null) {
      return path.toString();
    }
    Path real = realPath(path);
    List<String> roots = roots();
    for (String root : roots) {
      if (!S3Location.isS3(root) && real.startsWith(realPath(Path.of(root).toAbsolutePath().normalize()))) {
        return path.toString();
      }
    }
    throw PlannerErrors.locationNotAllowed(location, roots.toString());
  }

  private String checkS3Location(String location) {
    String normalized = normalizeS3(location)
        .orElseThrow(() -> PlannerErrors.locationNotAllowed(location, roots().toString()));
    if (allowedLocations == null) {
      return normalized;
    }
    S3Location at = S3Location.parse(normalized);
    List<String> roots = roots();
    for (String root : roots) {
      if (S3Location.isS3(root)) {
        S3Location r = S3Location.parse(normalizeS3(root).orElse(root));
        if (r.bucket().equals(at.bucket())
            && (r.key().isEmpty() || at.key().equals(r.key()) || at.key().startsWith(r.folderKey()))) {
          return normalized;
        }
      }
    }
    throw PlannerErrors.locationNotAllowed(location, roots.toString());
  }

  /** {@code s3://bucket/key} with {@code .} and {@code ..} segments resolved; empty if {@code ..} leaves the bucket. */
  static Optional<String> normalizeS3(String location) {
    S3Location at = S3Location.parse(location);
    java.util.Deque<String> segments = new java.util.ArrayDeque<>();
    for (String segment : at.key().split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (segments.pollLast() == null) {
          return Optional.empty();
        }
        continue;
      }
      segments.addLast(segment);
    }
    return Optional.of(at.withKey(String.join("/", segments)).toString().replaceAll("/$", ""));
  }

  private List<String> roots() {
    List<String> roots = new ArrayList<>();
    roots.add(runtime.warehouse());
    roots.addAll(allowedLocations == null ? List.of() : allowedLocations);
    return roots;
  }

  /** The real path of the longest existing prefix of {@code path}, with the rest appended. */
  private static Path realPath(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(path));
    } catch (IOException e) {
      return path;
    }
  }

  /**
   * Registers a hidden table name ({@code $rows$t}, {@code $v3$t}) of a schema for the
   * lookups of statements this connection prepares: Calcite resolves a statement's tables by
   * the names a schema lists, when it prepares the statement and again when it runs it. The
   * table behind a name is computed afresh at each lookup; only the names stay (a few per
   * table and version the connection used).
   */
  public void registerHiddenTable(String schema, String name) {
    hiddenTables.computeIfAbsent(schema, s -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(name);
  }

  /** The hidden table names registered for a schema. */
  public Set<String> hiddenTableNames(String schema) {
    return hiddenTables.getOrDefault(schema, Set.of());
  }

  // ---- settings ---------------------------------------------------------------------------

  public synchronized boolean autoCommit() {
    return autoCommit && !begunBySql;
  }

  /**
   * JDBC {@code setAutoCommit}. Turning auto-commit on commits an open transaction, as the
   * JDBC specification asks.
   */
  public synchronized void setAutoCommit(boolean on) {
    requireOpen();
    if (on && explicit != null) {
      commit();
    }
    autoCommit = on;
  }

  public synchronized IsolationLevel isolation() {
    return explicit != null ? explicit.isolationLevel() : isolation;
  }

  /**
   * The level of the transactions this connection begins next.
   *
   * @throws DeltaException {@code 25001} while a transaction with writes or reads is open
   */
  public synchronized void setIsolation(IsolationLevel level) {
    requireOpen();
    if (explicit != null && explicit.isolationLevel() != level) {
      if (!explicit.stagedTables().isEmpty() || !explicit.readVersions().isEmpty()) {
        throw new DeltaException(SqlState.ACTIVE_SQL_TRANSACTION, "Cannot change the isolation level to "
            + level.sqlName() + " inside transaction " + explicit.id() + "; commit or roll it back first");
      }
      rollbackQuietly(explicit);
      explicit = beginTransaction(level, 0);
    }
    isolation = level;
  }

  /** Whether VACUUM refuses a retention shorter than the table's (the default). */
  public synchronized boolean vacuumRetentionCheck() {
    return vacuumRetentionCheck;
  }

  public synchronized void setVacuumRetentionCheck(boolean on) {
    vacuumRetentionCheck = on;
  }

  /** The longest a statement or COMMIT of this connection waits for a table lock. */
  public synchronized Duration lockTimeout() {
    return txnConfig.lockTimeout();
  }

  /**
   * The longest wait for a table lock in the transactions this connection begins next; a
   * longer wait fails with {@code 55P03}.
   */
  public synchronized void setLockTimeout(Duration timeout) {
    txnConfig = runtime.writer().config().toBuilder().lockTimeout(timeout).build();
  }

  public synchronized boolean readOnly() {
    return readOnly;
  }

  public synchronized void setReadOnly(boolean on) {
    readOnly = on;
  }

  /** Which tables this connection may change; {@link WritePermission#ALL} unless set. */
  public synchronized void setWritePermission(WritePermission permission) {
    writePermission = Objects.requireNonNull(permission, "permission");
  }

  // ---- statement preparation --------------------------------------------------------------

  /**
   * A query or DML statement is being prepared: until {@link #endPreparing}, a table found by
   * {@link #preparedLookup} is found once, not at each of the planner's lookups (each one is a
   * catalog query and a snapshot version check). Nested preparations share the outer one's.
   */
  synchronized void beginPreparing() {
    if (preparing++ == 0) {
      preparedLookups = new java.util.HashMap<>();
    }
  }

  synchronized void endPreparing() {
    if (--preparing == 0) {
      preparedLookups = null;
    }
  }

  /**
   * {@code load}'s value, remembered under {@code key} while a statement is prepared; a null
   * value (no such table) is not remembered, so a table created meanwhile is found.
   */
  @SuppressWarnings("unchecked")
  <T> T preparedLookup(String key, java.util.function.Supplier<T> load) {
    java.util.Map<String, Object> lookups;
    synchronized (this) {
      lookups = preparedLookups;
      if (lookups != null && lookups.containsKey(key)) {
        return (T) lookups.get(key);
      }
    }
    T value = load.get();
    if (lookups != null && value != null) {
      synchronized (this) {
        lookups.put(key, value);
      }
    }
    return value;
  }

  // ---- transactions -----------------------------------------------------------------------

  /** The explicit transaction, if one is open. */
  public synchronized Optional<MultiTableTransaction> transaction() {
    return Optional.ofNullable(explicit);
  }

  /**
   * {@code BEGIN MULTI}: an explicit transaction until COMMIT or ROLLBACK.
   *
   * @param level the level, or null for the connection's
   * @throws DeltaException {@code 25001} if a transaction with work in it is already open
   */
  public synchronized MultiTableTransaction begin(IsolationLevel level, int priority) {
    requireOpen();
    endStatement();
    if (explicit != null) {
      if (!explicit.stagedTables().isEmpty() || !explicit.readVersions().isEmpty() || begunBySql) {
        throw new DeltaException(SqlState.ACTIVE_SQL_TRANSACTION,
            "A transaction is already open (" + explicit.id() + "); COMMIT or ROLLBACK it before BEGIN");
      }
      rollbackQuietly(explicit);
    }
    explicit = beginTransaction(level != null ? level : isolation, priority);
    begunBySql = true;
    LOG.debug("transaction begun txnId={} isolation={} priority={}", explicit.id(),
        explicit.isolationLevel().sqlName(), priority);
    return explicit;
  }

  /**
   * Begins the transaction of a JDBC batch of DML: in auto-commit with no transaction open,
   * every parameter set of the batch stages in one transaction, which the caller then ends
   * with {@link #commit} (one new version per table: the batch is atomic) or {@link #rollback}.
   * Inside a transaction, or with auto-commit off, nothing is begun: the batch stages in the
   * connection's transaction like any statement.
   *
   * @return whether a transaction was begun for the batch
   */
  public synchronized boolean beginBatch() {
    requireOpen();
    if (!autoCommit() || explicit != null) {
      return false;
    }
    endStatement();
    explicit = beginTransaction(isolation.pinsSnapshot() ? isolation : IsolationLevel.REPEATABLE_READ, 0);
    begunBySql = true;
    LOG.debug("batch transaction begun txnId={}", explicit.id());
    return true;
  }

  /**
   * From now until {@link #flushInserts} (or {@link #commit}, {@link #rollback}), rows that an
   * {@code INSERT … VALUES} stages in the explicit transaction are held and written together:
   * a JDBC batch of such a statement makes one data file per table and partition, not one per
   * parameter set. Statements in auto-commit are not buffered (they commit at once).
   */
  public synchronized void bufferInserts() {
    requireOpen();
    if (insertBuffer == null) {
      insertBuffer = new InsertBuffer();
    }
  }

  /** The buffer that inserts in {@code tx} go to, or null if they are written at once. */
  synchronized InsertBuffer insertBuffer(MultiTableTransaction tx) {
    return insertBuffer != null && tx == explicit ? insertBuffer : null;
  }

  /**
   * Writes the buffered rows' data files and stages them in their transaction, and ends the
   * buffering. If writing fails, the rows not yet staged are dropped: the caller rolls back.
   */
  public synchronized void flushInserts() {
    InsertBuffer buffer = insertBuffer;
    insertBuffer = null;
    if (buffer != null) {
      DeltaDml.write(this, buffer.drain());
    }
  }

  /** Drops the buffered rows (the batch failed) and ends the buffering. */
  public synchronized void discardInserts() {
    insertBuffer = null;
  }

  /**
   * Commits the explicit transaction; without one, does nothing. Whatever happens, the
   * connection then has no open transaction: a failed commit leaves it rolled back.
   */
  public synchronized Optional<MultiTableCommitResult> commit() {
    requireOpen();
    endStatement();
    try {
      flushInserts();
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
    MultiTableTransaction tx = explicit;
    explicit = null;
    begunBySql = false;
    if (tx == null) {
      return Optional.empty();
    }
    return Optional.of(commitOrRollBack(tx));
  }

  /** Rolls back the explicit transaction, if one is open. */
  public synchronized void rollback() {
    requireOpen();
    endStatement();
    insertBuffer = null;
    MultiTableTransaction tx = explicit;
    explicit = null;
    begunBySql = false;
    if (tx != null) {
      runtime.writer().rollback(tx);
    }
  }

  /**
   * The transaction the statement {@code key} reads and writes in: the explicit one (begun
   * now if auto-commit is off), or the statement's own.
   */
  public synchronized MultiTableTransaction transactionFor(Object key) {
    requireOpen();
    if (explicit == null && !autoCommit) {
      explicit = beginTransaction(isolation, 0);
    }
    if (explicit != null) {
      return explicit;
    }
    if (statement != null && statementKey == key && statement.state() == TransactionState.ACTIVE) {
      return statement;
    }
    endStatement();
    IsolationLevel level = isolation.pinsSnapshot() ? isolation : IsolationLevel.REPEATABLE_READ;
    statement = beginTransaction(level, 0);
    statementKey = key;
    return statement;
  }

  /**
   * Ends a statement that wrote: in auto-commit its transaction commits now; in an explicit
   * transaction nothing happens until COMMIT.
   */
  public synchronized Optional<MultiTableCommitResult> statementWritten(MultiTableTransaction tx) {
    if (tx != statement) {
      return Optional.empty();
    }
    statement = null;
    statementKey = null;
    return Optional.of(commitOrRollBack(tx));
  }

  /** Checks that the connection may write at all. @throws DeltaException {@code 25006} if read-only */
  public synchronized void requireWritable(String what) {
    if (readOnly) {
      throw new DeltaException(SqlState.READ_ONLY_SQL_TRANSACTION,
          "Cannot " + what + ": the connection is read-only");
    }
  }

  private MultiTableTransaction beginTransaction(IsolationLevel level, int priority) {
    return runtime.writer().begin(level, priority, txnConfig);
  }

  /**
   * Checks that the connection may change table {@code table} of {@code schema} (with no table,
   * the schema itself).
   *
   * @throws DeltaException {@code 25006} if the connection is read-only, {@code 42501} if its
   *     {@link WritePermission} does not allow that table or schema
   */
  public synchronized void requireWritable(String what, String schema, Optional<String> table) {
    requireWritable(what);
    if (!writePermission.allows(schema, table)) {
      throw new DeltaException(SqlState.INSUFFICIENT_PRIVILEGE, "Cannot " + what + ": this connection may not change "
          + table.map(t -> "table " + schema + "." + t).orElse("schema " + schema) + " (" + writePermission + ")");
    }
  }

  /** {@link #requireWritable(String, String, Optional)} for a table. */
  public void requireWritable(String what, TableInfo table) {
    requireWritable(what, table.schemaName(), Optional.of(table.tableName()));
  }

  private MultiTableCommitResult commitOrRollBack(MultiTableTransaction tx) {
    try {
      return runtime.writer().commit(tx);
    } catch (DeltaException e) {
      rollbackQuietly(tx);
      throw e;
    }
  }

  private void endStatement() {
    if (statement != null) {
      rollbackQuietly(statement);
      statement = null;
      statementKey = null;
    }
  }

  private void rollbackQuietly(MultiTableTransaction tx) {
    if (tx.state() == TransactionState.COMMITTED || tx.state() == TransactionState.ROLLED_BACK) {
      return;
    }
    try {
      runtime.writer().rollback(tx);
    } catch (DeltaException e) {
      LOG.warn("rollback failed txnId={} reason={}", tx.id(), e.getMessage());
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new DeltaException(SqlState.CONNECTION_EXCEPTION, "The connection is closed");
    }
  }

  /** Rolls back what is open. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    endStatement();
    insertBuffer = null;
    if (explicit != null) {
      LOG.info("connection closed with an open transaction; rolling it back txnId={}", explicit.id());
      rollbackQuietly(explicit);
      explicit = null;
    }
    closed = true;
  }
}
