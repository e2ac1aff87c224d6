package io.deltasql.core.catalog;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Every user-facing failure of the catalog, each saying what went wrong, why, and what to
 * do; and the translation of catalog database errors into SQLStates, by code only.
 */
final class CatalogErrors {
  private final CatalogConfig config;
  private final CatalogDialect dialect;

  CatalogErrors(CatalogConfig config, CatalogDialect dialect) {
    this.config = config;
    this.dialect = dialect;
  }

  /** The catalog database could not be reached or refused the connection. */
  DeltaException unreachable(Throwable cause) {
    SQLException sql = sqlCause(cause);
    String state = sql == null ? "" : SqlStates.of(sql);
    boolean refused = state.startsWith("28");
    String reason = config.redact(sql != null ? briefly(sql) : cause.getMessage());
    String message = "Cannot connect to the catalog database " + config.redactedUrl()
        + (refused ? ": it refused the credentials" : ": it is unreachable") + " (" + reason
        + (state.isEmpty() ? "" : ", SQLState " + state) + "). Check the catalog URL, that the "
        + "database is running, and the catalog user and password.";
    return new DeltaException(refused ? SqlState.CONNECTION_FAILURE : SqlState.CONNECTION_EXCEPTION,
        message, cause);
  }

  /**
   * A catalog database error while trying to {@code attempt} (e.g. "commit version 5 of
   * table s.t"), mapped by SQLState.
   */
  DeltaException translate(SQLException e, String attempt) {
    String state = SqlStates.of(e);
    String reason = config.redact(briefly(e)) + " (SQLState " + state + ")";
    if (dialect.isReadOnly(e)) {
      return new DeltaException(SqlState.READ_ONLY_SQL_TRANSACTION, "Cannot " + attempt
          + ": the catalog database " + config.redactedUrl() + " is read-only (" + reason
          + "). Nothing was written; use a read-write catalog connection to change tables.", e);
    }
    if (SqlStates.isRetryable(e)) {
      SqlState mapped = SqlStates.DEADLOCK_DETECTED.equals(state)
          ? SqlState.DEADLOCK_DETECTED : SqlState.SERIALIZATION_FAILURE;
      return new TransientCatalogException(mapped, "Cannot " + attempt + ": a concurrent catalog "
          + "transaction conflicted (" + reason + "). Nothing was written; retry.", e);
    }
    if (dialect.isLockTimeout(e)) {
      return new DeltaException(SqlState.LOCK_NOT_AVAILABLE, "Cannot " + attempt + ": another "
          + "commit held the table's catalog row longer than the lock timeout of "
          + config.lockTimeout().toMillis() + " ms (" + reason + "). Nothing was written; retry.", e);
    }
    if (SqlStates.isConnectionLost(state)) {
      return new DeltaException(SqlState.CONNECTION_EXCEPTION, "Cannot " + attempt
          + ": the connection to the catalog database " + config.redactedUrl() + " failed (" + reason
          + "). If this was a commit, its outcome is unknown: retry it with the same transaction id,"
          + " which returns the recorded result if it did commit.", e);
    }
    if (state.startsWith("23") || state.startsWith("22")) {
      return new DeltaException(SqlState.DATA_EXCEPTION, "Cannot " + attempt + ": the catalog "
          + "database refused the data (" + reason + "). Nothing was written; fix the input.", e);
    }
    return new DeltaException(SqlState.INTERNAL_ERROR, "Cannot " + attempt + ": unexpected catalog "
        + "database error (" + reason + "). Nothing was written. If the catalog schema was changed "
        + "by hand, restore it.", e);
  }

  DeltaException closed() {
    return new DeltaException(SqlState.CONNECTION_EXCEPTION,
        "The catalog " + config.redactedUrl() + " is closed: open a new connection");
  }

  /**
   * A read that a snapshot left for later (the stats of its files, from a catalog file image)
   * after its catalog store was closed.
   */
  static DeltaException closedBeforeLaterRead(String catalog, String what, Throwable cause) {
    return new DeltaException(SqlState.CONNECTION_EXCEPTION, "Cannot read " + what + ": the catalog store "
        + catalog + " is closed, and the snapshot reads them from it when first asked; read the table again "
        + "through an open catalog", cause);
  }

