package io.deltasql.core.catalog;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.catalog.FileImageCodec.CorruptImageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code delta_file_images} table: reading the newest image at or below a version, and
 * writing one. An image is derived data (the rows of {@code delta_files} are the truth): it is
 * written in a transaction of its own after a reader has materialised the files, and only for
 * a committed version, which can no longer change. Each chunk is kept in three columns
 * ({@link FileImageCodec.Parts}): a reader selects {@code data} (what a listing needs); the
 * stats columns and the stats JSON of the image are selected later, each once for every chunk,
 * by the first reader of a file's typed stats or stats ({@link FileImageCodec.PartSource}).
 */
final class FileImages {
  /** The chunks of the newest image at or below a version, in one statement (one consistent read). */
  static final String SELECT_NEWEST_AT_OR_BELOW = "SELECT version, chunk, chunk_count, file_count, data "
      + "FROM delta_file_images WHERE table_id = ? AND version = "
      + "(SELECT MAX(version) FROM delta_file_images WHERE table_id = ? AND version <= ?) ORDER BY chunk";
  static final String EXISTS = "SELECT 1 FROM delta_file_images WHERE table_id = ? AND version = ? AND chunk = 0";
  static final String INSERT = "INSERT INTO delta_file_images "
      + "(table_id, version, chunk, chunk_count, file_count, data, stats_columns, stats) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  /** One part of every chunk of an image (the column is {@link FileImageCodec.Part#column()}). */
  static final String SELECT_PART = "SELECT chunk, %s FROM delta_file_images WHERE table_id = ? AND version = ? "
      + "ORDER BY chunk";
  /** The stats of the files in force at a version (its rows), with their keys. */
  static final String SELECT_STATS_AT = SnapshotReader.filesAt("path, dv_id, stats");
  static final String SELECT_PREVIOUS =
      "SELECT MAX(version) FROM delta_file_images WHERE table_id = ? AND version < ?";
  static final String DELETE_VERSION = "DELETE FROM delta_file_images WHERE table_id = ? AND version = ?";
  /** Older images than the previous one: a table keeps its two newest (and any above them). */
  static final String DELETE_OLDER = "DELETE FROM delta_file_images WHERE table_id = ? AND version < ?";

  /** An image read back: its version and its files (distinct keys, in the image's order). */
  record Image(long version, List<AddFile> files) {}

  /** Runs catalog work later, in a transaction of its own (the catalog store's {@code inTransaction}). */
  @FunctionalInterface
  interface Later {
    <T> T inTransaction(CatalogWork<T> work);
  }

  /** Reads in a {@link CatalogTransaction} (see {@link CatalogTransaction#readFileImages}). */
  @FunctionalInterface
  interface Read<T> {
    T read(FileImages images) throws SQLException;
  }

  private final Connection connection;
  private final CatalogDialect dialect;
  /** Where the parts of an image that a listing does not read are fetched from when needed. */
  private final Later later;

  FileImages(Connection connection, CatalogDialect dialect, Later later) {
    this.connection = connection;
    this.dialect = dialect;
    this.later = later;
  }

  FileImages(Connection connection, CatalogDialect dialect) {
    this(connection, dialect, null);
  }

