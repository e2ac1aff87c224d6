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
import io.deltasql.core.catalog.TableStatements.Found;
import io.deltasql.core.catalog.TableStatements.TableRow;
import io.deltasql.core.table.Snapshot;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
  static final String INSERT_VERSION = "INSERT INTO delta_versions (table_id, version, commit_timestamp, txn_id, "
      + "committer, operation, operation_parameters, commit_info, commit_info_seq, action_count, is_base) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  /** Ends the interval of the active row of a logical file (a remove, or a re-add replacing it). */
  static final String CLOSE_FILE = "UPDATE delta_files SET remove_version = ? "
      + "WHERE table_id = ? AND path = ? AND dv_id = ? AND remove_version IS NULL";
  /**
   * The active rows among a batch of paths (an array parameter): which adds replace a file. A
   * join with the unnested array, so that both databases look each path up in the primary key
   * (table_id, path, ...); H2 plans {@code path = ANY(?)} as a scan of all the table's files.
   */
  static final String ACTIVE_BY_PATHS = "SELECT f.path, f.dv_id FROM UNNEST(CAST(? AS VARCHAR ARRAY)) AS t(p) "
      + "JOIN delta_files f ON f.table_id = ? AND f.path = t.p WHERE f.remove_version IS NULL";
  /**
   * Ends the active rows that adds replace, in one statement (PostgreSQL, {@link
   * #writePipelined}): the added paths and deletion vector ids as two arrays, joined on the
   * primary key's leading columns, as {@link #ACTIVE_BY_PATHS} does.
   */
  static final String CLOSE_REPLACED = "UPDATE delta_files f SET remove_version = ? "
      + "FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS VARCHAR ARRAY)) AS t(p, d) "
      + "WHERE f.table_id = ? AND f.path = t.p AND f.dv_id = t.d AND f.remove_version IS NULL";
  private static final String FOREIGN_KEY_VIOLATION = "23503";
  /** The SQL of each shape of pipelined commit, built once. */
  private static final SqlShapes<PipelineShape> PIPELINED = new SqlShapes<>();
  /** Most adds a pipelined commit carries (one statement, 19 parameters per file row); beyond, batches. */
  static final int PIPELINE_MAX_ADDS = 64;
  /** Fewest removes of one version that PostgreSQL closes by arrays ({@link #closeRemovedByArrays}). */
  static final int ARRAY_CLOSE_MIN = 8;
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
  private final boolean pipelined;
  private long fileRows;

  CommitWriter(Connection connection, TableStatements tables, MirrorStatements mirror, Clock clock, int batchSize,
      boolean pipelined) {
    this.connection = connection;
    this.tables = tables;
    this.mirror = mirror;
    this.clock = clock;
    this.batchSize = batchSize;
    this.pipelined = pipelined;
  }

  /** A table's commit that passed its checks: what is written for it. */
  private record Checked(CommitRequest request, TableInfo table, CommitActions actions, long timestamp,
      Optional<CommitInfo> commitInfo) {
    long tableId() {
      return request.tableId();
    }

    long version() {
      return request.version();
    }
  }

  /**
   * Commits one version of each table of {@code requests} (distinct tables, in the order the
   * rows are to be locked): one statement reads every table's row with its version holding
   * the request's transaction id and the timestamp of its current version; then, once every
   * table passed its checks, the compare-and-sets, version rows, actions and mirror rows go
   * as one batch per statement for all the tables. Results come back in request order.
   */
  List<CommitResult> commitAll(List<CommitRequest> requests) throws SQLException {
    return write(requests, tables.forCommit(requests), OptionalLong.empty());
  }

  /**
   * {@link #commitAll} of tables that the committer holds at the requests' read versions
   * ({@link CatalogTransaction#commitAllHeld}): nothing is read first. Each table's row is
   * taken as {@code held} says, at the read version, with no version holding the transaction
   * id; the compare-and-sets check the rest ({@link TableStatements#ADVANCE_HELD}, at most
   * {@code maxUnmirrored} unmirrored versions), and the unique key of (table, transaction id)
   * refuses an id already recorded. Either failing is a lost race, nothing written.
   */
  List<CommitResult> commitAllHeld(List<CommitRequest> requests, Map<Long, HeldTable> held, long maxUnmirrored)
      throws SQLException {
    Map<Long, Found> found = new HashMap<>();
    for (CommitRequest request : requests) {
      HeldTable h = held.get(request.tableId());
      if (h == null || h.table().tableId() != request.tableId() || request.readVersion() < 0) {
        throw CatalogErrors.notHeld(request.tableId(), request.readVersion());
      }
      TableInfo t = h.table();
      TableInfo atRead = new TableInfo(t.tableId(), t.schemaName(), t.tableName(), t.location(),
          request.readVersion(), t.oldestVersion(), t.properties(), Optional.empty());
      found.put(request.tableId(), new Found(atRead, Optional.empty(), Optional.of(h.readTimestamp())));
    }
    return write(requests, found, OptionalLong.of(maxUnmirrored));
  }

  /**
   * Checks and writes each request against its table's row in {@code found}; with {@code
   * maxUnmirrored}, the compare-and-sets are {@link TableStatements#ADVANCE_HELD}.
   */
  private List<CommitResult> write(List<CommitRequest> requests, Map<Long, Found> found, OptionalLong maxUnmirrored)
      throws SQLException {
    List<CommitResult> results = new ArrayList<>(requests.size());
    List<Checked> checked = new ArrayList<>(requests.size());
    for (CommitRequest request : requests) {
      long tableId = request.tableId();
      Found row = found.get(tableId);
      if (row == null) {
        throw CatalogErrors.unknownTable(tableId);
      }
      TableInfo table = row.info();
      if (row.recorded().isPresent()) {
        CommitResult recorded = row.recorded().get();
        LOG.debug("catalog commit already recorded table={} version={} txn={}", table.qualifiedName(),
            recorded.version(), request.txnId());
        results.add(recorded);
        continue;
      }
      Checked c = check(request, table, row.currentTimestamp());
      checked.add(c);
      results.add(new CommitResult(tableId, c.version(), c.timestamp(), request.txnId(), false));
    }
    if (checked.isEmpty()) {
      return results;
    }
    if (pipelined && pipelinable(checked)) {
      writePipelined(checked, maxUnmirrored);
    } else {
      advance(checked, maxUnmirrored);
      insertVersions(checked);
      writeActions(checked.stream().map(c -> new VersionActions(c.tableId(), c.version(), c.actions(),
          c.request().replacedFiles())).toList(), true);
      mirror.insertAll(checked.stream().map(c -> new MirrorStatements.Row(c.tableId(), c.version(),
          mirrorState(c))).toList());
    }
    if (LOG.isDebugEnabled()) {
      for (Checked c : checked) {
        LOG.debug("catalog commit table={} version={} txn={} actions={} adds={} removes={} timestamp={}",
            c.table().qualifiedName(), c.version(), c.request().txnId(), c.actions().size(),
            c.actions().adds().size(), c.actions().removes().size(), c.timestamp());
      }
    }
    return results;
  }

  /**
   * The checks of one table's commit against its row, and its timestamp. The row, the version
   * holding the transaction id and the previous timestamp come from one statement: if a copy
   * of this commit landed and the statement missed its version row (H2 may show two tables of
   * one statement at different instants), the row shows a version other than the one read and
   * the commit fails as a lost race, which the caller's retry resolves by finding the copy.
   */
  private Checked check(CommitRequest request, TableInfo table, Optional<Long> currentTimestamp) {
    if (table.diverged()) {
      throw CatalogErrors.diverged(table);
    }
    long version = request.version();
    CommitActions actions = CommitActions.of(table, version, request.actions());
    if (table.currentVersion() != request.readVersion()) {
      throw CatalogErrors.lostRace(table, request.readVersion(), table.currentVersion());
    }
    long previous = request.readVersion() < 0 ? Long.MIN_VALUE
        : currentTimestamp.orElseThrow(() -> CatalogErrors.missingRow("the version row of version "
            + request.readVersion() + " of table id " + request.tableId()));
    Optional<CommitInfo> commitInfo = actions.commitInfo().map(Positioned::action);
    long requested = commitInfo.flatMap(CommitInfo::inCommitTimestamp)
        .or(request::timestamp)
        .orElseGet(clock::millis);
    long timestamp = previous == Long.MIN_VALUE ? requested : Math.max(requested, previous + 1);
    if (timestamp != requested && commitInfo.flatMap(CommitInfo::inCommitTimestamp).isPresent()) {
      // Delta's rule for in-commit timestamps: max(time, previous + 1). The catalog knows the
      // previous version for certain, so it applies the rule to the stored commitInfo. Routine
      // when commits to a table come faster than the clock ticks: not a warning.
      LOG.debug("catalog raised in-commit timestamp table={} version={} txn={} requested={} previous={} used={}",
          table.qualifiedName(), version, request.txnId(), requested, previous, timestamp);
      commitInfo = Optional.of(CommitRequest.withInCommitTimestamp(commitInfo.get(), timestamp));
    }
    return new Checked(request, table, actions, timestamp, commitInfo);
  }

  /** The compare-and-sets, in request order; the first table another writer moved fails the commit. */
  private void advance(List<Checked> checked, OptionalLong maxUnmirrored) throws SQLException {
    List<TableStatements.Advance> advances = new ArrayList<>(checked.size());
    for (Checked c : checked) {
      advances.add(new TableStatements.Advance(c.tableId(), c.request().readVersion(), c.version(),
          c.actions().protocol().isPresent() ? c.version() : null,
          c.actions().metadata().isPresent() ? c.version() : null));
    }
    int moved = tables.advanceAll(advances, maxUnmirrored);
    if (moved >= 0) {
      // A commit landed between our checks and the compare-and-set: a copy of this one, or
      // another writer's. A fresh transaction's checks tell which (see TransientCatalogException).
      Checked c = checked.get(moved);
      throw CatalogErrors.concurrentCommit(c.table(), c.request().readVersion());
    }
  }

  private static MirrorState mirrorState(Checked c) {
    return c.request().alreadyMirrored() ? MirrorState.DONE : MirrorState.PENDING;
  }

  /**
   * Whether a commit goes as one pipelined statement: every table's actions are adds (and a
   * commitInfo) only, at most {@link #PIPELINE_MAX_ADDS} in all. Protocol, metadata, removes,
   * app transactions, domains and CDC files take the batched path.
   */
  private static boolean pipelinable(List<Checked> checked) {
    int adds = 0;
    for (Checked c : checked) {
      CommitActions a = c.actions();
      if (a.protocol().isPresent() || a.metadata().isPresent() || !a.removes().isEmpty() || !a.txns().isEmpty()
          || !a.domains().isEmpty() || !a.cdcFiles().isEmpty()) {
        return false;
      }
      adds += a.adds().size();
    }
    return adds <= PIPELINE_MAX_ADDS;
  }

  /**
   * The writes of a small commit in one round trip (PostgreSQL): one prepared statement of
   * several SQL statements, which pgjdbc sends together and the server runs in order in the
   * catalog transaction: each table's compare-and-set, the version rows (a multi-row insert),
   * per table with adds the closing of the active rows that the adds replace (an update
   * joined with the added paths, where the batched path probes first; none for a table whose
   * request knows that its adds replace nothing, see {@link #mayReplace}), then the file rows
   * and the mirror status rows as multi-row inserts. The same rows as the batched path. A
   * compare-and-set that finds its table moved on means that the version it would write
   * exists (or the table was dropped): the version insert right after it fails, before any
   * other row is touched, and that failure, like a compare-and-set without its row, is a lost
   * race ({@link CatalogErrors#concurrentCommit}, retried). With {@code maxUnmirrored} (held
   * tables, nothing read first) the compare-and-sets are {@link TableStatements#ADVANCE_HELD}:
   * one that finds its table diverged or too far behind writes nothing either, though the
   * statements after it run (the catalog transaction is then rolled back).
   */
  private void writePipelined(List<Checked> checked, OptionalLong maxUnmirrored) throws SQLException {
    List<Checked> withAdds = checked.stream().filter(c -> !c.actions().adds().isEmpty()).toList();
    int adds = withAdds.stream().mapToInt(c -> c.actions().adds().size()).sum();
    List<Checked> closing = new ArrayList<>(withAdds.size());
    List<List<FileKey>> closed = new ArrayList<>(withAdds.size());
    for (Checked c : withAdds) {
      List<FileKey> keys = mayReplace(c.request(), c.actions().adds());
      if (!keys.isEmpty()) {
        closing.add(c);
        closed.add(keys);
      }
    }
    boolean held = maxUnmirrored.isPresent();
    String sql = PIPELINED.get(new PipelineShape(checked.size(), closing.size(), adds, held),
        CommitWriter::pipelinedSql);
    long now = clock.millis();
    List<Array> arrays = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int at = 0;
      for (Checked c : checked) {
        TableStatements.bindAdvance(ps, at, c.tableId(), c.request().readVersion(), c.version(), null, null);
        at += 5;
        if (held) {
          ps.setLong(++at, TableStatements.backlogProbe(c.request().readVersion(), maxUnmirrored.getAsLong()));
        }
      }
      for (Checked c : checked) {
        bindVersion(ps, at, c.tableId(), c.version(), c.timestamp(), Optional.of(c.request().txnId()),
            c.request().committer(), c.commitInfo(), c.actions().commitInfo().map(Positioned::seq),
            c.actions().size(), false, c.version() == 0 ? "CREATE TABLE" : UNKNOWN_OPERATION);
        at += 11;
      }
      for (int t = 0; t < closing.size(); t++) {
        Checked c = closing.get(t);
        bindCloseByArrays(ps, at, c.tableId(), c.version(), closed.get(t), arrays);
        at += 4;
      }
      for (Checked c : withAdds) {
        for (Positioned<AddFile> a : c.actions().adds()) {
          ActionRows.bindFile(ps, at, c.tableId(), c.version(), a.seq(), a.action());
          at += 19;
        }
      }
      for (Checked c : checked) {
        ps.setLong(at + 1, c.tableId());
        ps.setLong(at + 2, c.version());
        ps.setString(at + 3, mirrorState(c).name());
        ps.setLong(at + 4, now);
        at += 4;
      }
      boolean resultSet;
      try {
        resultSet = ps.execute();
      } catch (SQLException e) {
        String state = SqlStates.of(e);
        if (SqlStates.UNIQUE_VIOLATION.equals(state) || FOREIGN_KEY_VIOLATION.equals(state)) {
          // The version row of a table that moved on (or was dropped) since the checks.
          Checked c = checked.get(0);
          throw CatalogErrors.concurrentCommit(c.table(), c.request().readVersion());
        }
        throw e;
      }
      for (int i = 0; i < checked.size(); i++) {
        if (i > 0) {
          resultSet = ps.getMoreResults();
        }
        if (resultSet || ps.getUpdateCount() != 1) {
          Checked c = checked.get(i);
          throw CatalogErrors.concurrentCommit(c.table(), c.request().readVersion());
        }
      }
    } finally {
      for (Array a : arrays) {
        a.free();
      }
    }
    fileRows += adds;
  }

  /**
   * The added files whose active row, if there is one, this commit must close: those the
   * request knows to replace a file active at its read version, or every added file when it
   * does not know.
   */
  private static List<FileKey> mayReplace(CommitRequest request, List<Positioned<AddFile>> adds) {
    return mayReplace(request.replacedFiles(), adds);
  }

  private static List<FileKey> mayReplace(Optional<Set<FileKey>> replaced, List<Positioned<AddFile>> adds) {
    List<FileKey> keys = new ArrayList<>(replaced.map(Set::size).orElse(adds.size()));
    for (Positioned<AddFile> add : adds) {
      FileKey key = add.action().fileKey();
      if (replaced.isEmpty() || replaced.get().contains(key)) {
        keys.add(key);
      }
    }
    return keys;
  }

  /**
   * The statements of a pipelined commit: tables, of which {@code closes} close replaced
   * files, file rows, and whether the tables are held (nothing read first).
   */
  private record PipelineShape(int tables, int closes, int adds, boolean held) {}

  /** The SQL of a pipelined commit of one shape (see {@link #writePipelined}). */
  private static String pipelinedSql(PipelineShape shape) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < shape.tables(); i++) {
      sql.append(shape.held() ? TableStatements.ADVANCE_HELD : TableStatements.ADVANCE).append(";\n");
    }
    sql.append(multiRow(INSERT_VERSION, shape.tables())).append(";\n");
    for (int i = 0; i < shape.closes(); i++) {
      sql.append(CLOSE_REPLACED).append(";\n");
    }
    if (shape.adds() > 0) {
      sql.append(multiRow(ActionRows.INSERT_FILE, shape.adds())).append(";\n");
    }
    return sql.append(multiRow(MirrorStatements.INSERT, shape.tables())).toString();
  }

  /** {@code insert} (an {@code INSERT ... VALUES (...)} of one row) with {@code rows} rows. */
  private static String multiRow(String insert, int rows) {
    int values = insert.indexOf(" VALUES ") + " VALUES ".length();
    String row = insert.substring(values);
    StringBuilder sql = new StringBuilder(values + rows * (row.length() + 2)).append(insert, 0, values);
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(row);
    }
    return sql.toString();
  }

  private void insertVersions(List<Checked> checked) throws SQLException {
    try (Batch batch = new Batch(connection, INSERT_VERSION, batchSize)) {
      for (Checked c : checked) {
        bindVersion(batch.statement(), c.tableId(), c.version(), c.timestamp(), Optional.of(c.request().txnId()),
            c.request().committer(), c.commitInfo(), c.actions().commitInfo().map(Positioned::seq), c.actions().size(),
            false, c.version() == 0 ? "CREATE TABLE" : UNKNOWN_OPERATION);
        batch.add();
      }
      batch.flush();
    }
  }

  /**
   * Writes consecutive versions of one table that an import replays ({@link
   * CatalogTransaction#importCommits}): the rows of a {@link #commitAll} of each version in
   * turn, each version's actions written in the same order, but the table's row is read once
   * and advanced once, by one compare-and-set from the first request's read version to the
   * last version (with the last protocol and metadata versions among them); the version rows
   * and the mirror status rows go as one batch each. On PostgreSQL, every update of a row
   * leaves a new version of it that the transaction's later reads of the row walk past until
   * it ends: advancing the table once a version made each of an import's 50,000 versions
   * slower than the one before (12 ms a version on average). The transaction ids must be new.
   */
  List<CommitResult> importCommits(List<CommitRequest> requests) throws SQLException {
    CommitRequest first = requests.get(0);
    Found row = tables.forCommit(List.of(first)).get(first.tableId());
    if (row == null) {
      throw CatalogErrors.unknownTable(first.tableId());
    }
    TableInfo table = row.info();
    Optional<Long> previous = row.currentTimestamp();
    List<Checked> checked = new ArrayList<>(requests.size());
    Long protocolVersion = null;
    Long metadataVersion = null;
    for (CommitRequest request : requests) {
      if (request.tableId() != first.tableId()) {
        throw CatalogErrors.invalidCommit(table, request.version(), "an import writes the versions of one table");
      }
      Checked c = check(request, table, previous);
      checked.add(c);
      table = new TableInfo(table.tableId(), table.schemaName(), table.tableName(), table.location(), c.version(),
          table.oldestVersion(), table.properties(), table.divergence());
      previous = Optional.of(c.timestamp());
      protocolVersion = c.actions().protocol().isPresent() ? Long.valueOf(c.version()) : protocolVersion;
      metadataVersion = c.actions().metadata().isPresent() ? Long.valueOf(c.version()) : metadataVersion;
    }
    if (tables.advanceAll(List.of(new TableStatements.Advance(first.tableId(), first.readVersion(),
        table.currentVersion(), protocolVersion, metadataVersion)), OptionalLong.empty()) >= 0) {
      throw CatalogErrors.concurrentCommit(row.info(), first.readVersion());
    }
    insertVersions(checked);
    for (Checked c : checked) {
      // One version at a time: a version's closes must see the rows the versions before it added.
      writeActions(List.of(new VersionActions(c.tableId(), c.version(), c.actions(), c.request().replacedFiles())),
          true);
    }
    mirror.insertAll(checked.stream().map(c -> new MirrorStatements.Row(c.tableId(), c.version(), mirrorState(c)))
        .toList());
    return checked.stream()
        .map(c -> new CommitResult(c.tableId(), c.version(), c.timestamp(), c.request().txnId(), false))
        .toList();
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
    writeActions(List.of(new VersionActions(tableId, version, actions, Optional.empty())), false);
    mirror.insertAll(List.of(new MirrorStatements.Row(tableId, version, MirrorState.DONE)));
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

  private void insertVersion(long tableId, long version, long timestamp, Optional<String> txnId,
      Optional<String> committer, Optional<CommitInfo> commitInfo, Optional<Integer> commitInfoSeq,
      int actionCount, boolean base, String defaultOperation) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(INSERT_VERSION)) {
      bindVersion(ps, tableId, version, timestamp, txnId, committer, commitInfo, commitInfoSeq, actionCount, base,
          defaultOperation);
      ps.executeUpdate();
    }
  }

  private static void bindVersion(PreparedStatement ps, long tableId, long version, long timestamp,
      Optional<String> txnId, Optional<String> committer, Optional<CommitInfo> commitInfo,
      Optional<Integer> commitInfoSeq, int actionCount, boolean base, String defaultOperation) throws SQLException {
    bindVersion(ps, 0, tableId, version, timestamp, txnId, committer, commitInfo, commitInfoSeq, actionCount, base,
        defaultOperation);
  }

  /** Binds {@link #INSERT_VERSION} at parameters {@code at + 1} to {@code at + 11}. */
  private static void bindVersion(PreparedStatement ps, int at, long tableId, long version, long timestamp,
      Optional<String> txnId, Optional<String> committer, Optional<CommitInfo> commitInfo,
      Optional<Integer> commitInfoSeq, int actionCount, boolean base, String defaultOperation) throws SQLException {
    ps.setLong(at + 1, tableId);
    ps.setLong(at + 2, version);
    ps.setLong(at + 3, timestamp);
    Jdbc.setString(ps, at + 4, txnId.orElse(null));
    Jdbc.setString(ps, at + 5, committer.orElse(null));
    ps.setString(at + 6, commitInfo.flatMap(CommitInfo::operation).orElse(defaultOperation));
    Jdbc.setString(ps, at + 7, commitInfo.map(c -> c.values().get(OPERATION_PARAMETERS))
        .filter(p -> p.isObject())
        .map(p -> CatalogJson.map(CatalogJson.textFields(p)))
        .orElse(null));
    Jdbc.setString(ps, at + 8, commitInfo.map(c -> CatalogJson.object(c.values())).orElse(null));
    Jdbc.setInt(ps, at + 9, commitInfoSeq);
    ps.setInt(at + 10, actionCount);
    ps.setBoolean(at + 11, base);
  }

  /**
   * The actions of one version of one table, to be written, and the added files known to
   * replace an active one (empty: unknown, see {@link CommitRequest#replacedFiles}).
   */
  private record VersionActions(long tableId, long version, CommitActions actions,
      Optional<Set<FileKey>> replaced) {}

  /**
   * Writes the actions of one version of each table, each kind of row with one batch for
   * all the tables. Intervals are closed before new rows are opened, so that a re-added file
   * closes its previous row and never its new one (each table's rows are its own, so closing
   * every table's first keeps that).
   */
  private void writeActions(List<VersionActions> versions, boolean closeActive) throws SQLException {
    for (VersionActions v : versions) {
      if (v.actions().protocol().isPresent()) {
        Positioned<Protocol> p = v.actions().protocol().get();
        try (PreparedStatement ps = connection.prepareStatement(ActionRows.INSERT_PROTOCOL)) {
          ActionRows.bindProtocol(ps, v.tableId(), v.version(), p.seq(), p.action());
          ps.executeUpdate();
        }
      }
      if (v.actions().metadata().isPresent()) {
        Positioned<Metadata> m = v.actions().metadata().get();
        try (PreparedStatement ps = connection.prepareStatement(ActionRows.INSERT_METADATA)) {
          ActionRows.bindMetadata(ps, v.tableId(), v.version(), m.seq(), m.action());
          ps.executeUpdate();
        }
      }
    }
    if (closeActive) {
      closeFiles(versions);
    }
    if (versions.stream().anyMatch(v -> !v.actions().removes().isEmpty())) {
      try (Batch batch = new Batch(connection, ActionRows.INSERT_REMOVE, batchSize)) {
        for (VersionActions v : versions) {
          for (Positioned<RemoveFile> r : v.actions().removes()) {
            ActionRows.bindRemove(batch.statement(), v.tableId(), v.version(), r.seq(), r.action());
            batch.add();
          }
        }
        batch.flush();
      }
    }
    if (versions.stream().anyMatch(v -> !v.actions().adds().isEmpty())) {
      try (Batch batch = new Batch(connection, ActionRows.INSERT_FILE, batchSize)) {
        for (VersionActions v : versions) {
          for (Positioned<AddFile> a : v.actions().adds()) {
            ActionRows.bindFile(batch.statement(), v.tableId(), v.version(), a.seq(), a.action());
            batch.add();
          }
          fileRows += v.actions().adds().size();
        }
        batch.flush();
      }
    }
    for (VersionActions v : versions) {
      writeNamedActions(v.tableId(), v.version(), v.actions(), closeActive);
    }
  }

  /** App transactions, domains and CDC files: rare, one table at a time. */
  private void writeNamedActions(long tableId, long version, CommitActions actions, boolean closeActive)
      throws SQLException {
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

  /** Ends the active interval of every removed file and of every re-added file, of every table. */
  private void closeFiles(List<VersionActions> versions) throws SQLException {
    boolean removes = versions.stream().anyMatch(v -> !v.actions().removes().isEmpty());
    boolean adds = versions.stream().anyMatch(v -> !v.actions().adds().isEmpty());
    if (!removes && !adds) {
      return;
    }
    try (Batch close = new Batch(connection, CLOSE_FILE, batchSize)) {
      for (VersionActions v : versions) {
        List<Positioned<RemoveFile>> removed = v.actions().removes();
        if (pipelined && removed.size() >= ARRAY_CLOSE_MIN) {
          closeRemovedByArrays(v.tableId(), v.version(), removed);
          continue;
        }
        for (Positioned<RemoveFile> r : removed) {
          bindClose(close.statement(), v.tableId(), v.version(), r.action().fileKey());
          close.add();
        }
      }
      if (adds) {
        close.flush(); // a file removed and re-added by one commit: its probe must not find it active
        for (VersionActions v : versions) {
          if (v.replaced().isPresent()) {
            for (FileKey key : mayReplace(v.replaced(), v.actions().adds())) {
              bindClose(close.statement(), v.tableId(), v.version(), key);
              close.add();
            }
          } else {
            closeReplaced(close, v.tableId(), v.version(), v.actions().adds());
          }
        }
      }
      close.flush();
    }
  }

  /**
   * Ends the active interval of many removed files of one version on PostgreSQL: one
   * {@link #CLOSE_REPLACED} statement a slice of {@code batchSize} files instead of one UPDATE
   * a file, each of which the server parses, plans and runs (a commit removing 5,000 files took
   * 230-290 ms that way, 150-220 ms this way: docs/benchmarks.md, "A commit removing many files").
   */
  private void closeRemovedByArrays(long tableId, long version, List<Positioned<RemoveFile>> removed)
      throws SQLException {
    List<Array> arrays = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(CLOSE_REPLACED)) {
      for (int from = 0; from < removed.size(); from += batchSize) {
        List<FileKey> keys = removed.subList(from, Math.min(removed.size(), from + batchSize)).stream()
            .map(r -> r.action().fileKey()).toList();
        bindCloseByArrays(ps, 0, tableId, version, keys, arrays);
        ps.executeUpdate();
      }
    } finally {
      for (Array array : arrays) {
        array.free();
      }
    }
  }

  /**
   * Binds the four parameters of {@link #CLOSE_REPLACED} after position {@code at}: the files
   * {@code keys} of {@code tableId} end at {@code version}; their paths and deletion vector ids
   * go as two arrays, added to {@code arrays} for the caller to free.
   */
  private void bindCloseByArrays(PreparedStatement ps, int at, long tableId, long version, List<FileKey> keys,
      List<Array> arrays) throws SQLException {
    String[] paths = new String[keys.size()];
    String[] dvIds = new String[keys.size()];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = keys.get(i).path();
      dvIds[i] = keys.get(i).deletionVectorId().orElse("");
    }
    Array pathArray = connection.createArrayOf("VARCHAR", paths);
    arrays.add(pathArray);
    Array dvArray = connection.createArrayOf("VARCHAR", dvIds);
    arrays.add(dvArray);
    ps.setLong(at + 1, version);
    ps.setArray(at + 2, pathArray);
    ps.setArray(at + 3, dvArray);
    ps.setLong(at + 4, tableId);
  }

  /**
   * Ends the active interval of the files that adds replace (the same path and deletion
   * vector added again, with new statistics say). Nearly every add is a new file, so rather
   * than one update per add, the adds' paths are looked up a batch at a time, one statement
   * per batch with the paths as an array parameter (an index range each), and only the rows
   * found are closed.
   */
  private void closeReplaced(Batch close, long tableId, long version, List<Positioned<AddFile>> adds)
      throws SQLException {
    if (adds.isEmpty()) {
      return;
    }
    try (PreparedStatement probe = connection.prepareStatement(ACTIVE_BY_PATHS)) {
      for (int from = 0; from < adds.size(); from += batchSize) {
        probeSlice(probe, close, tableId, version, adds.subList(from, Math.min(adds.size(), from + batchSize)));
      }
    }
  }

  /** Probes one slice of the added paths and closes the active rows found among them. */
  private void probeSlice(PreparedStatement probe, Batch close, long tableId, long version,
      List<Positioned<AddFile>> slice) throws SQLException {
    Set<FileKey> added = new HashSet<>(slice.size() * 2);
    String[] paths = new String[slice.size()];
    for (int i = 0; i < paths.length; i++) {
      AddFile add = slice.get(i).action();
      added.add(add.fileKey());
      paths[i] = add.path();
    }
    Array array = connection.createArrayOf("VARCHAR", paths);
    try {
      probe.setArray(1, array);
      probe.setLong(2, tableId);
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
