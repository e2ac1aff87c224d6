package io.deltasql.core.catalog;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.catalog.FileImageCodec.CorruptImageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code delta_file_images} table: reading the newest image at or below a version, and
 * writing one. An image is derived data (the rows of {@code delta_files} are the truth): it is
 * written in a transaction of its own after a reader has materialised the files, and only for
 * a committed version, which can no longer change.
 */
final class FileImages {
  /** The chunks of the newest image at or below a version, in one statement (one consistent read). */
  static final String SELECT_NEWEST_AT_OR_BELOW = "SELECT version, chunk, chunk_count, file_count, data "
      + "FROM delta_file_images WHERE table_id = ? AND version = "
      + "(SELECT MAX(version) FROM delta_file_images WHERE table_id = ? AND version <= ?) ORDER BY chunk";
  static final String EXISTS = "SELECT 1 FROM delta_file_images WHERE table_id = ? AND version = ? AND chunk = 0";
  static final String INSERT = "INSERT INTO delta_file_images (table_id, version, chunk, chunk_count, file_count, data) "
      + "VALUES (?, ?, ?, ?, ?, ?)";
  static final String SELECT_PREVIOUS =
      "SELECT MAX(version) FROM delta_file_images WHERE table_id = ? AND version < ?";
  static final String DELETE_VERSION = "DELETE FROM delta_file_images WHERE table_id = ? AND version = ?";
  /** Older images than the previous one: a table keeps its two newest (and any above them). */
  static final String DELETE_OLDER = "DELETE FROM delta_file_images WHERE table_id = ? AND version < ?";

  /** An image read back: its version and its files (distinct keys, in the image's order). */
  record Image(long version, List<AddFile> files) {}

  private final Connection connection;
  private final CatalogDialect dialect;

  FileImages(Connection connection, CatalogDialect dialect) {
    this.connection = connection;
    this.dialect = dialect;
  }

  /**
   * The newest image of the table at or below {@code version}, decoded, if there is one.
   *
   * @throws CorruptImageException when the image exists but cannot be decoded (a chunk
   *     missing, damaged or of an unknown format): the caller reads the rows instead
   */
  Optional<Image> newestAtOrBelow(long tableId, long version) throws SQLException, CorruptImageException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_NEWEST_AT_OR_BELOW)) {
      // A few large values (up to 2,048 files each): a few per round trip keeps the driver's buffer small.
      ps.setFetchSize(4);
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
        files = FileImageCodec.decodeAll(chunks);
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
        ps.setLong(1, tableId);
        ps.setLong(2, version);
        ps.setInt(3, i);
        ps.setInt(4, chunks.size());
        ps.setInt(5, fileCount);
        ps.setBytes(6, chunks.get(i));
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
