package io.deltasql.core.catalog;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.catalog.CommitActions.Positioned;
import io.deltasql.core.catalog.TableStatements.TableRow;
import io.deltasql.core.table.FileMap;
import io.deltasql.core.table.Snapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads table state at a version without replay: every query names the version it reads,
 * so a snapshot is consistent whatever commits run concurrently (rows of later versions
 * are excluded by their intervals, not by the database's isolation).
 */
final class SnapshotReader {
  private static final String VERSION_COLUMNS = "version, commit_timestamp, txn_id, committer, operation, "
      + "operation_parameters, commit_info, commit_info_seq, action_count, is_base";
  static final String SELECT_VERSION =
      "SELECT " + VERSION_COLUMNS + " FROM delta_versions WHERE table_id = ? AND version = ?";
  /** History between two timestamps, newest first (timestamps increase with versions). */
  static final String SELECT_HISTORY = "SELECT " + VERSION_COLUMNS + " FROM delta_versions "
      + "WHERE table_id = ? AND commit_timestamp >= ? AND commit_timestamp <= ? "
      + "ORDER BY table_id DESC, commit_timestamp DESC";
  /** The version in force at a timestamp: the last one committed at or before it. */
  static final String SELECT_VERSION_AT_TIME = "SELECT version, commit_timestamp FROM delta_versions "
      + "WHERE table_id = ? AND commit_timestamp <= ? "
      + "ORDER BY table_id DESC, commit_timestamp DESC FETCH FIRST 1 ROWS ONLY";

  static final String SELECT_PROTOCOL_AT = "SELECT " + ActionRows.PROTOCOL_COLUMNS + " FROM delta_protocols "
      + "WHERE table_id = ? AND version <= ? ORDER BY table_id DESC, version DESC FETCH FIRST 1 ROWS ONLY";
  static final String SELECT_METADATA_AT = "SELECT " + ActionRows.METADATA_COLUMNS + " FROM delta_metadata "
      + "WHERE table_id = ? AND version <= ? ORDER BY table_id DESC, version DESC FETCH FIRST 1 ROWS ONLY";
  static final String SELECT_PROTOCOL_OF =
      "SELECT " + ActionRows.PROTOCOL_COLUMNS + " FROM delta_protocols WHERE table_id = ? AND version = ?";
  static final String SELECT_METADATA_OF =
      "SELECT " + ActionRows.METADATA_COLUMNS + " FROM delta_metadata WHERE table_id = ? AND version = ?";

  /**
   * Files in force at version v: still active and added by v, or removed after v. Two
   * index ranges instead of one OR, which neither database turns into index ranges.
   */
  static final String SELECT_FILES_AT = filesAt(ActionRows.FILE_COLUMNS);
  /** {@link #SELECT_FILES_AT} with the columns a snapshot holds ({@link ActionRows#ACTIVE_FILE_COLUMNS}). */
  static final String SELECT_ACTIVE_FILES_AT = filesAt(ActionRows.ACTIVE_FILE_COLUMNS);
  /** The files of one partition in force at version v. */
  static final String SELECT_PARTITION_FILES_AT =
      "SELECT " + ActionRows.FILE_COLUMNS + " FROM delta_files "
          + "WHERE table_id = ? AND partition_values = ? AND remove_version IS NULL AND add_version <= ? "
          + "UNION ALL "
          + "SELECT " + ActionRows.FILE_COLUMNS + " FROM delta_files "
          + "WHERE table_id = ? AND partition_values = ? AND remove_version > ? AND add_version <= ?";
  static final String SELECT_TXNS_AT =
      "SELECT " + ActionRows.TXN_COLUMNS + " FROM delta_app_txns "
          + "WHERE table_id = ? AND to_version IS NULL AND from_version <= ? "
          + "UNION ALL "
          + "SELECT " + ActionRows.TXN_COLUMNS + " FROM delta_app_txns "
          + "WHERE table_id = ? AND to_version > ? AND from_version <= ?";
  static final String SELECT_DOMAINS_AT =
      "SELECT " + ActionRows.DOMAIN_COLUMNS + " FROM delta_domains "
          + "WHERE table_id = ? AND to_version IS NULL AND from_version <= ? AND removed = FALSE "
          + "UNION ALL "
          + "SELECT " + ActionRows.DOMAIN_COLUMNS + " FROM delta_domains "
          + "WHERE table_id = ? AND to_version > ? AND from_version <= ? AND removed = FALSE";

  static final String SELECT_ADDS_OF =
      "SELECT " + ActionRows.FILE_COLUMNS + " FROM delta_files WHERE table_id = ? AND add_version = ?";
  static final String SELECT_REMOVES_OF =
      "SELECT " + ActionRows.REMOVE_COLUMNS + " FROM delta_removes WHERE table_id = ? AND version = ?";
  static final String SELECT_TXNS_OF =
      "SELECT " + ActionRows.TXN_COLUMNS + " FROM delta_app_txns WHERE table_id = ? AND from_version = ?";
  static final String SELECT_DOMAINS_OF =
      "SELECT " + ActionRows.DOMAIN_COLUMNS + " FROM delta_domains WHERE table_id = ? AND from_version = ?";
  static final String SELECT_CDC_OF =
      "SELECT " + ActionRows.CDC_COLUMNS + " FROM delta_cdc_files WHERE table_id = ? AND version = ?";

  /** The files that left the table after an image's version, up to a later one (their keys). */
  static final String SELECT_REMOVED_SINCE = "SELECT path, dv_id FROM delta_files "
      + "WHERE table_id = ? AND remove_version > ? AND remove_version <= ? AND add_version <= ?";
  /** The files added after an image's version, up to a later one, and still in force at it. */
  static final String SELECT_ADDED_SINCE = "SELECT " + ActionRows.ACTIVE_FILE_COLUMNS + " FROM delta_files "
      + "WHERE table_id = ? AND add_version > ? AND add_version <= ? "
      + "AND (remove_version IS NULL OR remove_version > ?)";

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotReader.class);
  private static final int FETCH_SIZE = 1000;

  private final Connection connection;
  private final FileImages images;
  /** Files this reader materialised from many rows, for {@link FileImageWriter} once the transaction commits. */
  private final List<FileImageWriter.Candidate> imageCandidates = new ArrayList<>();

  SnapshotReader(Connection connection, CatalogDialect dialect, FileImages.Later later) {
    this.connection = connection;
    this.images = new FileImages(connection, dialect, later);
  }

  /** The images worth writing after this reader's transaction commits. */
  List<FileImageWriter.Candidate> imageCandidates() {
    return imageCandidates;
  }

  /** The snapshot at {@code version}, which must be between the table's oldest and current. */
  Snapshot snapshotAt(TableRow row, long version) throws SQLException {
    long tableId = row.info().tableId();
    VersionRecord record = version(tableId, version)
        .orElseThrow(() -> CatalogErrors.missingRow("the version row of version " + version + " of "
            + row.info().qualifiedName()));
    Protocol protocol = version == row.info().currentVersion()
        ? protocolOf(tableId, row.protocolVersion()) : protocolAt(tableId, version);
    Metadata metadata = version == row.info().currentVersion()
        ? metadataOf(tableId, row.metadataVersion()) : metadataAt(tableId, version);
    FileMap files = activeFilesAt(tableId, row.info().qualifiedName(), version);
    Map<String, SetTransaction> txns = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(SELECT_TXNS_AT)) {
      bindAt(ps, tableId, version);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          SetTransaction txn = ActionRows.readTxn(rs);
          txns.put(txn.appId(), txn);
        }
      }
    }
    Map<String, DomainMetadata> domains = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(SELECT_DOMAINS_AT)) {
      bindAt(ps, tableId, version);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          DomainMetadata domain = ActionRows.readDomain(rs);
          domains.put(domain.domain(), domain);
        }
      }
    }
    return new Snapshot(version, record.timestamp(), protocol, metadata, files, txns, domains);
  }

  /**
   * Every file in force at {@code version}, as a snapshot holds them (dataChange=false): the
   * newest file image at or below the version plus the rows that changed after it, or every
   * active row when there is no usable image. A read that took many rows leaves a candidate
   * for a new image.
   */
  private FileMap activeFilesAt(long tableId, String table, long version) throws SQLException {
    OptionalLong unusable = OptionalLong.empty();
    Optional<FileImages.Image> image;
    try {
      image = images.newestAtOrBelow(tableId, table, version);
    } catch (FileImageCodec.CorruptImageException e) {
      LOG.warn("catalog file image unusable, reading the rows instead tableId={} version={} image={} reason={}",
          tableId, version, e.imageVersion(), e.getMessage());
      image = Optional.empty();
      unusable = OptionalLong.of(e.imageVersion());
    }
    FileMap result;
    long rowsRead;
    if (image.isPresent() && image.get().version() == version) {
      result = FileMap.ofDistinct(image.get().files());
      rowsRead = 0;
    } else if (image.isPresent()) {
      Changes changes = changesAfter(tableId, image.get().version(), version);
      result = FileMap.ofDistinct(changes.applyTo(image.get().files()));
      rowsRead = changes.rows();
    } else {
      FileMap.Builder files = FileMap.builder();
      rowsRead = readRows(SELECT_ACTIVE_FILES_AT, ps -> bindAt(ps, tableId, version), files::put);
      result = files.build();
    }
    if (unusable.isPresent() || FileImageWriter.worthWriting(result.size(), rowsRead)) {
      imageCandidates.add(new FileImageWriter.Candidate(tableId, version, result, unusable));
    }
    return result;
  }

  /**
   * The rows that changed between an image at {@code from} and {@code to}: the keys of the
   * files whose interval ended in between, and the files added in between and still in force
   * (a file removed and added again in between is two rows: the old one ends, the new one is added).
   */
  private Changes changesAfter(long tableId, long from, long to) throws SQLException {
    Set<FileKey> ended = new HashSet<>();
    try (PreparedStatement ps = connection.prepareStatement(SELECT_REMOVED_SINCE)) {
      ps.setFetchSize(FETCH_SIZE);
      ps.setLong(1, tableId);
      ps.setLong(2, from);
      ps.setLong(3, to);
      ps.setLong(4, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ended.add(fileKey(rs.getString(1), rs.getString(2)));
        }
      }
    }
    List<AddFile> added = new ArrayList<>();
    readRows(SELECT_ADDED_SINCE, ps -> {
      ps.setLong(1, tableId);
      ps.setLong(2, from);
      ps.setLong(3, to);
      ps.setLong(4, to);
    }, added::add);
    return new Changes(ended, added, ended.size() + added.size());
  }

  /** The changes after an image: keys that left, files that came, and how many rows that took. */
  private record Changes(Set<FileKey> ended, List<AddFile> added, long rows) {
    /**
     * The image's files without those that ended or whose key an added file takes, then the
     * added ones: distinct keys, as the image's and the added files' are.
     */
    List<AddFile> applyTo(List<AddFile> imageFiles) {
      Set<String> paths = new HashSet<>();
      Set<FileKey> gone = new HashSet<>(ended);
      for (FileKey key : ended) {
        paths.add(key.path());
      }
      for (AddFile file : added) {
        paths.add(file.path());
        gone.add(file.fileKey());
      }
      List<AddFile> files = new ArrayList<>(imageFiles.size() + added.size());
      for (AddFile file : imageFiles) {
        // the path first: most files of the image did not change, and this makes no key
        if (!paths.contains(file.path()) || !gone.contains(file.fileKey())) {
          files.add(file);
        }
      }
      files.addAll(added);
      return files;
    }
  }

  /** Reads the files of a query on {@link ActionRows#ACTIVE_FILE_COLUMNS}; returns how many rows it read. */
  private long readRows(String sql, Binder binder, Consumer<AddFile> into) throws SQLException {
    long rows = 0;
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setFetchSize(FETCH_SIZE);
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.accept(ActionRows.readActiveFile(rs));
          rows++;
        }
      }
    }
    return rows;
  }

  /** Binds a statement's parameters. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** The files in force at {@code version}, all of them or those of one partition. */
  List<AddFile> filesAt(long tableId, long version, Optional<Map<String, String>> partition) throws SQLException {
    List<AddFile> files = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(
        partition.isPresent() ? SELECT_PARTITION_FILES_AT : SELECT_FILES_AT)) {
      ps.setFetchSize(FETCH_SIZE);
      if (partition.isPresent()) {
        String key = CatalogJson.canonicalMap(partition.get());
        ps.setLong(1, tableId);
        ps.setString(2, key);
        ps.setLong(3, version);
        ps.setLong(4, tableId);
        ps.setString(5, key);
        ps.setLong(6, version);
        ps.setLong(7, version);
      } else {
        bindAt(ps, tableId, version);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          files.add(ActionRows.readFile(rs));
        }
      }
    }
    return files;
  }

  Metadata metadataAt(long tableId, long version) throws SQLException {
    return one(SELECT_METADATA_AT, tableId, version, ActionRows::readMetadata, "metadata", version);
  }

  Optional<VersionRecord> version(long tableId, long version) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_VERSION)) {
      ps.setLong(1, tableId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(readVersion(tableId, rs)) : Optional.empty();
      }
    }
  }

  /** A version and its commit timestamp. */
  record VersionTime(long version, long timestamp) {}

  /** The last version committed at or before {@code at}, if any. */
  Optional<VersionTime> versionAtOrBefore(long tableId, Instant at) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_VERSION_AT_TIME)) {
      ps.setLong(1, tableId);
      ps.setLong(2, at.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new VersionTime(rs.getLong(1), rs.getLong(2))) : Optional.empty();
      }
    }
  }

  List<VersionRecord> history(long tableId, Instant from, Instant to) throws SQLException {
    List<VersionRecord> result = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(SELECT_HISTORY)) {
      ps.setLong(1, tableId);
      ps.setLong(2, from.toEpochMilli());
      ps.setLong(3, to.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(readVersion(tableId, rs));
        }
      }
    }
    return result;
  }

  /**
   * The actions of one (non-base) version in commit order, as its commit listed them. The
   * version row holds the commit's action count: the tables of each action kind are read, the
   * common ones first, only until that many actions are found (an append: the version row and
   * its adds, not one query per action kind).
   */
  List<Action> versionActions(TableInfo table, long version) throws SQLException {
    long tableId = table.tableId();
    List<Positioned<? extends Action>> actions = new ArrayList<>();
    int expected;
    try (PreparedStatement ps = connection.prepareStatement(SELECT_VERSION)) {
      ps.setLong(1, tableId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw CatalogErrors.missingRow("the version row of version " + version + " of " + table.qualifiedName());
        }
        Optional<Integer> commitInfoSeq = Jdbc.getInt(rs, "commit_info_seq");
        VersionRecord record = readVersion(tableId, rs);
        if (record.base()) {
          throw CatalogErrors.baseHasNoActions(table, version);
        }
        expected = record.actionCount();
        if (record.commitInfo().isPresent()) {
          actions.add(new Positioned<>(commitInfoSeq.orElse(-1), record.commitInfo().get()));
        }
      }
    }
    for (ActionTable kind : VERSION_ACTION_TABLES) {
      if (actions.size() >= expected) {
        break;
      }
      collect(kind.sql(), tableId, version, kind.seqColumn(), kind.reader(), actions);
    }
    actions.sort(Comparator.comparingInt(Positioned::seq));
    List<Action> result = new ArrayList<>(actions.size());
    for (Positioned<? extends Action> p : actions) {
      result.add(p.action());
    }
    return result;
  }

  Protocol protocolAt(long tableId, long version) throws SQLException {
    return one(SELECT_PROTOCOL_AT, tableId, version, ActionRows::readProtocol, "protocol", version);
  }

  private Protocol protocolOf(long tableId, long version) throws SQLException {
    return one(SELECT_PROTOCOL_OF, tableId, version, ActionRows::readProtocol, "protocol", version);
  }

  private Metadata metadataOf(long tableId, long version) throws SQLException {
    return one(SELECT_METADATA_OF, tableId, version, ActionRows::readMetadata, "metadata", version);
  }

  private <T> T one(String sql, long tableId, long version, RowReader<T> reader, String what, long at)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setLong(1, tableId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw CatalogErrors.missingRow("the " + what + " of table id " + tableId + " at version " + at);
        }
        return reader.read(rs);
      }
    }
  }

  private <T extends Action> void collect(String sql, long tableId, long version, String seqColumn,
      RowReader<T> reader, List<Positioned<? extends Action>> into) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setFetchSize(FETCH_SIZE);
      ps.setLong(1, tableId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.add(new Positioned<>(rs.getInt(seqColumn), reader.read(rs)));
        }
      }
    }
  }

  /**
   * {@code columns} of the files in force at a version, bound by {@link #bindAt}: still
   * active and added by it, or removed after it.
   */
  static String filesAt(String columns) {
    return "SELECT " + columns + " FROM delta_files "
        + "WHERE table_id = ? AND remove_version IS NULL AND add_version <= ? "
        + "UNION ALL "
        + "SELECT " + columns + " FROM delta_files "
        + "WHERE table_id = ? AND remove_version > ? AND add_version <= ?";
  }

  /** The key of a file row: its path and {@code dv_id} ({@code ''} without a deletion vector). */
  static FileKey fileKey(String path, String dvId) {
    return new FileKey(path, dvId.isEmpty() ? Optional.empty() : Optional.of(dvId));
  }

  /** Binds the table and version of a query on the files (or actions) in force at a version. */
  static void bindAt(PreparedStatement ps, long tableId, long version) throws SQLException {
    ps.setLong(1, tableId);
    ps.setLong(2, version);
    ps.setLong(3, tableId);
    ps.setLong(4, version);
    ps.setLong(5, version);
  }

  private static VersionRecord readVersion(long tableId, ResultSet rs) throws SQLException {
    long version = rs.getLong("version");
    String commitInfo = rs.getString("commit_info");
    return new VersionRecord(tableId, version, rs.getLong("commit_timestamp"), Jdbc.getString(rs, "txn_id"),
        Jdbc.getString(rs, "committer"), rs.getString("operation"),
        CatalogJson.readMap(rs.getString("operation_parameters"), "operation parameters of version " + version),
        commitInfo == null ? Optional.empty()
            : Optional.of(new CommitInfo(CatalogJson.readObject(commitInfo, "commitInfo of version " + version))),
        rs.getInt("action_count"), rs.getBoolean("is_base"));
  }

  /** Reads one row into a value. */
  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** A table of one action kind: the query of a version's rows, its position column, its row reader. */
  private record ActionTable(String sql, String seqColumn, RowReader<? extends Action> reader) {}

  /** The action tables in the order {@link #versionActions} reads them: the common kinds first. */
  private static final List<ActionTable> VERSION_ACTION_TABLES = List.of(
      new ActionTable(SELECT_ADDS_OF, "add_seq", ActionRows::readFile),
      new ActionTable(SELECT_REMOVES_OF, "seq", ActionRows::readRemove),
      new ActionTable(SELECT_TXNS_OF, "seq", ActionRows::readTxn),
      new ActionTable(SELECT_METADATA_OF, "seq", ActionRows::readMetadata),
      new ActionTable(SELECT_PROTOCOL_OF, "seq", ActionRows::readProtocol),
      new ActionTable(SELECT_DOMAINS_OF, "seq", ActionRows::readDomain),
      new ActionTable(SELECT_CDC_OF, "seq", ActionRows::readCdc));
}
