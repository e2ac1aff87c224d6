package io.deltasql.core.parquet;

import io.deltasql.core.storage.Abortable;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Counts the bytes written to a storage stream; once abandoned, closing does not publish, and
 * a stream that is {@link Abortable} is aborted.
 */
final class StoragePositionOutputStream extends PositionOutputStream {
  private final OutputStream out;
  private long position;
  private boolean abandoned;
  private boolean closed;

  StoragePositionOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public long getPos() {
    return position;
  }

  @Override
  public void write(int b) throws IOException {
    ensureWritable();
    out.write(b);
    position++;
  }

  @Override
  public void write(byte[] data, int offset, int len) throws IOException {
    ensureWritable();
    out.write(data, offset, len);
    position += len;
  }

  @Override
  public void flush() throws IOException {
    if (!abandoned && !closed) {
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed || abandoned) {
      return;
    }
    closed = true;
    out.close();
  }

  /** Gives the write up: later closes do not publish, and what storage staged is discarded. */
  void abandon() {
    if (abandoned || closed) {
      return;
    }
    abandoned = true;
    if (out instanceof Abortable abortable) {
      abortable.abort();
    }
  }

  private void ensureWritable() throws IOException {
    if (abandoned || closed) {
      throw new IOException(abandoned ? "write was abandoned" : "stream is closed");
    }
  }
}
