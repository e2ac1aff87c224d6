package io.deltasql.core.parquet;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.Storage;
import java.util.Objects;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} read through {@link Storage}: every read is a ranged read
 * ({@link Storage#readRange}), so a reader fetches the footer and the column chunks it
 * needs, never the whole object. No Hadoop file system is involved.
 */
public final class StorageInputFile implements InputFile {
  private final Storage storage;
  private final String path;
  private final long length;

  /**
   * An input file whose length is already known (from a listing or a {@code sidecar}
   * action), which saves a status call.
   */
  public StorageInputFile(Storage storage, String path, long length) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.path = Objects.requireNonNull(path, "path");
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length + " for " + path);
    }
    this.length = length;
  }

  /** The input file at {@code status}'s path, with its length. */
  public static StorageInputFile of(Storage storage, FileStatus status) {
    return new StorageInputFile(storage, status.path(), status.size());
  }

  /**
   * The input file at {@code path}, asking storage for its length.
   *
   * @throws DeltaException {@code 58030} if there is no object at {@code path}
   */
  public static StorageInputFile open(Storage storage, String path) {
    FileStatus status = storage.status(path).orElseThrow(() -> new DeltaException(SqlState.IO_ERROR,
        "Cannot read '" + path + "': no such file"));
    return of(storage, status);
  }

  /** The storage path of this file. */
  public String path() {
    return path;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() {
    return new StorageSeekableInputStream(storage, path, length);
  }

  @Override
  public String toString() {
    return path;
  }
}
