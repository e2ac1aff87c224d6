package io.deltasql.core.parquet;

import io.deltasql.core.storage.Storage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.Objects;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} written through {@link Storage#create}: the object appears
 * at its path only when the stream is closed successfully. If writing fails, call
 * {@link #abandon()} instead of closing the Parquet writer, and nothing is published.
 *
 * <p>One instance serves one write.
 */
public final class StorageOutputFile implements OutputFile {
  private final Storage storage;
  private final String path;
  private StoragePositionOutputStream stream;

  public StorageOutputFile(Storage storage, String path) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.path = Objects.requireNonNull(path, "path");
  }

  /** Creates the object; fails if one already exists at the path. */
  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    if (storage.status(path).isPresent()) {
      throw new FileAlreadyExistsException(path);
    }
    return createOrOverwrite(blockSizeHint);
  }

  /** Creates the object, replacing any existing one when the stream is closed. */
  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) {
    if (stream != null) {
      throw new IllegalStateException("Output file " + path + " was already opened for writing");
    }
    stream = new StoragePositionOutputStream(storage.create(path));
    return stream;
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return path;
  }

  /** Bytes written so far (the final size once the writer is closed). */
  public long bytesWritten() {
    return stream == null ? 0 : stream.getPos();
  }

  /**
   * Gives up the write after a failure: the storage stream is aborted, so nothing is
   * published at the path and no partial data is left behind; later closes do nothing.
   */
  public void abandon() {
    if (stream != null) {
      stream.abandon();
    }
  }
}
