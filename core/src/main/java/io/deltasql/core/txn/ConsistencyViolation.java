package io.deltasql.core.txn;

import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.errors.SqlState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One reason a transaction cannot commit as staged. Validation reports every violation at
 * once ({@link ValidationResult}); each says what is wrong, why, and what to do, and maps
 * to the SQLState a user sees if it fails the commit.
 *
 * <p>The seed's kinds: {@link TableNotFound}, {@link VersionMismatch},
 * {@link EmptyActionList}, {@link DuplicateFile}, {@link TooManyTables},
 * {@link TransactionTooLarge}, {@link TableTransactionTooLarge}, {@link TransactionTooOld}.
 * Protocol and action-sequence checks: {@link SchemaIncompatible},
 * {@link UnsupportedWriterFeature}, {@link ProtocolDowngrade}, {@link RemovedFileNotActive},
 * {@link InvalidFileAction}, {@link InvalidMetadata}, {@link AppendOnlyViolation}. Checks of
 * the transaction and the catalog: {@link TransactionNotActive}, {@link TableAlreadyExists},
 * {@link ReadInvalidated} (SERIALIZABLE), {@link TableDiverged}, {@link MirrorBacklogFull}.
 */
public sealed interface ConsistencyViolation {

  /** What is wrong, why, and what to do. */
  String message();

  /** The SQLState this violation fails a commit with. */
  SqlState sqlState();

  /** The table at fault, unless the violation is about the whole transaction. */
  default Optional<String> affectedTable() {
    return Optional.empty();
  }

  /** Whether retrying the whole transaction may succeed. */
  default boolean isRetryable() {
    return sqlState().isRetryable();
  }

  // ---- the transaction ----

  /** The transaction is not in a state that may commit. */
  record TransactionNotActive(UUID transactionId, TransactionState state) implements ConsistencyViolation {
    public TransactionNotActive {
      Objects.requireNonNull(transactionId, "transactionId");
      Objects.requireNonNull(state, "state");
    }

    @Override
    public String message() {
      return "transaction " + transactionId + " is " + state + ", so it cannot commit; only an ACTIVE"
          + " (or COMMITTING) transaction is validated. "
          + (state == TransactionState.FAILED ? "Run ROLLBACK." : "Begin a new transaction.");
    }

    @Override
    public SqlState sqlState() {
      return SqlState.INVALID_TRANSACTION_STATE;
    }
  }

  /** The transaction is older than the configured maximum age. */
  record TransactionTooOld(Instant createdAt, long maxAgeSeconds, Instant checkedAt)
      implements ConsistencyViolation {
    public TransactionTooOld {
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(checkedAt, "checkedAt");
    }

    @Override
    public String message() {
      return "the transaction began at " + createdAt + " and is " + Duration.between(createdAt, checkedAt).toSeconds()
          + " s old, more than the maximum of " + maxAgeSeconds + " s ('"
          + MultiTableProperty.MAX_AGE_SECONDS.key() + "'); roll it back and run shorter transactions";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.INVALID_TRANSACTION_STATE;
    }
  }

  /** The transaction writes more tables than allowed. */
  record TooManyTables(int count, int max) implements ConsistencyViolation {
    @Override
    public String message() {
      return "the transaction writes " + count + " tables, more than the maximum of " + max + " ('"
          + MultiTableProperty.MAX_TABLES.key() + "'); split it or raise the limit";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.PROGRAM_LIMIT_EXCEEDED;
    }
  }

  /** The transaction stages more actions than allowed. */
  record TransactionTooLarge(long actionCount, long max) implements ConsistencyViolation {
    @Override
    public String message() {
      return "the transaction stages " + actionCount + " actions, more than the maximum of " + max + " ('"
          + MultiTableProperty.MAX_ACTIONS.key() + "'); split it or raise the limit";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.PROGRAM_LIMIT_EXCEEDED;
    }
  }

  // ---- one table ----

