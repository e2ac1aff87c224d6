package io.deltasql.core.testing;

import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StorageOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The local file system with an injected fault: streams from {@link #create} fail once
 * more than {@code failAfterBytes} bytes were written through them all, as a full disk or
 * a dropped connection would. Everything else goes to {@link LocalStorage}.
 */
public final class FailingStorage implements Storage {
  private final Storage delegate = LocalStorage.INSTANCE;
  private final long failAfterBytes;
  private final AtomicLong written = new AtomicLong();

  public FailingStorage(long failAfterBytes) {
    this.failAfterBytes = failAfterBytes;
  }

  /** Every file below {@code root}, hidden (temporary) ones included, as relative paths. */
  public static List<String> filesLeft(Path root) {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public StorageOutputStream create(String path) {
    StorageOutputStream out = delegate.create(path);
    return new StorageOutputStream() {
      private IOException failure;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] data, int offset, int len) throws IOException {
        if (written.addAndGet(len) > failAfterBytes) {
          failure = new IOException("injected fault: no space left after " + failAfterBytes + " bytes");
          throw failure;
        }
        out.write(data, offset, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      /** As {@link StorageOutputStream} requires: after a failed write, close publishes nothing and throws. */
      @Override
      public void close() throws IOException {
        if (failure != null) {
          out.abort();
          throw new IOException("Not published '" + path + "': an earlier write failed: " + failure.getMessage(),
              failure);
        }
        out.close();
      }

      @Override
      public void abort() {
        out.abort();
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
