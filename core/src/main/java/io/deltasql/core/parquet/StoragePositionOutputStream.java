package io.deltasql.core.parquet;

import io.deltasql.core.storage.StorageOutputStream;
import java.io.IOException;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Counts the bytes written to a storage stream. Once abandoned, or after a write failed,
 * closing does not publish: Parquet's writer closes its stream even when writing the
 * footer failed, and that close must not turn a partial file into a visible object.
 */
final class StoragePositionOutputStream extends PositionOutputStream {
  private final StorageOutputStream out;
  private long position;
  private boolean abandoned;
  private boolean closed;
  private IOException failure;

  StoragePositionOutputStream(StorageOutputStream out) {
    this.out = out;
  }

  @Override
  public long getPos() {
    return position;
  }

  @Override
  public void write(int b) throws IOException {
    ensureWritable();
    try {
      out.write(b);
    } catch (IOException e) {
      throw failed(e);
    }
    position++;
  }

  @Override
  public void write(byte[] data, int offset, int len) throws IOException {
    ensureWritable();
    try {
      out.write(data, offset, len);
    } catch (IOException e) {
      throw failed(e);
    }
    position += len;
  }

  @Override
  public void flush() throws IOException {
    if (!abandoned && !closed && failure == null) {
      try {
        out.flush();
      } catch (IOException e) {
        throw failed(e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (closed || abandoned) {
      return;
    }
    closed = true;
    if (failure != null) {
      out.abort();
      throw new IOException("nothing published after a failed write: " + failure.getMessage(), failure);
    }
    out.close();
  }

  /** Gives the write up: the storage stream is aborted, so nothing is published or left behind. */
  void abandon() {
    abandoned = true;
    out.abort();
  }

  private void ensureWritable() throws IOException {
    if (abandoned || closed) {
      throw new IOException(abandoned ? "write was abandoned" : "stream is closed");
    }
    if (failure != null) {
      throw new IOException("an earlier write failed: " + failure.getMessage(), failure);
    }
  }

  private IOException failed(IOException e) {
    failure = e;
    return e;
  }
}
