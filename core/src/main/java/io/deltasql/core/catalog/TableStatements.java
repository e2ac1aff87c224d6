package io.deltasql.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/** The {@code delta_tables} rows: registration, lookup, and the version compare-and-set. */
final class TableStatements {
  private static final String COLUMNS = "table_id, schema_name, table_name, location, current_version, "
      + "oldest_version, protocol_version, metadata_version, properties, diverged, diverged_reason";
  static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM delta_tables WHERE table_id = ?";
  static final String SELECT_BY_NAME =
      "SELECT " + COLUMNS + " FROM delta_tables WHERE schema_name = ? AND table_name = ?";
  static final String SELECT_BY_LOCATION = "SELECT " + COLUMNS + " FROM delta_tables WHERE location = ?";
  static final String SELECT_BY_SCHEMA =
      "SELECT " + COLUMNS + " FROM delta_tables WHERE schema_name = ? ORDER BY schema_name, table_name";
  static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM delta_tables ORDER BY schema_name, table_name";
  static final String INSERT = "INSERT INTO delta_tables (schema_name, table_name, location, current_version, "
      + "oldest_version, properties, created_at) VALUES (?, ?, ?, -1, 0, ?, ?)";
  static final String DELETE = "DELETE FROM delta_tables WHERE table_id = ?";
  /** The compare-and-set of a commit: 0 rows updated means another writer won the version. */
  static final String ADVANCE = "UPDATE delta_tables SET current_version = ?, "
      + "protocol_version = COALESCE(?, protocol_version), metadata_version = COALESCE(?, metadata_version) "
      + "WHERE table_id = ? AND current_version = ?";
  /** A table's count of versions not yet mirrored (pending or failed), in a statement on {@code delta_tables}. */
  static final String UNMIRRORED = "(SELECT COUNT(*) FROM delta_mirror_status m "
      + "WHERE m.state IN ('PENDING', 'FAILED') AND m.table_id = delta_tables.table_id)";
  /**
   * {@link #ADVANCE} of a commit that read no row first ({@link CommitWriter}, held tables):
   * it also checks what the read would have, that the table is not diverged and has at most
   * {@code max} unmirrored versions, where the sixth parameter is {@code readVersion - max}
   * ({@link #backlogProbe}). 0 rows: not as the committer held it.
   *
   * <p>The mirror writes a table's versions in order, so its unmirrored versions are the ones
   * after the last it wrote: at most {@code max} of them exactly when version {@code
   * readVersion - max} is written (or has no status row: before the table's base, or below 0).
   * That is one primary-key probe, where {@link #UNMIRRORED}'s count walked the state index:
   * on PostgreSQL every version's entry under {@code PENDING} stays there, dead, after the
   * mirror marks it {@code DONE}, until vacuum, and the count visited them on every commit
   * (measured: 163 µs of the compare-and-set's 175, docs/benchmarks.md, session 10). When the
   * probe refuses, the usual attempt reads the exact count and decides.
   */
  static final String ADVANCE_HELD = ADVANCE + " AND diverged = FALSE AND NOT EXISTS (SELECT 1 FROM "
      + "delta_mirror_status m WHERE m.table_id = delta_tables.table_id AND m.version = ? AND m.state <> 'DONE')";

