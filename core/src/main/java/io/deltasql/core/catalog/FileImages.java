package io.deltasql.core.catalog;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.catalog.FileImageCodec.CorruptImageException;
import io.deltasql.core.errors.DeltaException;
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
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The {@code delta_file_images} table: reading the newest image at or below a version, and
 * writing one. An image is derived data (the rows of {@code delta_files} are the truth): it is
 * written in a transaction of its own after a reader has materialised the files, and only for
 * a committed version, which can no longer change. Each chunk is kept in three columns
 * ({@link FileImageCodec.Parts}): a reader selects {@code data} (what a listing needs); the
 * stats columns and the stats JSON of the image are selected later, each once for every chunk,
 * by the first reader of a file's typed stats or stats ({@link FileImageCodec.PartSource}); the
 * stats of the first few files read one by one come from their rows ({@link #SELECT_STATS_OF}).
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
  /** The stats of one file in force at a version (its row: the primary key's prefix finds it). */
  static final String SELECT_STATS_OF = "SELECT stats FROM delta_files WHERE table_id = ? AND path = ? "
      + "AND dv_id = ? AND add_version <= ? AND (remove_version IS NULL OR remove_version > ?)";
  /**
   * How many files of an image at most have their stats read from their rows, one by one,
   * before the stats part of every chunk is fetched instead: a reader of a few files' stats (the
   * files a DELETE removes) reads a row each; a reader of all of them pays these round trips
   * more (see {@link #singleFileReads}).
   */
  static final int SINGLE_FILE_READS = 2;
  static final String SELECT_PREVIOUS =
      "SELECT MAX(version) FROM delta_file_images WHERE table_id = ? AND version < ?";
  static final String DELETE_VERSION = "DELETE FROM delta_file_images WHERE table_id = ? AND version = ?";
  /** Older images than the previous one: a table keeps its two newest (and any above them). */
  static final String DELETE_OLDER = "DELETE FROM delta_file_images WHERE table_id = ? AND version < ?";

  /** An image read back: its version and its files (distinct keys, in the image's order). */
  record Image(long version, List<AddFile> files) {}

  /** Runs catalog work in a transaction of its own (the catalog store's {@code inTransaction}). */
  @FunctionalInterface
  interface Transactions {
    <T> T inTransaction(CatalogWork<T> work);
  }

  /**
   * Reads the parts of images read earlier, for a catalog store: in the catalog transaction
   * that the calling thread has open in that store, if any, else in a transaction of its own.
   * A reader of a file's stats inside a transaction (a DELETE removing it) thus takes no second
   * connection from the pool, which could wait forever (a pool of one, or every connection held
   * by a transaction waiting for another). After the store is closed, a read fails with
   * {@code 08000}, naming what it was for.
   */
  static final class Later {
    private final Transactions own;
    private final BooleanSupplier closed;
    private final String catalog;
    /** The transaction open on each thread (the innermost, when one runs inside another). */
    private final ThreadLocal<CatalogTransaction> open = new ThreadLocal<>();

    /**
     * @param own runs work in a transaction of its own
     * @param closed whether the store is closed
     * @param catalog the store's URL without credentials, for messages
     */
    Later(Transactions own, BooleanSupplier closed, String catalog) {
      this.own = own;
      this.closed = closed;
      this.catalog = catalog;
    }

    /** {@code transaction} is open on this thread; returns the one it hides, to hand back to {@link #leave}. */
    CatalogTransaction enter(CatalogTransaction transaction) {
      CatalogTransaction outer = open.get();
      open.set(transaction);
      return outer;
    }

    /** The transaction entered last on this thread has ended; {@code outer} (or none) is open again. */
    void leave(CatalogTransaction outer) {
      if (outer == null) {
        open.remove();
      } else {
        open.set(outer);
      }
    }

    /** Runs {@code read}, which reads {@code what} (for messages). */
    <T> T read(Supplier<String> what, Read<T> read) {
      if (closed.getAsBoolean()) {
        throw CatalogErrors.closedBeforeLaterRead(catalog, what.get(), null);
      }
      CatalogTransaction transaction = open.get();
      if (transaction != null) {
        return transaction.readFileImages(read);
      }
      try {
        return own.inTransaction(tx -> tx.readFileImages(read));
      } catch (DeltaException e) {
        if (closed.getAsBoolean()) {
          throw CatalogErrors.closedBeforeLaterRead(catalog, what.get(), e);
        }
        throw e;
      }
    }
  }

  /** Reads in a {@link CatalogTransaction} (see {@link CatalogTransaction#readFileImages}). */
  @FunctionalInterface
  interface Read<T> {
    T read(FileImages images) throws SQLException;
  }

  private final Connection connection;
  private final CatalogDialect dialect;
  /** Where the parts of an image that a listing does not read are fetched from when needed (null: nowhere). */
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
   * The newest image of the table at or below {@code version}, decoded, if there is one;
   * {@code table} names the table in messages.
   *
   * @throws CorruptImageException when the image exists but cannot be decoded (a chunk
   *     missing, damaged or of an unknown format): the caller reads the rows instead
   */
  Optional<Image> newestAtOrBelow(long tableId, String table, long version)
      throws SQLException, CorruptImageException {
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
        files = FileImageCodec.decodeAll(chunks, new LaterParts(later, tableId, table, imageVersion, chunks.size()));
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

  /** The stats JSON of the file {@code key} in force at {@code version}, from its row; empty when it has none. */
  Optional<Optional<String>> statsOf(long tableId, long version, FileKey key) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_STATS_OF)) {
      ps.setLong(1, tableId);
      ps.setString(2, key.path());
      ps.setString(3, key.deletionVectorId().orElse(""));
      ps.setLong(4, version);
      ps.setLong(5, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Optional.ofNullable(rs.getString(1))) : Optional.empty();
      }
    }
  }

  /**
   * How many files' stats of an image of {@code chunkCount} chunks are read from their rows:
   * none for an image of one chunk, whose stats part is already one small part (a few hundred
   * kilobytes at most), fewer than its chunks otherwise.
   */
  static int singleFileReads(int chunkCount) {
    return Math.max(0, Math.min(SINGLE_FILE_READS, chunkCount - 1));
  }

  /**
   * The parts of one image read by a listing: each fetched for every chunk at once, by
   * {@link Later}, the first time a chunk asks for it; each chunk's entry is handed over once
   * (the chunk keeps what it made of it). The stats of the first {@link #singleFileReads}
   * files asked for one by one come from their rows.
   */
  private static final class LaterParts implements FileImageCodec.PartSource {
    private final Later later;
    private final long tableId;
    private final String table;
    private final long version;
    private final int chunkCount;
    private final Map<FileImageCodec.Part, Optional<byte[][]>> fetched = new EnumMap<>(FileImageCodec.Part.class);
    private Map<FileKey, Optional<String>> rows;
    private int singleReads;

    LaterParts(Later later, long tableId, String table, long version, int chunkCount) {
      this.later = later;
      this.tableId = tableId;
      this.table = table;
      this.version = version;
      this.chunkCount = chunkCount;
    }

    private String what(String part) {
      return part + " of version " + version + " of table " + table + " (from its catalog file image)";
    }

    @Override
    public synchronized Optional<byte[]> part(FileImageCodec.Part part, int chunk) {
      if (later == null) {
        return Optional.empty();
      }
      Optional<byte[][]> all = fetched.computeIfAbsent(part, p -> later.read(() -> what("the file statistics"),
          images -> images.part(tableId, version, chunkCount, p)));
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
        rows = later.read(() -> what("the file statistics"), images -> images.statsAt(tableId, version));
      }
      return rows;
    }

    @Override
    public Optional<String> statsOfRow(FileKey key) {
      synchronized (this) {
        if (later == null || fetched.containsKey(FileImageCodec.Part.STATS) || rows != null
            || singleReads >= singleFileReads(chunkCount)) {
          return Optional.empty();
        }
        singleReads++;
      }
      // outside the lock: readers of single files do not wait for one another
      return later.read(() -> what("the statistics of file " + key.path()),
          images -> images.statsOf(tableId, version, key)).flatMap(stats -> stats);
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