  static DeltaException unknownTable(long tableId) {
    return new DeltaException(SqlState.UNDEFINED_TABLE, "Table with catalog id " + tableId
        + " does not exist (it may have been dropped): look it up again by name");
  }

  static DeltaException duplicateTable(String schema, String name) {
    return new DeltaException(SqlState.DUPLICATE_TABLE, "Table " + schema + "." + name
        + " already exists: choose another name or drop it first");
  }

  static DeltaException duplicateLocation(String location, TableInfo owner) {
    return new DeltaException(SqlState.DUPLICATE_TABLE, "Location " + location
        + " already belongs to table " + owner.qualifiedName()
        + ": two tables cannot share one Delta log; choose another location");
  }

  static DeltaException lostRace(TableInfo table, long readVersion, long currentVersion) {
    String what = currentVersion > readVersion
        ? "it was based on version " + readVersion + " but version " + currentVersion
            + " is already committed by another writer"
        : "it was based on version " + readVersion + " but the table is at version " + currentVersion;
    return new DeltaException(SqlState.SERIALIZATION_FAILURE, "Commit to table " + table.qualifiedName()
        + " lost a race: " + what + ". Re-read the table at version " + currentVersion
        + ", check for conflicts and retry.");
  }

  /** A compare-and-set lost to a commit that landed after our checks: retried in a new transaction. */
  static DeltaException concurrentCommit(TableInfo table, long readVersion) {
    return new TransientCatalogException(SqlState.SERIALIZATION_FAILURE, "Commit to table "
        + table.qualifiedName() + " based on version " + readVersion + " met a concurrent commit of version "
        + (readVersion + 1) + " and kept losing to further commits. Re-read the table and retry.");
  }