  /** The version {@link #ADVANCE_HELD} probes: unmirrored, it is the {@code max + 1}-th newest that is. */
  static long backlogProbe(long readVersion, long maxUnmirrored) {
    return readVersion - maxUnmirrored;
  }
  static final String ADVANCE_TO_BASE = "UPDATE delta_tables SET current_version = ?, oldest_version = ?, "
      + "protocol_version = ?, metadata_version = ? WHERE table_id = ? AND current_version = -1";
  static final String SET_DIVERGED = "UPDATE delta_tables SET diverged = ?, diverged_reason = ? WHERE table_id = ?";
  static final String SELECT_VERSIONS_PREFIX = "SELECT table_id, current_version FROM delta_tables WHERE table_id IN (";
  /** Rows of a commit's tables with its version holding a transaction id and their current timestamp (see {@link #forCommit}). */
  static final String SELECT_FOR_COMMIT_PREFIX = "SELECT t.table_id, t.schema_name, t.table_name, t.location, "
      + "t.current_version, t.oldest_version, t.protocol_version, t.metadata_version, t.properties, t.diverged, "
      + "t.diverged_reason, r.version AS recorded_version, r.commit_timestamp AS recorded_timestamp, "
      + "c.commit_timestamp AS current_commit_timestamp FROM delta_tables t "
      + "LEFT JOIN delta_versions r ON r.table_id = t.table_id AND r.txn_id = ? "
      + "LEFT JOIN delta_versions c ON c.table_id = t.table_id AND c.version = t.current_version "
      + "WHERE t.table_id IN (";
  /** The text of each shape of {@link #states} statement, built once. */
  private static final SqlShapes<StatesShape> STATES = new SqlShapes<>();
  /** Rows (see {@link #states}) with their unmirrored versions counted; the WHERE clause follows. */
  static final String SELECT_STATES_PREFIX = "SELECT " + COLUMNS + ", " + UNMIRRORED + " AS unmirrored "
      + "FROM delta_tables WHERE ";

  /** {@link #SELECT_STATES_PREFIX} with what {@link #forCommit} checks (two parameters: the transaction id). */
  static final String SELECT_STATES_FOR_COMMIT_PREFIX = "SELECT " + COLUMNS + ", " + UNMIRRORED
      + " AS unmirrored, (SELECT r.version FROM delta_versions r WHERE r.table_id = delta_tables.table_id "
      + "AND r.txn_id = ?) AS recorded_version, (SELECT r.commit_timestamp FROM delta_versions r "
      + "WHERE r.table_id = delta_tables.table_id AND r.txn_id = ?) AS recorded_timestamp, "
      + "(SELECT c.commit_timestamp FROM delta_versions c WHERE c.table_id = delta_tables.table_id "
      + "AND c.version = delta_tables.current_version) AS current_commit_timestamp FROM delta_tables WHERE ";

  /**
   * What a commit checks of a table, read with its row: the version already holding the
   * commit's transaction id, if any, and the timestamp of the current version.
   */
  record Found(TableInfo info, Optional<CommitResult> recorded, Optional<Long> currentTimestamp) {}

  /** One compare-and-set: {@link #advance}'s arguments. */
  record Advance(long tableId, long readVersion, long version, Long protocolVersion, Long metadataVersion) {}

  /** A {@code delta_tables} row: the public view plus the latest protocol and metadata refs. */
  record TableRow(TableInfo info, long protocolVersion, long metadataVersion) {}

  private final Connection connection;
  private final Clock clock;
  /** What the last {@link #states} with a transaction id read for {@link #forCommit}, by table id. */
  private final Map<Long, Found> prefetched = new HashMap<>();
  private Optional<String> prefetchedTxn = Optional.empty();
  /** The tables this transaction has read, so that errors can name them. */
  private final Map<Long, TableInfo> names = new HashMap<>();

  TableStatements(Connection connection, Clock clock) {
    this.connection = connection;
    this.clock = clock;
  }

  /** "schema.table (id n)" if this transaction has read the table, else "table id n". */
  String describe(long tableId) {
    TableInfo table = names.get(tableId);
    return table == null ? "table id " + tableId : "table " + table.qualifiedName() + " (id " + tableId + ")";
  }

