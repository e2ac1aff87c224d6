package io.deltasql.core.catalog;

import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * The row form of each action kind: the columns of its catalog table, how an action is
 * bound to an insert, and how a row is read back into the same action.
 */
final class ActionRows {
  private ActionRows() {}

  // ---- protocol -------------------------------------------------------------------------

  static final String PROTOCOL_COLUMNS =
      "version, seq, min_reader_version, min_writer_version, reader_features, writer_features";
  static final String INSERT_PROTOCOL =
      "INSERT INTO delta_protocols (table_id, " + PROTOCOL_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";

  static void bindProtocol(PreparedStatement ps, long tableId, long version, int seq, Protocol p)
      throws SQLException {
    ps.setLong(1, tableId);
    ps.setLong(2, version);
    ps.setInt(3, seq);
    ps.setInt(4, p.minReaderVersion());
    ps.setInt(5, p.minWriterVersion());
    Jdbc.setString(ps, 6, CatalogJson.setOrNull(p.readerFeatures()));
    Jdbc.setString(ps, 7, CatalogJson.setOrNull(p.writerFeatures()));
  }

  static Protocol readProtocol(ResultSet rs) throws SQLException {
    return new Protocol(rs.getInt("min_reader_version"), rs.getInt("min_writer_version"),
        CatalogJson.readSet(rs.getString("reader_features"), "protocol reader features"),
        CatalogJson.readSet(rs.getString("writer_features"), "protocol writer features"));
  }

  // ---- metadata -------------------------------------------------------------------------

  static final String METADATA_COLUMNS = "version, seq, metadata_id, name, description, format_provider, "
      + "format_options, schema_string, partition_columns, configuration, created_time";
  static final String INSERT_METADATA = "INSERT INTO delta_metadata (table_id, " + METADATA_COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static void bindMetadata(PreparedStatement ps, long tableId, long version, int seq, Metadata m)
      throws SQLException {
    ps.setLong(1, tableId);
    ps.setLong(2, version);
    ps.setInt(3, seq);
    ps.setString(4, m.id());
    Jdbc.setString(ps, 5, m.name().orElse(null));
    Jdbc.setString(ps, 6, m.description().orElse(null));
    ps.setString(7, m.format().provider());
    ps.setString(8, CatalogJson.map(m.format().options()));
    ps.setString(9, m.schemaString());
    ps.setString(10, CatalogJson.list(m.partitionColumns()));
    ps.setString(11, CatalogJson.map(m.configuration()));
    Jdbc.setLong(ps, 12, m.createdTime());
  }

  static Metadata readMetadata(ResultSet rs) throws SQLException {
    Format format = new Format(rs.getString("format_provider"),
        CatalogJson.readMap(rs.getString("format_options"), "metadata format options"));
    return new Metadata(rs.getString("metadata_id"), Jdbc.getString(rs, "name"),
        Jdbc.getString(rs, "description"), format, rs.getString("schema_string"),
        CatalogJson.readList(rs.getString("partition_columns"), "metadata partition columns"),
        CatalogJson.readMap(rs.getString("configuration"), "metadata configuration"),
        Jdbc.getLong(rs, "created_time"));
  }

  // ---- add (delta_files) ----------------------------------------------------------------

  static final String FILE_COLUMNS = "path, dv_id, add_version, add_seq, partition_values, size_bytes, "
      + "modification_time, data_change, stats, tags, dv_storage_type, dv_path_or_inline, dv_offset, "
      + "dv_size_in_bytes, dv_cardinality, base_row_id, default_row_commit_version, clustering_provider";
  static final String INSERT_FILE = "INSERT INTO delta_files (table_id, " + FILE_COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static void bindFile(PreparedStatement ps, long tableId, long version, int seq, AddFile f)
      throws SQLException {
    bindFile(ps, 0, tableId, version, seq, f);
  }

  /** Binds one file row at parameters {@code base + 1} to {@code base + 19} (a multi-row insert). */
  static void bindFile(PreparedStatement ps, int base, long tableId, long version, int seq, AddFile f)
      throws SQLException {
    ps.setLong(base + 1, tableId);
    ps.setString(base + 2, f.path());
    ps.setString(base + 3, dvId(f.deletionVector()));
    ps.setLong(base + 4, version);
    ps.setInt(base + 5, seq);
    ps.setString(base + 6, CatalogJson.canonicalMap(f.partitionValues()));
    ps.setLong(base + 7, f.size());
    ps.setLong(base + 8, f.modificationTime());
    ps.setBoolean(base + 9, f.dataChange());
    Jdbc.setString(ps, base + 10, f.stats().orElse(null));
    Jdbc.setString(ps, base + 11, CatalogJson.mapOrNull(f.tags()));
    bindDeletionVector(ps, base + 12, f.deletionVector());
    Jdbc.setLong(ps, base + 17, f.baseRowId());
    Jdbc.setLong(ps, base + 18, f.defaultRowCommitVersion());
    Jdbc.setString(ps, base + 19, f.clusteringProvider().orElse(null));
  }