  /** The transaction stages more actions for one table than allowed. */
  record TableTransactionTooLarge(String table, long actionCount, long max) implements ConsistencyViolation {
    public TableTransactionTooLarge {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public String message() {
      return "the transaction stages " + actionCount + " actions for table '" + table
          + "', more than the maximum of " + max + " per table ('"
          + MultiTableProperty.MAX_ACTIONS_PER_TABLE.key() + "'); split it or raise the limit";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.PROGRAM_LIMIT_EXCEEDED;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** A written table does not exist in the catalog. */
  record TableNotFound(String table) implements ConsistencyViolation {
    public TableNotFound {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public String message() {
      return "table '" + table + "' does not exist (it may have been dropped after the transaction read it);"
          + " check the name, or create the table first";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.UNDEFINED_TABLE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** The transaction creates a table that exists already. */
  record TableAlreadyExists(String table, long version) implements ConsistencyViolation {
    public TableAlreadyExists {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public String message() {
      return "table '" + table + "' already exists (at version " + version
          + "), so this transaction cannot create it; drop it first or write to it instead";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.DUPLICATE_TABLE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /**
   * A written table moved on since the transaction read it. The commit engine starts its
   * conflict check here: if the commits since {@code expected} commute with the staged
   * actions it rebases them ({@link TableActions#withReadVersion}) and validates again.
   */
  record VersionMismatch(String table, long expected, long actual) implements ConsistencyViolation {
    public VersionMismatch {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public String message() {
      return "table '" + table + "' was read at version " + expected + " but is now at version " + actual
          + ": another transaction committed to it meanwhile; retry the transaction";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.SERIALIZATION_FAILURE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** SERIALIZABLE: a table the transaction read was changed (or dropped) by a concurrent commit. */
  record ReadInvalidated(String table, long readVersion, Optional<Long> currentVersion)
      implements ConsistencyViolation {
    public ReadInvalidated {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(currentVersion, "currentVersion");
    }

    @Override
    public String message() {
      return "table '" + table + "' was read at version " + readVersion + " by this SERIALIZABLE transaction"
          + currentVersion.map(v -> " and is now at version " + v).orElse(" and has since been dropped")
          + ": what the transaction read is no longer current; retry the transaction";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.SERIALIZATION_FAILURE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** A table is staged without any action. */
  record EmptyActionList(String table) implements ConsistencyViolation {
    public EmptyActionList {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public String message() {
      return "no action is staged for table '" + table + "'; stage at least one action, or do not stage the table";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.INVALID_PARAMETER_VALUE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /**
   * A logical file is added twice without a remove between, or removed twice without an
   * add between.
   *
   * @param action {@code add} or {@code remove}
   */
  record DuplicateFile(String table, FileKey file, String action) implements ConsistencyViolation {
    public DuplicateFile {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(action, "action");
    }

    /** The file's path. */
    public String path() {
      return file.path();
    }

    @Override
    public String message() {
      return "file '" + file.path() + "'" + file.deletionVectorId().map(dv -> " (deletion vector " + dv + ")").orElse("")
          + " is staged by more than one " + action + " action for table '" + table
          + "'; a logical file may be " + ("add".equals(action) ? "added" : "removed") + " only once";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.INVALID_PARAMETER_VALUE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** A remove of a file that is not active in the table (removed concurrently, or never there). */
  record RemovedFileNotActive(String table, FileKey file) implements ConsistencyViolation {
    public RemovedFileNotActive {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(file, "file");
    }

    @Override
    public String message() {
      return "file '" + file.path() + "'" + file.deletionVectorId().map(dv -> " (deletion vector " + dv + ")").orElse("")
          + " is removed from table '" + table + "' but is not an active file of it: another transaction"
          + " removed it meanwhile, or it never belonged to the table; retry the transaction";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.SERIALIZATION_FAILURE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** A malformed add or remove: blank path, negative size, partition values not matching the table's. */
  record InvalidFileAction(String table, String path, String reason) implements ConsistencyViolation {
    public InvalidFileAction {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String message() {
      return "file '" + path + "' of table '" + table + "' is not valid: " + reason;
    }

    @Override
    public SqlState sqlState() {
      return SqlState.INVALID_PARAMETER_VALUE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /**
   * Staged metadata that cannot be right whatever the table holds: a schema that does not
   * parse, partition columns not in the schema, a changed table id, a created table
   * without metadata or protocol.
   */
  record InvalidMetadata(String table, String reason) implements ConsistencyViolation {
    public InvalidMetadata {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String message() {
      return "the metadata staged for table '" + table + "' is not valid: " + reason;
    }

    @Override
    public SqlState sqlState() {
      return SqlState.INVALID_PARAMETER_VALUE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /**
   * A metadata change that the data the table keeps would not satisfy. Only checked while
   * data survives the transaction: a transaction that removes every active file (an
   * overwrite) may change the schema and partitioning freely.
   *
   * @param column the column at fault, dotted for nested fields ({@code a.b},
   *     {@code tags.element}, {@code m.key}); the partition column list for
   *     {@link Kind#PARTITIONING_CHANGED}
   */
  record SchemaIncompatible(String table, String column, Kind kind, String detail) implements ConsistencyViolation {
    /** What the change does to existing data. */
    public enum Kind {
      /** A column is dropped: the data files still hold it (needs column mapping, unsupported). */
      DROPPED_COLUMN(SqlState.FEATURE_NOT_SUPPORTED),
      /** A column's type changes: existing files hold the old type (type widening is unsupported). */
      TYPE_CHANGED(SqlState.DATATYPE_MISMATCH),
      /** A NOT NULL column is added: existing rows have no value for it. */
      NOT_NULL_COLUMN_ADDED(SqlState.DATA_EXCEPTION),
      /** A nullable column (or array element, map value) becomes NOT NULL: existing nulls would violate it. */
      NULLABILITY_TIGHTENED(SqlState.DATA_EXCEPTION),
      /** The partition columns change: existing files are laid out by the old ones. */
      PARTITIONING_CHANGED(SqlState.FEATURE_NOT_SUPPORTED);

      private final SqlState sqlState;

      Kind(SqlState sqlState) {
        this.sqlState = sqlState;
      }
    }

    public SchemaIncompatible {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String message() {
      return "the schema change of table '" + table + "' is incompatible with the data it keeps (" + kind
          + " at '" + column + "'): " + detail
          + "; overwrite the table's data in the same transaction, or keep the column as it is";
    }

    @Override
    public SqlState sqlState() {
      return kind.sqlState;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** The table's protocol requires a writer feature deltasql cannot honour ({@link WriterFeatureSupport}). */
  record UnsupportedWriterFeature(String table, String feature) implements ConsistencyViolation {
    public UnsupportedWriterFeature {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(feature, "feature");
    }

    @Override
    public String message() {
      return "table '" + table + "' requires writer feature '" + feature
          + "', which deltasql cannot honour when writing; the table can be read but not written by deltasql"
          + " (supported: " + WriterFeatureSupport.summary() + ")";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.FEATURE_NOT_SUPPORTED;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** A staged protocol that lowers a version or drops a feature of the current one. */
  record ProtocolDowngrade(String table, Protocol current, Protocol staged) implements ConsistencyViolation {
    public ProtocolDowngrade {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(current, "current");
      Objects.requireNonNull(staged, "staged");
    }

    @Override
    public String message() {
      return "the protocol staged for table '" + table + "' (reader " + staged.minReaderVersion() + ", writer "
          + staged.minWriterVersion() + ", features " + staged.readerFeatures() + " / " + staged.writerFeatures()
          + ") is lower than the current one (reader " + current.minReaderVersion() + ", writer "
          + current.minWriterVersion() + ", features " + current.readerFeatures() + " / "
          + current.writerFeatures() + "); a protocol can only be upgraded";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.FEATURE_NOT_SUPPORTED;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** Data is removed from a table whose {@code delta.appendOnly} is {@code true}. */
  record AppendOnlyViolation(String table, long removeCount) implements ConsistencyViolation {
    public AppendOnlyViolation {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public String message() {
      return "table '" + table + "' is append-only (delta.appendOnly = true) but the transaction removes "
          + removeCount + " file(s) with data changes; only inserts are allowed, or set delta.appendOnly"
          + " to false first";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** The table's {@code _delta_log} was written by a foreign writer: deltasql no longer writes it. */
  record TableDiverged(String table) implements ConsistencyViolation {
    public TableDiverged {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public String message() {
      return "table '" + table + "' has diverged: its _delta_log holds a version that another writer wrote,"
          + " so deltasql refuses to write it; run CALL verify('" + table + "') and follow"
          + " docs/runbook.md, 'A table is diverged', to choose which history wins";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }

  /** Backpressure: too many of the table's versions await mirroring to {@code _delta_log}. */
  record MirrorBacklogFull(String table, long unmirroredVersions, long max) implements ConsistencyViolation {
    public MirrorBacklogFull {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public String message() {
      return "table '" + table + "' has " + unmirroredVersions + " versions not yet mirrored to _delta_log, more"
          + " than the maximum of " + max + " ('" + MultiTableProperty.MIRROR_MAX_UNMIRRORED_VERSIONS.key()
          + "'); retry once the mirror catches up (CALL reconcile() forces it)";
    }

    @Override
    public SqlState sqlState() {
      return SqlState.INSUFFICIENT_RESOURCES;
    }

    @Override
    public Optional<String> affectedTable() {
      return Optional.of(table);
    }
  }
}
