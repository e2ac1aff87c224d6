package io.deltasql.core.data;

import java.io.EOFException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A small data file read whole with one storage read and parsed from memory: reading a
 * Parquet file through many ranged reads costs a round trip (or, locally, a file open) per
 * footer part and column chunk, which dominates for the small files tables often hold.
 */
final class InMemoryInputFile implements InputFile {
  /** Files up to this size are read whole. */
  static final long MAX_SIZE = 8L * 1024 * 1024;

  private final String path;
  private final byte[] data;

  InMemoryInputFile(String path, byte[] data) {
    this.path = path;
    this.data = data;
  }

  @Override
  public long getLength() {
    return data.length;
  }

  @Override
  public SeekableInputStream newStream() {
    return new Stream();
  }

  @Override
  public String toString() {
    return path;
  }

  /** A seekable stream over the bytes. */
  private final class Stream extends SeekableInputStream {
    private int position;

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void seek(long newPosition) throws EOFException {
      if (newPosition < 0 || newPosition > data.length) {
        throw new EOFException("cannot seek to " + newPosition + " in " + path + " of "
            + data.length + " bytes");
      }
      position = (int) newPosition;
    }

    @Override
    public int read() {
      return position < data.length ? data[position++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (position >= data.length) {
        return -1;
      }
      int n = Math.min(length, data.length - position);
      System.arraycopy(data, position, bytes, offset, n);
      position += n;
      return n;
    }

    @Override
    public void readFully(byte[] bytes) throws EOFException {
      readFully(bytes, 0, bytes.length);
    }

    @Override
    public void readFully(byte[] bytes, int offset, int length) throws EOFException {
      if (length > data.length - position) {
        throw new EOFException("need " + length + " bytes at " + position + " of " + path
            + ", which has " + data.length);
      }
      System.arraycopy(data, position, bytes, offset, length);
      position += length;
    }

    @Override
    public int read(ByteBuffer buffer) {
      if (!buffer.hasRemaining()) {
        return 0;
      }
      if (position >= data.length) {
        return -1;
      }
      int n = Math.min(buffer.remaining(), data.length - position);
      buffer.put(data, position, n);
      position += n;
      return n;
    }

    @Override
    public void readFully(ByteBuffer buffer) throws EOFException {
      int n = buffer.remaining();
      if (n > data.length - position) {
        throw new EOFException("need " + n + " bytes at " + position + " of " + path
            + ", which has " + data.length);
      }
      buffer.put(data, position, n);
      position += n;
    }
  }
}