  static AddFile readFile(ResultSet rs) throws SQLException {
    String path = rs.getString("path");
    return new AddFile(path,
        CatalogJson.readMap(rs.getString("partition_values"), "partition values of file " + path),
        rs.getLong("size_bytes"), rs.getLong("modification_time"), rs.getBoolean("data_change"),
        Jdbc.getString(rs, "stats"), CatalogJson.readMap(rs.getString("tags"), "tags of file " + path),
        readDeletionVector(rs), Jdbc.getLong(rs, "base_row_id"),
        Jdbc.getLong(rs, "default_row_commit_version"), Jdbc.getString(rs, "clustering_provider"));
  }

  /**
   * The columns a snapshot reads of {@code delta_files}, in the order {@link #readActiveFile}
   * reads them by position: not the replay key's {@code dv_id}, the interval or the commit's
   * {@code data_change}.
   */
  static final String ACTIVE_FILE_COLUMNS = "path, partition_values, size_bytes, modification_time, stats, tags, "
      + "dv_storage_type, dv_path_or_inline, dv_offset, dv_size_in_bytes, dv_cardinality, base_row_id, "
      + "default_row_commit_version, clustering_provider";

  /**
   * A row of {@link #ACTIVE_FILE_COLUMNS} as a snapshot holds it: {@code dataChange=false} (a
   * property of the commit that added the file, not of the table's state). Columns are read
   * by position (a listing reads one row per active file, a name lookup per column costs), an
   * empty partition value or tag object without the JSON parser.
   */
  static AddFile readActiveFile(ResultSet rs) throws SQLException {
    String path = rs.getString(1);
    Map<String, String> partitionValues = readSmallMap(rs.getString(2), "partition values of file ", path);
    long size = rs.getLong(3);
    long modificationTime = rs.getLong(4);
    String stats = rs.getString(5);
    Map<String, String> tags = readSmallMap(rs.getString(6), "tags of file ", path);
    String storageType = rs.getString(7);
    Optional<DeletionVectorDescriptor> dv = Optional.empty();
    if (storageType != null) {
      String pathOrInline = rs.getString(8);
      int offset = rs.getInt(9);
      Optional<Integer> dvOffset = rs.wasNull() ? Optional.empty() : Optional.of(offset);
      dv = Optional.of(new DeletionVectorDescriptor(storageType, pathOrInline, dvOffset, rs.getInt(10),
          rs.getLong(11)));
    }
    long baseRowId = rs.getLong(12);
    Optional<Long> baseRow = rs.wasNull() ? Optional.empty() : Optional.of(baseRowId);
    long rowCommitVersion = rs.getLong(13);
    Optional<Long> defaultRowCommitVersion = rs.wasNull() ? Optional.empty() : Optional.of(rowCommitVersion);
    return new AddFile(path, partitionValues, size, modificationTime, false, Optional.ofNullable(stats), tags, dv,
        baseRow, defaultRowCommitVersion, Optional.ofNullable(rs.getString(14)));
  }

  private static Map<String, String> readSmallMap(String json, String what, String path) {
    return json == null || json.equals("{}") ? Map.of() : CatalogJson.readMap(json, what + path);
  }

  // ---- remove ---------------------------------------------------------------------------

  static final String REMOVE_COLUMNS = "version, seq, path, dv_id, deletion_timestamp, data_change, "
      + "extended_file_metadata, partition_values, size_bytes, stats, tags, dv_storage_type, "
      + "dv_path_or_inline, dv_offset, dv_size_in_bytes, dv_cardinality, base_row_id, "
      + "default_row_commit_version";
  static final String INSERT_REMOVE = "INSERT INTO delta_removes (table_id, " + REMOVE_COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static void bindRemove(PreparedStatement ps, long tableId, long version, int seq, RemoveFile r)
      throws SQLException {
    ps.setLong(1, tableId);
    ps.setLong(2, version);
    ps.setInt(3, seq);
    ps.setString(4, r.path());
    ps.setString(5, dvId(r.deletionVector()));
    Jdbc.setLong(ps, 6, r.deletionTimestamp());
    ps.setBoolean(7, r.dataChange());
    Jdbc.setBoolean(ps, 8, r.extendedFileMetadata());
    Jdbc.setString(ps, 9, r.partitionValues().map(CatalogJson::canonicalMap).orElse(null));
    Jdbc.setLong(ps, 10, r.size());
    Jdbc.setString(ps, 11, r.stats().orElse(null));
    Jdbc.setString(ps, 12, CatalogJson.mapOrNull(r.tags()));
    bindDeletionVector(ps, 13, r.deletionVector());
    Jdbc.setLong(ps, 18, r.baseRowId());
    Jdbc.setLong(ps, 19, r.defaultRowCommitVersion());
  }