  Optional<TableRow> byId(long tableId) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_BY_ID)) {
      ps.setLong(1, tableId);
      return single(ps);
    }
  }

  Optional<TableRow> byName(String schema, String name) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_BY_NAME)) {
      ps.setString(1, schema);
      ps.setString(2, name);
      return single(ps);
    }
  }

  Optional<TableRow> byLocation(String location) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_BY_LOCATION)) {
      ps.setString(1, location);
      return single(ps);
    }
  }

  List<TableInfo> list(Optional<String> schema) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(schema.isPresent() ? SELECT_BY_SCHEMA : SELECT_ALL)) {
      if (schema.isPresent()) {
        ps.setString(1, schema.get());
      }
      List<TableInfo> result = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(read(rs).info());
        }
      }
      return result;
    }
  }

  /** Inserts the row of a new table (no version yet) and returns it. */
  TableRow insert(String schema, String name, String location, Map<String, String> properties)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
      ps.setString(1, schema);
      ps.setString(2, name);
      ps.setString(3, location);
      ps.setString(4, CatalogJson.map(properties));
      ps.setLong(5, clock.millis());
      ps.executeUpdate();
    }
    return byName(schema, name).orElseThrow(() -> CatalogErrors.missingRow("the row of table " + schema + "." + name
        + ", just inserted,"));
  }

  boolean delete(long tableId) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(DELETE)) {
      ps.setLong(1, tableId);
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * Moves the table from {@code readVersion} to {@code version}, recording which version
   * now holds the latest protocol and metadata (null: unchanged). Holds the table's row
   * lock until the catalog transaction ends. False when the table is no longer at
   * {@code readVersion} (or, with {@code maxUnmirrored}, as {@link #ADVANCE_HELD} checks).
   */
  private boolean advance(Advance a, OptionalLong maxUnmirrored) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(maxUnmirrored.isPresent() ? ADVANCE_HELD : ADVANCE)) {
      bindAdvance(ps, a, maxUnmirrored);
      return ps.executeUpdate() == 1;
    }
  }

  private static void bindAdvance(PreparedStatement ps, Advance a, OptionalLong maxUnmirrored) throws SQLException {
    bindAdvance(ps, 0, a.tableId(), a.readVersion(), a.version(), a.protocolVersion(), a.metadataVersion());
    if (maxUnmirrored.isPresent()) {
      ps.setLong(6, backlogProbe(a.readVersion(), maxUnmirrored.getAsLong()));
    }
  }

  /** Binds {@link #ADVANCE} at parameters {@code base + 1} to {@code base + 5} (a pipelined commit). */
  static void bindAdvance(PreparedStatement ps, int base, long tableId, long readVersion, long version,
      Long protocolVersion, Long metadataVersion) throws SQLException {
    ps.setLong(base + 1, version);
    Jdbc.setLong(ps, base + 2, Optional.ofNullable(protocolVersion));
    Jdbc.setLong(ps, base + 3, Optional.ofNullable(metadataVersion));
    ps.setLong(base + 4, tableId);
    ps.setLong(base + 5, readVersion);
  }

  /**
   * The compare-and-sets of several tables, in list order (one batch when there are several);
   * with {@code maxUnmirrored}, those of a commit that read no row first ({@link #ADVANCE_HELD}).
   *
   * @return the index of the first table no longer at its read version, or -1 if all moved
   */
  int advanceAll(List<Advance> advances, OptionalLong maxUnmirrored) throws SQLException {
    if (advances.size() == 1) {
      return advance(advances.get(0), maxUnmirrored) ? -1 : 0;
    }
    try (PreparedStatement ps = connection.prepareStatement(maxUnmirrored.isPresent() ? ADVANCE_HELD : ADVANCE)) {
      for (Advance a : advances) {
        bindAdvance(ps, a, maxUnmirrored);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] != 1) {
          return i;
        }
      }
      return counts.length == advances.size() ? -1 : counts.length;
    }
  }

  /**
   * For each request's table: its row, the version of it holding the request's transaction
   * id, and the timestamp of its current version, read by one statement per transaction id
   * (one for a writer's commit). Tables not found are absent.
   */
  Map<Long, Found> forCommit(List<CommitRequest> requests) throws SQLException {
    Map<Long, Found> kept = new HashMap<>();
    Map<Long, Found> read = Map.copyOf(prefetched);
    prefetched.clear(); // one commit's: a later commit in this transaction reads again
    for (CommitRequest request : requests) {
      Found row = read.get(request.tableId());
      // Kept rows serve only the transaction id they were read for, at the version the
      // request read (a locking read may have found a later one): else they are read again.
      if (row == null || prefetchedTxn.filter(request.txnId()::equals).isEmpty()
          || row.info().currentVersion() != request.readVersion()) {
        kept = null;
        break;
      }
      kept.put(request.tableId(), row);
    }
    if (kept != null) {
      return kept;
    }
    Map<String, List<Long>> idsByTxn = new LinkedHashMap<>();
    for (CommitRequest request : requests) {
      idsByTxn.computeIfAbsent(request.txnId(), t -> new ArrayList<>()).add(request.tableId());
    }
    Map<Long, Found> result = new HashMap<>();
    for (Map.Entry<String, List<Long>> e : idsByTxn.entrySet()) {
      String txnId = e.getKey();
      String sql = SELECT_FOR_COMMIT_PREFIX + String.join(", ", Collections.nCopies(e.getValue().size(), "?")) + ")";
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        ps.setString(1, txnId);
        int i = 2;
        for (long id : e.getValue()) {
          ps.setLong(i++, id);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            TableInfo info = read(rs).info();
            // A transaction id is recorded at most once per table; should several rows come, the first stands.
            result.putIfAbsent(info.tableId(), found(rs, info, txnId));
          }
        }
      }
    }
    return result;
  }

  private static Found found(ResultSet rs, TableInfo info, String txnId) throws SQLException {
    Optional<Long> recordedVersion = Jdbc.getLong(rs, "recorded_version");
    Optional<CommitResult> recorded = recordedVersion.isPresent()
        ? Optional.of(new CommitResult(info.tableId(), recordedVersion.get(), rs.getLong("recorded_timestamp"),
            txnId, true))
        : Optional.empty();
    return new Found(info, recorded, Jdbc.getLong(rs, "current_commit_timestamp"));
  }

  /** Moves a table without versions to an imported base version. */
  boolean advanceToBase(long tableId, long baseVersion) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(ADVANCE_TO_BASE)) {
      ps.setLong(1, baseVersion);
      ps.setLong(2, baseVersion);
      ps.setLong(3, baseVersion);
      ps.setLong(4, baseVersion);
      ps.setLong(5, tableId);
      return ps.executeUpdate() == 1;
    }
  }

  boolean setDivergence(long tableId, Optional<String> reason) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SET_DIVERGED)) {
      ps.setBoolean(1, reason.isPresent());
      Jdbc.setString(ps, 2, reason.orElse(null));
      ps.setLong(3, tableId);
      return ps.executeUpdate() == 1;
    }
  }

  /** The current versions of several tables, read by one statement (one consistent read). */
  Map<Long, Long> currentVersions(Collection<Long> tableIds) throws SQLException {
    return versions(tableIds, "");
  }

  /**
   * Locks the rows of several tables, in table id order, with {@code lockClause} (see
   * {@link CatalogDialect#rowLockClause}) and returns their current versions. Both
   * databases return, for a row that another transaction changed while this one waited
   * for its lock, the version that transaction committed: the result is the latest
   * committed state of every row, and no other transaction can change it until this one
   * ends.
   */
  Map<Long, Long> lockVersions(Collection<Long> tableIds, String lockClause) throws SQLException {
    return versions(new TreeSet<>(tableIds), " ORDER BY table_id " + lockClause);
  }

  /**
   * The rows of the tables with these ids and of those with these {@code {schema, table}}
   * names, each with its count of unmirrored versions, read by one statement (one consistent
   * read where the database gives statement-level snapshots). Tables not found are absent.
   */
  List<TableState> states(Collection<Long> tableIds, Collection<TableName> names) throws SQLException {
    return states(tableIds, names, Optional.empty());
  }

  /**
   * {@link #states}; with a commit's transaction id, the same statement also reads what the
   * commit checks of each table ({@link #forCommit}: the version holding the id, the current
   * version's timestamp), kept for this transaction's {@link #forCommit}, which then needs no
   * statement of its own.
   */
  List<TableState> states(Collection<Long> tableIds, Collection<TableName> names, Optional<String> txnId)
      throws SQLException {
    List<TableState> result = new ArrayList<>();
    if (tableIds.isEmpty() && names.isEmpty()) {
      return result;
    }
    String sql = STATES.get(new StatesShape(tableIds.size(), names.size(), txnId.isPresent()),
        TableStatements::statesSql);
    prefetched.clear();
    prefetchedTxn = txnId;
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int i = 1;
      if (txnId.isPresent()) {
        ps.setString(i++, txnId.get());
        ps.setString(i++, txnId.get());
      }
      for (long id : tableIds) {
        ps.setLong(i++, id);
      }
      for (TableName name : names) {
        ps.setString(i++, name.schemaName());
        ps.setString(i++, name.tableName());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TableInfo info = read(rs).info();
          result.add(new TableState(info, rs.getLong("unmirrored")));
          if (txnId.isPresent()) {
            prefetched.putIfAbsent(info.tableId(), found(rs, info, txnId.get()));
          }
        }
      }
    }
    return result;
  }

  /** The parameters of a {@link #states} statement: tables by id, tables by name, with a transaction id or not. */
  private record StatesShape(int ids, int names, boolean forCommit) {}

  private static String statesSql(StatesShape shape) {
    List<String> conditions = new ArrayList<>();
    if (shape.ids() > 0) {
      conditions.add("table_id IN (" + String.join(", ", Collections.nCopies(shape.ids(), "?")) + ")");
    }
    conditions.addAll(Collections.nCopies(shape.names(), "(schema_name = ? AND table_name = ?)"));
    String prefix = shape.forCommit() ? SELECT_STATES_FOR_COMMIT_PREFIX : SELECT_STATES_PREFIX;
    return prefix + String.join(" OR ", conditions);
  }

  private Map<Long, Long> versions(Collection<Long> tableIds, String suffix) throws SQLException {
    Map<Long, Long> result = new LinkedHashMap<>();
    if (tableIds.isEmpty()) {
      return result;
    }
    String sql = SELECT_VERSIONS_PREFIX + String.join(", ", Collections.nCopies(tableIds.size(), "?")) + ")"
        + suffix;
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int i = 1;
      for (long id : tableIds) {
        ps.setLong(i++, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.put(rs.getLong(1), rs.getLong(2));
        }
      }
    }
    return result;
  }

  private Optional<TableRow> single(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(read(rs)) : Optional.empty();
    }
  }

  private TableRow read(ResultSet rs) throws SQLException {
    String schema = rs.getString("schema_name");
    String name = rs.getString("table_name");
    String properties = rs.getString("properties");
    TableInfo info = new TableInfo(rs.getLong("table_id"), schema, name, rs.getString("location"),
        rs.getLong("current_version"), rs.getLong("oldest_version"),
        "{}".equals(properties) ? Map.of()
            : CatalogJson.readMap(properties, "properties of table " + schema + "." + name),
        rs.getBoolean("diverged")
            ? Optional.of(Optional.ofNullable(rs.getString("diverged_reason")).orElse("reason not recorded"))
            : Optional.empty());
    names.put(info.tableId(), info);
    return new TableRow(info, Jdbc.getLong(rs, "protocol_version").orElse(-1L),
        Jdbc.getLong(rs, "metadata_version").orElse(-1L));
  }
}
