package io.deltasql.core.parquet;

import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * The local file system with an injected fault: streams from {@link #create} fail once
 * more than {@code failAfterBytes} bytes were written, as a full disk or a dropped
 * connection would.
 */
final class FailingStorage implements Storage {
  private final Storage delegate = LocalStorage.INSTANCE;
  private final long failAfterBytes;

  FailingStorage(long failAfterBytes) {
    this.failAfterBytes = failAfterBytes;
  }

  @Override
  public OutputStream create(String path) {
    return new FilterOutputStream(delegate.create(path)) {
      private long written;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] data, int offset, int len) throws IOException {
        written += len;
        if (written > failAfterBytes) {
          throw new IOException("injected fault: no space left after " + failAfterBytes + " bytes");
        }
        out.write(data, offset, len);
      }
    };
  }

  @Override
  public byte[] readAll(String path) {
    return delegate.readAll(path);
  }

  @Override
  public byte[] readRange(String path, long offset, int length) {
    return delegate.readRange(path, offset, length);
  }

  @Override
  public InputStream open(String path) {
    return delegate.open(path);
  }

  @Override
  public void write(String path, byte[] data) {
    delegate.write(path, data);
  }

  @Override
  public boolean putIfAbsent(String path, byte[] data) {
    return delegate.putIfAbsent(path, data);
  }

  @Override
  public Optional<FileStatus> status(String path) {
    return delegate.status(path);
  }

  @Override
  public List<FileStatus> list(String prefix) {
    return delegate.list(prefix);
  }

  @Override
  public List<FileStatus> listRecursively(String prefix) {
    return delegate.listRecursively(prefix);
  }

  @Override
  public boolean delete(String path) {
    return delegate.delete(path);
  }
}
