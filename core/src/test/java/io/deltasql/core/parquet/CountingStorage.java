package io.deltasql.core.parquet;

import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StorageOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The local file system, counting what is read, to check that reads are ranged and pruned. */
public final class CountingStorage implements Storage {
  private final Storage delegate = LocalStorage.INSTANCE;
  public final AtomicLong rangedReads = new AtomicLong();
  public final AtomicLong bytesRead = new AtomicLong();
  public final AtomicLong wholeReads = new AtomicLong();
  /** {@link Storage#wholeReadLimit}: the local disk's unless a test sets an object store's. */
  public volatile long wholeReadLimit = LocalStorage.INSTANCE.wholeReadLimit("");

  @Override
  public long wholeReadLimit(String path) {
    return wholeReadLimit;
  }

  @Override
  public byte[] readAll(String path) {
    wholeReads.incrementAndGet();
    return delegate.readAll(path);
  }

  @Override
  public byte[] readRange(String path, long offset, int length) {
    byte[] data = delegate.readRange(path, offset, length);
    rangedReads.incrementAndGet();
    bytesRead.addAndGet(data.length);
    return data;
  }

  @Override
  public InputStream open(String path) {
    wholeReads.incrementAndGet();
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
  public StorageOutputStream create(String path) {
    return delegate.create(path);
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
