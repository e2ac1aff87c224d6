package io.deltasql.core.parquet;

import io.deltasql.core.storage.Storage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A seekable stream over ranged reads. Small reads (Parquet's footer and page headers) are
 * served from a read-ahead buffer (near the end of the file, the file's last bytes); reads at
 * least as large as the buffer go straight to storage (into the caller's buffer when storage
 * can), so a column chunk is fetched with one request.
 */
final class StorageSeekableInputStream extends SeekableInputStream {
  static final int BUFFER_SIZE = 64 * 1024;

  private final Storage storage;
  private final String path;
  private final long length;
  private long position;
  private byte[] buffer = new byte[0];
  private long bufferStart;
  private boolean closed;

  StorageSeekableInputStream(Storage storage, String path, long length) {
    this.storage = storage;
    this.path = path;
    this.length = length;
  }

  @Override
  public long getPos() {
    return position;
  }

  @Override
  public void seek(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new EOFException("Cannot seek to negative position " + newPosition + " in " + path);
    }
    position = newPosition;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int len) throws IOException {
    ensureOpen();
    if (len == 0) {
      return 0;
    }
    if (position >= length) {
      return -1;
    }
    int wanted = (int) Math.min(len, length - position);
    if (!buffered(position)) {
      if (wanted >= BUFFER_SIZE) {
        return readDirect(target, offset, wanted);
      }
      fill(position);
      if (!buffered(position)) {
        return -1;
      }
    }
    int start = (int) (position - bufferStart);
    int n = Math.min(wanted, buffer.length - start);
    System.arraycopy(buffer, start, target, offset, n);
    position += n;
    return n;
  }

  @Override
  public void readFully(byte[] target) throws IOException {
    readFully(target, 0, target.length);
  }

  @Override
  public void readFully(byte[] target, int offset, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = read(target, offset + done, len - done);
      if (n < 0) {
        throw new EOFException("Reached the end of " + path + " (" + length + " bytes) with "
            + (len - done) + " bytes still to read at position " + position);
      }
      done += n;
    }
  }

  @Override
  public int read(ByteBuffer target) throws IOException {
    if (!target.hasRemaining()) {
      return 0;
    }
    if (target.hasArray()) {
      int n = read(target.array(), target.arrayOffset() + target.position(), target.remaining());
      if (n > 0) {
        target.position(target.position() + n);
      }
      return n;
    }
    byte[] chunk = new byte[target.remaining()];
    int n = read(chunk, 0, chunk.length);
    if (n > 0) {
      target.put(chunk, 0, n);
    }
    return n;
  }

  @Override
  public void readFully(ByteBuffer target) throws IOException {
    ensureOpen();
    int wanted = target.remaining();
    if (wanted >= BUFFER_SIZE && !buffered(position)) {
      // A column chunk: straight from storage into the reader's buffer, one request.
      int n = storage.readRange(path, position, target);
      position += n;
      if (n < wanted) {
        throw new EOFException("Reached the end of " + path + " (" + length + " bytes) with "
            + (wanted - n) + " bytes still to read at position " + position);
      }
      return;
    }
    if (target.hasArray()) {
      readFully(target.array(), target.arrayOffset() + target.position(), target.remaining());
      target.position(target.limit());
      return;
    }
    byte[] chunk = new byte[target.remaining()];
    readFully(chunk, 0, chunk.length);
    target.put(chunk);
  }

  @Override
  public void close() {
    closed = true;
    buffer = new byte[0];
  }

  private boolean buffered(long at) {
    return at >= bufferStart && at < bufferStart + buffer.length;
  }

  /**
   * Buffers the bytes from {@code at}; within the last {@link #BUFFER_SIZE} bytes of the file,
   * the last {@link #BUFFER_SIZE} bytes, so that Parquet's read of the footer's length at the end
   * and its read of the footer just before it are one request.
   */
  private void fill(long at) {
    long start = length - at < BUFFER_SIZE ? Math.max(0, length - BUFFER_SIZE) : at;
    buffer = storage.readRange(path, start, (int) Math.min(BUFFER_SIZE, length - start));
    bufferStart = start;
  }

  private int readDirect(byte[] target, int offset, int len) {
    byte[] data = storage.readRange(path, position, len);
    if (data.length == 0) {
      return -1;
    }
    System.arraycopy(data, 0, target, offset, data.length);
    position += data.length;
    return data.length;
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("Stream over " + path + " is closed");
    }
  }
}