  static RemoveFile readRemove(ResultSet rs) throws SQLException {
    String path = rs.getString("path");
    return new RemoveFile(path, Jdbc.getLong(rs, "deletion_timestamp"), rs.getBoolean("data_change"),
        Jdbc.getBoolean(rs, "extended_file_metadata"),
        CatalogJson.readOptionalMap(rs.getString("partition_values"), "partition values of removed file " + path),
        Jdbc.getLong(rs, "size_bytes"), Jdbc.getString(rs, "stats"),
        CatalogJson.readMap(rs.getString("tags"), "tags of removed file " + path), readDeletionVector(rs),
        Jdbc.getLong(rs, "base_row_id"), Jdbc.getLong(rs, "default_row_commit_version"));
  }

  // ---- txn (delta_app_txns) -------------------------------------------------------------

  static final String TXN_COLUMNS = "app_id, txn_version, last_updated, from_version, seq";
  static final String INSERT_TXN = "INSERT INTO delta_app_txns (table_id, " + TXN_COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?)";

  static void bindTxn(PreparedStatement ps, long tableId, long version, int seq, SetTransaction t)
      throws SQLException {
    ps.setLong(1, tableId);
    ps.setString(2, t.appId());
    ps.setLong(3, t.version());
    Jdbc.setLong(ps, 4, t.lastUpdated());
    ps.setLong(5, version);
    ps.setInt(6, seq);
  }

  static SetTransaction readTxn(ResultSet rs) throws SQLException {
    return new SetTransaction(rs.getString("app_id"), rs.getLong("txn_version"), Jdbc.getLong(rs, "last_updated"));
  }

  // ---- domainMetadata (delta_domains) ---------------------------------------------------

  static final String DOMAIN_COLUMNS = "domain, configuration, removed, from_version, seq";
  static final String INSERT_DOMAIN = "INSERT INTO delta_domains (table_id, " + DOMAIN_COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?)";

  static void bindDomain(PreparedStatement ps, long tableId, long version, int seq, DomainMetadata d)
      throws SQLException {
    ps.setLong(1, tableId);
    ps.setString(2, d.domain());
    ps.setString(3, d.configuration());
    ps.setBoolean(4, d.removed());
    ps.setLong(5, version);
    ps.setInt(6, seq);
  }

  static DomainMetadata readDomain(ResultSet rs) throws SQLException {
    return new DomainMetadata(rs.getString("domain"), rs.getString("configuration"), rs.getBoolean("removed"));
  }

  // ---- cdc ------------------------------------------------------------------------------

  static final String CDC_COLUMNS = "version, seq, path, partition_values, size_bytes, data_change, tags";
  static final String INSERT_CDC = "INSERT INTO delta_cdc_files (table_id, " + CDC_COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  static void bindCdc(PreparedStatement ps, long tableId, long version, int seq, AddCdcFile c)
      throws SQLException {
    ps.setLong(1, tableId);
    ps.setLong(2, version);
    ps.setInt(3, seq);
    ps.setString(4, c.path());
    ps.setString(5, CatalogJson.canonicalMap(c.partitionValues()));
    ps.setLong(6, c.size());
    ps.setBoolean(7, c.dataChange());
    Jdbc.setString(ps, 8, CatalogJson.mapOrNull(c.tags()));
  }

  static AddCdcFile readCdc(ResultSet rs) throws SQLException {
    String path = rs.getString("path");
    return new AddCdcFile(path, CatalogJson.readMap(rs.getString("partition_values"), "partition values of cdc file " + path),
        rs.getLong("size_bytes"), rs.getBoolean("data_change"),
        CatalogJson.readMap(rs.getString("tags"), "tags of cdc file " + path));
  }

  // ---- deletion vectors -----------------------------------------------------------------

  /** The {@code dv_id} column: the deletion vector's unique id, {@code ''} without one. */
  static String dvId(Optional<DeletionVectorDescriptor> dv) {
    return dv.map(DeletionVectorDescriptor::uniqueId).orElse("");
  }

  /** Binds the five deletion vector columns starting at {@code first}. */
  private static void bindDeletionVector(PreparedStatement ps, int first, Optional<DeletionVectorDescriptor> dv)
      throws SQLException {
    Jdbc.setString(ps, first, dv.map(DeletionVectorDescriptor::storageType).orElse(null));
    Jdbc.setString(ps, first + 1, dv.map(DeletionVectorDescriptor::pathOrInlineDv).orElse(null));
    Jdbc.setInt(ps, first + 2, dv.flatMap(DeletionVectorDescriptor::offset));
    Jdbc.setInt(ps, first + 3, dv.map(DeletionVectorDescriptor::sizeInBytes));
    Jdbc.setLong(ps, first + 4, dv.map(DeletionVectorDescriptor::cardinality));
  }

  private static Optional<DeletionVectorDescriptor> readDeletionVector(ResultSet rs) throws SQLException {
    String storageType = rs.getString("dv_storage_type");
    if (storageType == null) {
      return Optional.empty();
    }
    return Optional.of(new DeletionVectorDescriptor(storageType, rs.getString("dv_path_or_inline"),
        Jdbc.getInt(rs, "dv_offset"), rs.getInt("dv_size_in_bytes"), rs.getLong("dv_cardinality")));
  }
}