  static DeltaException noVersions(TableInfo table) {
    return new DeltaException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "Table "
        + table.qualifiedName() + " has no committed version yet: commit version 0 (protocol and "
        + "metadata) or import a base version first");
  }

  static DeltaException versionTooOld(TableInfo table, long version) {
    return new DeltaException(SqlState.DATA_EXCEPTION, "Version " + version + " of table "
        + table.qualifiedName() + " is not in the catalog: the oldest version it holds is "
        + table.oldestVersion() + " (the table's history starts there). Use version "
        + table.oldestVersion() + " or later.");
  }

  static DeltaException versionTooNew(TableInfo table, long version) {
    return new DeltaException(SqlState.DATA_EXCEPTION, "Version " + version + " of table "
        + table.qualifiedName() + " does not exist: the latest version is " + table.currentVersion());
  }

  static DeltaException timestampBeforeHistory(TableInfo table, Instant at, Instant oldest) {
    return new DeltaException(SqlState.DATA_EXCEPTION, "Table " + table.qualifiedName()
        + " has no version at " + at + ": its oldest version " + table.oldestVersion()
        + " was committed at " + oldest + ". Use a timestamp at or after " + oldest + ".");
  }

  static DeltaException timestampAfterLatest(TableInfo table, Instant at, Instant latest) {
    return new DeltaException(SqlState.DATA_EXCEPTION, "Timestamp " + at + " is after the latest "
        + "commit of table " + table.qualifiedName() + " (version " + table.currentVersion()
        + " at " + latest + "). Use a timestamp at or before " + latest
        + ", or read the latest version.");
  }

  static DeltaException invalidCommit(TableInfo table, long version, String why) {
    return new DeltaException(SqlState.DATA_EXCEPTION, "Invalid commit of version " + version
        + " of table " + table.qualifiedName() + ": " + why + ". Nothing was written.");
  }

  static DeltaException diverged(TableInfo table) {
    return new DeltaException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "Table "
        + table.qualifiedName() + " has diverged from its _delta_log ("
        + table.divergence().orElse("a foreign writer changed the log")
        + "): writes are refused until it is repaired. Run CALL verify on it to see the difference.");
  }

  static DeltaException alreadyHasVersions(TableInfo table) {
    return new DeltaException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "Cannot import a base "
        + "version into table " + table.qualifiedName() + ": it already has versions up to "
        + table.currentVersion() + ". Import into a newly registered table.");
  }

  static DeltaException baseHasNoActions(TableInfo table, long version) {
    return new DeltaException(SqlState.DATA_EXCEPTION, "Version " + version + " of table "
        + table.qualifiedName() + " was imported as a checkpoint base: the catalog holds its "
        + "snapshot, not the actions of that commit. Read the snapshot at " + version + " instead.");
  }

  static DeltaException schemaTooNew(String url, int found, int supported) {
    return new DeltaException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "The catalog " + url
        + " has schema version " + found + ", newer than the version " + supported
        + " this deltasql understands: it was written by a newer deltasql. Upgrade deltasql to use"
        + " this catalog; it was not changed.");
  }

  static DeltaException notHeld(long tableId, long readVersion) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "A held commit of table id " + tableId
        + " based on version " + readVersion + " names no held row of that table (or is a new table's):"
        + " commit it with commitAll, which reads the row.");
  }

  /** A held commit ({@link CatalogTransaction#commitAllHeld}) whose tables were not as held: nothing written. */
  static DeltaException notAsHeld(List<CommitRequest> requests, DeltaException cause) {
    return new DeltaException(SqlState.SERIALIZATION_FAILURE, "A commit of tables "
        + requests.stream().map(r -> "id " + r.tableId() + " at version " + r.readVersion()).toList()
        + " without reading their rows found one not as held: moved on, diverged, with its mirror too far"
        + " behind, or already holding transaction " + (requests.isEmpty() ? "" : requests.get(0).txnId())
        + ". Nothing was written; commit again reading the rows (commitAll), which tells which.", cause);
  }

  static DeltaException tableTwiceInOneCommit(long tableId) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "A multi-table commit lists table id "
        + tableId + " twice: stage all of a table's actions in one commit");
  }

  static DeltaException notAPartitionColumn(TableInfo table, String column, List<String> partitionColumns) {
    return new DeltaException(SqlState.UNDEFINED_COLUMN, "Column " + column + " is not a partition column of"
        + " table " + table.qualifiedName() + " (partition columns: " + partitionColumns + ")");
  }

  static DeltaException noMirrorStatus(String table, long version) {
    return new DeltaException(SqlState.DATA_EXCEPTION, "Version " + version + " of " + table
        + " has no mirror status: it is not a committed version");
  }

  static DeltaException transactionEnded() {
    return new DeltaException(SqlState.INVALID_TRANSACTION_STATE, "This catalog transaction has ended: "
        + "use a CatalogTransaction only inside the work given to CatalogStore.inTransaction");
  }

  static DeltaException transactionFailed() {
    return new DeltaException(SqlState.INVALID_TRANSACTION_STATE, "An earlier statement of this catalog "
        + "transaction failed, so it will be rolled back: nothing more can be done in it");
  }

  static DeltaException emptyName(String what) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "A table needs a non-empty " + what);
  }

  /** A row the catalog's own invariants require is missing. */
  static DeltaException missingRow(String what) {
    return corrupt(what + " is missing", null);
  }

  static DeltaException corrupt(String what, Throwable cause) {
    return new DeltaException(SqlState.DATA_CORRUPTED, "The catalog holds a corrupt value: " + what
        + ". The catalog was changed outside deltasql; restore it from a backup or re-import the table.",
        cause);
  }

  /**
   * The database's own words, without the statement text some drivers append: the most
   * specific exception of a failed batch, its first line, before H2's "; SQL statement:".
   */
  static String briefly(SQLException e) {
    SQLException specific = e.getNextException() != null ? e.getNextException() : e;
    String message = specific.getMessage() == null ? specific.getClass().getSimpleName() : specific.getMessage();
    int cut = message.indexOf("; SQL statement:");
    if (cut >= 0) {
      message = message.substring(0, cut);
    }
    int newline = message.indexOf('\n');
    return (newline >= 0 ? message.substring(0, newline) : message).strip();
  }

  private static SQLException sqlCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }
}
