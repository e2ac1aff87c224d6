package io.deltasql.core.catalog;

import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.catalog.CommitActions.Positioned;
import io.deltasql.core.catalog.TableStatements.TableRow;
import io.deltasql.core.table.Snapshot;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one version of one table: the compare-and-set of the table's current version,
 * the version row, every action, the file intervals, and the mirror status row. Runs on
 * the caller's connection and never commits or rolls back: the enclosing catalog
 * transaction decides, so several tables can be committed atomically.
 */
final class CommitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CommitWriter.class);

  static final String SELECT_BY_TXN =
      "SELECT version, commit_timestamp FROM delta_versions WHERE table_id = ? AND txn_id = ?";
  static final String SELECT_TIMESTAMP =
      "SELECT commit_timestamp FROM delta_versions WHERE table_id = ? AND version = ?";
  static final String INSERT_VERSION = "INSERT INTO delta_versions (table_id, version, commit_timestamp, txn_id, "
      + "committer, operation, operation_parameters, commit_info, commit_info_seq, action_count, is_base) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  /** Ends the interval of the active row of a logical file (a remove, or a re-add replacing it). */
  static final String CLOSE_FILE = "UPDATE delta_files SET remove_version = ? "
      + "WHERE table_id = ? AND path = ? AND dv_id = ? AND remove_version IS NULL";
  /** The active rows among a batch of paths (an array parameter): which adds replace a file. */
  static final String ACTIVE_BY_PATHS = "SELECT path, dv_id FROM delta_files "
      + "WHERE table_id = ? AND remove_version IS NULL AND path = ANY(?)";
  static final String CLOSE_TXN = "UPDATE delta_app_txns SET to_version = ? "
      + "WHERE table_id = ? AND to_version IS NULL AND app_id = ?";
  static final String CLOSE_DOMAIN = "UPDATE delta_domains SET to_version = ? "
      + "WHERE table_id = ? AND to_version IS NULL AND domain = ?";

  private static final String UNKNOWN_OPERATION = "UNKNOWN";
  private static final String IMPORT_OPERATION = "IMPORT";
  private static final String OPERATION_PARAMETERS = "operationParameters";

  private final Connection connection;
  private final TableStatements tables;
  private final MirrorStatements mirror;
  private final Clock clock;
  private final int batchSize;
  private long fileRows;

  CommitWriter(Connection connection, TableStatements tables, MirrorStatements mirror, Clock clock, int batchSize) {
    this.connection = connection;
    this.tables = tables;
    this.mirror = mirror;
    this.clock = clock;
    this.batchSize = batchSize;
  }

  CommitResult commit(CommitRequest request) throws SQLException {
    long tableId = request.tableId();
    // The table row first, the transaction id second: if a copy of this commit moved the
    // version before the row was read, the later statement sees its version row too.
    TableInfo table = tables.byId(tableId).orElseThrow(() -> CatalogErrors.unknownTable(tableId)).info();
    Optional<CommitResult> recorded = recorded(tableId, request.txnId());
    if (recorded.isPresent()) {
      LOG.debug("catalog commit already recorded table={} version={} txn={}", table.qualifiedName(),
          recorded.get().version(), request.txnId());
      return recorded.get();
    }
    if (table.diverged()) {
      throw CatalogErrors.diverged(table);
    }
    long version = request.version();
    CommitActions actions = CommitActions.of(table, version, request.actions());
    if (table.currentVersion() != request.readVersion()) {
      throw CatalogErrors.lostRace(table, request.readVersion(), table.currentVersion());
    }
    long previous = request.readVersion() >= 0 ? timestampOf(tableId, request.readVersion()) : Long.MIN_VALUE;
    Long protocolVersion = actions.protocol().isPresent() ? version : null;
    Long metadataVersion = actions.metadata().isPresent() ? version : null;
    if (!tables.advance(tableId, request.readVersion(), version, protocolVersion, metadataVersion)) {
      // A commit landed between our checks and the compare-and-set: a copy of this one, or
      // another writer's. A fresh transaction's checks tell which (see TransientCatalogException).
      throw CatalogErrors.concurrentCommit(table, request.readVersion());
    }

    Optional<CommitInfo> commitInfo = actions.commitInfo().map(Positioned::action);
    long requested = commitInfo.flatMap(CommitInfo::inCommitTimestamp)
        .or(request::timestamp)
        .orElseGet(clock::millis);
    long timestamp = previous == Long.MIN_VALUE ? requested : Math.max(requested, previous + 1);
    if (timestamp != requested && commitInfo.flatMap(CommitInfo::inCommitTimestamp).isPresent()) {
      // Delta's rule for in-commit timestamps: max(time, previous + 1). The catalog knows the
      // previous version for certain, so it applies the rule to the stored commitInfo.
      LOG.warn("catalog raised in-commit timestamp table={} version={} txn={} requested={} previous={} used={}",
          table.qualifiedName(), version, request.txnId(), requested, previous, timestamp);
      commitInfo = Optional.of(CommitRequest.withInCommitTimestamp(commitInfo.get(), timestamp));
    }

    insertVersion(tableId, version, timestamp, Optional.of(request.txnId()), request.committer(), commitInfo,
        actions.commitInfo().map(Positioned::seq), actions.size(), false,
        version == 0 ? "CREATE TABLE" : UNKNOWN_OPERATION);
    writeActions(tableId, version, actions, true);
    mirror.insert(tableId, version, request.alreadyMirrored() ? MirrorState.DONE : MirrorState.PENDING);
    LOG.debug("catalog commit table={} version={} txn={} actions={} adds={} removes={} timestamp={}",
        table.qualifiedName(), version, request.txnId(), actions.size(), actions.adds().size(),
        actions.removes().size(), timestamp);
    return new CommitResult(tableId, version, timestamp, request.txnId(), false);
  }

  CommitResult importBase(BaseVersion base) throws SQLException {
    long tableId = base.tableId();
    TableRow row = tables.byId(tableId).orElseThrow(() -> CatalogErrors.unknownTable(tableId));
    Optional<CommitResult> recorded = recorded(tableId, base.txnId());
    if (recorded.isPresent()) {
      return recorded.get();
    }
    if (row.info().hasVersions()) {
      throw CatalogErrors.alreadyHasVersions(row.info());
    }
    Snapshot snapshot = base.snapshot();
    long version = snapshot.version();
    if (version < 0) {
      throw CatalogErrors.invalidCommit(row.info(), version, "a base version cannot be negative");
    }
    if (!tables.advanceToBase(tableId, version)) {
      throw CatalogErrors.concurrentCommit(row.info(), -1);
    }
    List<Positioned<AddFile>> files = new ArrayList<>(snapshot.files().size());
    int seq = 2;
    for (AddFile file : snapshot.files().values()) {
      files.add(new Positioned<>(seq++, file));
    }
    List<Positioned<SetTransaction>> txns = new ArrayList<>();
    for (SetTransaction txn : snapshot.appTransactions().values()) {
      txns.add(new Positioned<>(seq++, txn));
    }
    List<Positioned<DomainMetadata>> domains = new ArrayList<>();
    for (DomainMetadata domain : snapshot.domains().values()) {
      domains.add(new Positioned<>(seq++, domain));
    }
    CommitActions actions = new CommitActions(Optional.of(new Positioned<>(0, snapshot.protocol())),
        Optional.of(new Positioned<>(1, snapshot.metadata())), Optional.empty(), files, List.of(), txns, domains,
        List.of(), seq);
    insertVersion(tableId, version, snapshot.timestamp(), Optional.of(base.txnId()), Optional.empty(),
        base.commitInfo(), Optional.empty(), seq, true, IMPORT_OPERATION);
    writeActions(tableId, version, actions, false);
    mirror.insert(tableId, version, MirrorState.DONE);
    LOG.info("catalog imported base version table={} version={} files={} txn={}",
        row.info().qualifiedName(), version, files.size(), base.txnId());
    return new CommitResult(tableId, version, snapshot.timestamp(), base.txnId(), false);
  }

  /** How many file rows this writer has inserted. */
  long fileRows() {
    return fileRows;
  }

  private Optional<CommitResult> recorded(long tableId, String txnId) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_BY_TXN)) {
      ps.setLong(1, tableId);
      ps.setString(2, txnId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new CommitResult(tableId, rs.getLong(1), rs.getLong(2), txnId, true))
            : Optional.empty();
      }
    }
  }

  private long timestampOf(long tableId, long version) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_TIMESTAMP)) {
      ps.setLong(1, tableId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw CatalogErrors.missingRow("the version row of version " + version + " of table id " + tableId);
        }
        return rs.getLong(1);
      }
    }
  }

  private void insertVersion(long tableId, long version, long timestamp, Optional<String> txnId,
      Optional<String> committer, Optional<CommitInfo> commitInfo, Optional<Integer> commitInfoSeq,
      int actionCount, boolean base, String defaultOperation) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(INSERT_VERSION)) {
      ps.setLong(1, tableId);
      ps.setLong(2, version);
      ps.setLong(3, timestamp);
      Jdbc.setString(ps, 4, txnId.orElse(null));
      Jdbc.setString(ps, 5, committer.orElse(null));
      ps.setString(6, commitInfo.flatMap(CommitInfo::operation).orElse(defaultOperation));
      Jdbc.setString(ps, 7, commitInfo.map(c -> c.values().get(OPERATION_PARAMETERS))
          .filter(p -> p.isObject())
          .map(p -> CatalogJson.map(CatalogJson.textFields(p)))
          .orElse(null));
      Jdbc.setString(ps, 8, commitInfo.map(c -> CatalogJson.object(c.values())).orElse(null));
      Jdbc.setInt(ps, 9, commitInfoSeq);
      ps.setInt(10, actionCount);
      ps.setBoolean(11, base);
      ps.executeUpdate();
    }
  }

  /**
   * Writes the actions of {@code version}. Intervals are closed before new rows are opened,
   * so that a re-added file closes its previous row and never its new one.
   */
  private void writeActions(long tableId, long version, CommitActions actions, boolean closeActive)
      throws SQLException {
    if (actions.protocol().isPresent()) {
      Positioned<Protocol> p = actions.protocol().get();
      try (PreparedStatement ps = connection.prepareStatement(ActionRows.INSERT_PROTOCOL)) {
        ActionRows.bindProtocol(ps, tableId, version, p.seq(), p.action());
        ps.executeUpdate();
      }
    }
    if (actions.metadata().isPresent()) {
      Positioned<Metadata> m = actions.metadata().get();
      try (PreparedStatement ps = connection.prepareStatement(ActionRows.INSERT_METADATA)) {
        ActionRows.bindMetadata(ps, tableId, version, m.seq(), m.action());
        ps.executeUpdate();
      }
    }
    if (closeActive) {
      closeFiles(tableId, version, actions);
    }
    if (!actions.removes().isEmpty()) {
      try (Batch batch = new Batch(connection, ActionRows.INSERT_REMOVE, batchSize)) {
        for (Positioned<RemoveFile> r : actions.removes()) {
          ActionRows.bindRemove(batch.statement(), tableId, version, r.seq(), r.action());
          batch.add();
        }
        batch.flush();
      }
    }
    if (!actions.adds().isEmpty()) {
      try (Batch batch = new Batch(connection, ActionRows.INSERT_FILE, batchSize)) {
        for (Positioned<AddFile> a : actions.adds()) {
          ActionRows.bindFile(batch.statement(), tableId, version, a.seq(), a.action());
          batch.add();
        }
        batch.flush();
      }
      fileRows += actions.adds().size();
    }
    if (!actions.txns().isEmpty()) {
      if (closeActive) {
        closeByName(CLOSE_TXN, tableId, version, actions.txns().stream().map(t -> t.action().appId()).toList());
      }
      try (Batch batch = new Batch(connection, ActionRows.INSERT_TXN, batchSize)) {
        for (Positioned<SetTransaction> t : actions.txns()) {
          ActionRows.bindTxn(batch.statement(), tableId, version, t.seq(), t.action());
          batch.add();
        }
        batch.flush();
      }
    }
    if (!actions.domains().isEmpty()) {
      if (closeActive) {
        closeByName(CLOSE_DOMAIN, tableId, version, actions.domains().stream().map(d -> d.action().domain()).toList());
      }
      try (Batch batch = new Batch(connection, ActionRows.INSERT_DOMAIN, batchSize)) {
        for (Positioned<DomainMetadata> d : actions.domains()) {
          ActionRows.bindDomain(batch.statement(), tableId, version, d.seq(), d.action());
          batch.add();
        }
        batch.flush();
      }
    }
    if (!actions.cdcFiles().isEmpty()) {
      try (Batch batch = new Batch(connection, ActionRows.INSERT_CDC, batchSize)) {
        for (Positioned<AddCdcFile> c : actions.cdcFiles()) {
          ActionRows.bindCdc(batch.statement(), tableId, version, c.seq(), c.action());
          batch.add();
        }
        batch.flush();
      }
    }
  }

  /** Ends the active interval of every removed file and of every re-added file. */
  private void closeFiles(long tableId, long version, CommitActions actions) throws SQLException {
    if (!actions.removes().isEmpty()) {
      try (Batch batch = new Batch(connection, CLOSE_FILE, batchSize)) {
        for (Positioned<RemoveFile> r : actions.removes()) {
          bindClose(batch.statement(), tableId, version, r.action().fileKey());
          batch.add();
        }
        batch.flush();
      }
    }
    if (!actions.adds().isEmpty()) {
      closeReplaced(tableId, version, actions.adds());
    }
  }

  /**
   * Ends the active interval of the files that adds replace (the same path and deletion
   * vector added again, with new statistics say). Nearly every add is a new file, so rather
   * than one update per add, the adds' paths are looked up a batch at a time, one statement
   * per batch with the paths as an array parameter (an index range each), and only the rows
   * found are closed.
   */
  private void closeReplaced(long tableId, long version, List<Positioned<AddFile>> adds) throws SQLException {
    try (PreparedStatement probe = connection.prepareStatement(ACTIVE_BY_PATHS);
        Batch close = new Batch(connection, CLOSE_FILE, batchSize)) {
      for (int from = 0; from < adds.size(); from += batchSize) {
        List<Positioned<AddFile>> slice = adds.subList(from, Math.min(adds.size(), from + batchSize));
        Set<FileKey> added = new HashSet<>(slice.size() * 2);
        String[] paths = new String[slice.size()];
        for (int i = 0; i < paths.length; i++) {
          AddFile add = slice.get(i).action();
          added.add(add.fileKey());
          paths[i] = add.path();
        }
        Array array = connection.createArrayOf("VARCHAR", paths);
        try {
          probe.setLong(1, tableId);
          probe.setArray(2, array);
          try (ResultSet rs = probe.executeQuery()) {
            while (rs.next()) {
              String dvId = rs.getString(2);
              FileKey key = new FileKey(rs.getString(1), dvId.isEmpty() ? Optional.empty() : Optional.of(dvId));
              if (added.contains(key)) {
                bindClose(close.statement(), tableId, version, key);
                close.add();
              }
            }
          }
        } finally {
          array.free();
        }
      }
      close.flush();
    }
  }

  private static void bindClose(PreparedStatement ps, long tableId, long version, FileKey key) throws SQLException {
    ps.setLong(1, version);
    ps.setLong(2, tableId);
    ps.setString(3, key.path());
    ps.setString(4, key.deletionVectorId().orElse(""));
  }

  private void closeByName(String sql, long tableId, long version, List<String> names) throws SQLException {
    try (Batch batch = new Batch(connection, sql, batchSize)) {
      for (String name : names) {
        PreparedStatement ps = batch.statement();
        ps.setLong(1, version);
        ps.setLong(2, tableId);
        ps.setString(3, name);
        batch.add();
      }
      batch.flush();
    }
  }
}