  /**
   * The newest image of the table at or below {@code version}, decoded, if there is one.
   *
   * @throws CorruptImageException when the image exists but cannot be decoded (a chunk
   *     missing, damaged or of an unknown format): the caller reads the rows instead
   */
  Optional<Image> newestAtOrBelow(long tableId, long version) throws SQLException, CorruptImageException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_NEWEST_AT_OR_BELOW)) {
      // Every chunk in one round trip: the server streams the image's main parts (about a
      // third of the image) without waiting for the client between batches of rows.
      ps.setFetchSize(0);
      dialect.receiveBinary(ps);
      ps.setLong(1, tableId);
      ps.setLong(2, tableId);
      ps.setLong(3, version);
      List<byte[]> chunks = new ArrayList<>();
      long imageVersion = -1;
      int expectedChunks = 0;
      int expectedFiles = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          imageVersion = rs.getLong(1);
          if (rs.getInt(2) != chunks.size()) {
            throw new CorruptImageException("chunk " + chunks.size() + " of " + rs.getInt(3) + " is missing")
                .of(imageVersion);
          }
          expectedChunks = rs.getInt(3);
          expectedFiles = rs.getInt(4);
          chunks.add(rs.getBytes(5));
        }
      }
      if (chunks.isEmpty()) {
        return Optional.empty();
      }
      if (chunks.size() != expectedChunks) {
        throw new CorruptImageException("image of version " + imageVersion + " has " + chunks.size() + " of "
            + expectedChunks + " chunks").of(imageVersion);
      }
      List<AddFile> files;
      try {
        files = FileImageCodec.decodeAll(chunks, new LaterParts(later, tableId, imageVersion, chunks.size()));
      } catch (CorruptImageException e) {
        throw e.of(imageVersion);
      }
      if (files.size() != expectedFiles) {
        throw new CorruptImageException("image of version " + imageVersion + " has " + files.size()
            + " files, not " + expectedFiles).of(imageVersion);
      }
      return Optional.of(new Image(imageVersion, files));
    }
  }

  /**
   * Deletes the {@code unusable} image if given, then writes the image of {@code version}
   * unless the version is not committed (yet, or any more: {@code committed}, the table's
   * current version, is empty when the table was dropped) or an image of it exists; then keeps
   * only the table's two newest images at or below it. Returns whether it wrote.
   */
  boolean write(long tableId, long version, OptionalLong committed, int fileCount, List<byte[]> chunks,
      OptionalLong unusable) throws SQLException {
    if (unusable.isPresent()) {
      try (PreparedStatement ps = connection.prepareStatement(DELETE_VERSION)) {
        ps.setLong(1, tableId);
        ps.setLong(2, unusable.getAsLong());
        ps.executeUpdate();
      }
    }
    if (committed.isEmpty() || committed.getAsLong() < version || exists(tableId, version)) {
      return false;
    }
    try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
      for (int i = 0; i < chunks.size(); i++) {
        FileImageCodec.Parts parts = FileImageCodec.split(chunks.get(i));
        ps.setLong(1, tableId);
        ps.setLong(2, version);
        ps.setInt(3, i);
        ps.setInt(4, chunks.size());
        ps.setInt(5, fileCount);
        ps.setBytes(6, parts.main());
        ps.setBytes(7, parts.statsColumns());
        ps.setBytes(8, parts.stats());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    OptionalLong previous = previous(tableId, version);
    if (previous.isPresent()) {
      try (PreparedStatement ps = connection.prepareStatement(DELETE_OLDER)) {
        ps.setLong(1, tableId);
        ps.setLong(2, previous.getAsLong());
        ps.executeUpdate();
      }
    }
    return true;
  }

  /**
   * One part of every chunk of the image of {@code version}, by chunk (an entry is null when
   * the chunk has no such part); empty when the image is gone (replaced by a newer one).
   */
  Optional<byte[][]> part(long tableId, long version, int chunkCount, FileImageCodec.Part part)
      throws SQLException {
    byte[][] parts = new byte[chunkCount][];
    boolean found = false;
    try (PreparedStatement ps = connection.prepareStatement(String.format(SELECT_PART, part.column()))) {
      ps.setFetchSize(0);
      dialect.receiveBinary(ps);
      ps.setLong(1, tableId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found = true;
          int chunk = rs.getInt(1);
          if (chunk >= 0 && chunk < chunkCount) {
            parts[chunk] = rs.getBytes(2);
          }
        }
      }
    }
    return found ? Optional.of(parts) : Optional.empty();
  }

  /** The stats JSON of every file in force at {@code version}, from its rows, by key. */
  Map<FileKey, Optional<String>> statsAt(long tableId, long version) throws SQLException {
    Map<FileKey, Optional<String>> stats = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(SELECT_STATS_AT)) {
      ps.setFetchSize(1000);
      SnapshotReader.bindAt(ps, tableId, version);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stats.put(SnapshotReader.fileKey(rs.getString(1), rs.getString(2)), Optional.ofNullable(rs.getString(3)));
        }
      }
    }
    return stats;
  }

  /**
   * The parts of one image read by a listing: each fetched for every chunk at once, in a
   * catalog transaction of its own, the first time a chunk asks for it; each chunk's entry is
   * handed over once (the chunk keeps what it made of it).
   */
  private static final class LaterParts implements FileImageCodec.PartSource {
    private final Later later;
    private final long tableId;
    private final long version;
    private final int chunkCount;
    private final Map<FileImageCodec.Part, Optional<byte[][]>> fetched = new EnumMap<>(FileImageCodec.Part.class);
    private Map<FileKey, Optional<String>> rows;

    LaterParts(Later later, long tableId, long version, int chunkCount) {
      this.later = later;
      this.tableId = tableId;
      this.version = version;
      this.chunkCount = chunkCount;
    }

    @Override
    public synchronized Optional<byte[]> part(FileImageCodec.Part part, int chunk) {
      if (later == null) {
        return Optional.empty();
      }
      Optional<byte[][]> all = fetched.computeIfAbsent(part, p -> later.inTransaction(
          tx -> tx.readFileImages(images -> images.part(tableId, version, chunkCount, p))));
      if (all.isEmpty()) {
        return Optional.empty();
      }
      byte[] result = all.get()[chunk];
      all.get()[chunk] = null;
      return Optional.ofNullable(result);
    }

    @Override
    public synchronized Map<FileKey, Optional<String>> statsOfRows() {
      if (rows == null) {
        if (later == null) {
          throw new IllegalStateException("no catalog to read a file image's stats from");
        }
        rows = later.inTransaction(tx -> tx.readFileImages(images -> images.statsAt(tableId, version)));
      }
      return rows;
    }
  }

  private boolean exists(long tableId, long version) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(EXISTS)) {
      ps.setLong(1, tableId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private OptionalLong previous(long tableId, long version) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_PREVIOUS)) {
      ps.setLong(1, tableId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        long found = rs.next() ? rs.getLong(1) : 0;
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(found);
      }
    }
  }
}
