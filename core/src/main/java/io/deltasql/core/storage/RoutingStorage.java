package io.deltasql.core.storage;

import io.deltasql.core.storage.s3.S3Location;
import io.deltasql.core.storage.s3.S3Storage;
import io.deltasql.core.storage.s3.S3StorageConfig;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@link Storage} for every location of a warehouse, which sends each path to the storage
 * of its scheme: {@code s3://} (also {@code s3a://}, {@code s3n://}) to one {@link S3Storage}
 * (which serves every bucket of its endpoint), a local path to {@link LocalStorage}. So a
 * warehouse on S3 can import a table from a local folder, and a local warehouse one from S3:
 * storage is chosen by location, table by table.
 *
 * <p>The S3 storage is opened (and its conditional writes probed) when the warehouse is on S3,
 * at {@link #open}; otherwise at the first S3 path, probed at that path's bucket. Another scheme
 * ({@code gs://}, {@code abfss://}) is refused with {@code 0A000}. Close it to release the S3
 * client. {@link #toString()} never shows credentials.
 */
public final class RoutingStorage implements Storage, AutoCloseable {
  private final S3StorageConfig s3Config;
  private S3Storage s3;

  private RoutingStorage(S3StorageConfig s3Config, S3Storage s3) {
    this.s3Config = s3Config;
    this.s3 = s3;
  }

  /**
   * The storage of a warehouse at {@code warehouse}, S3 configured by the {@code s3.*} keys of
   * {@code properties} (see {@link io.deltasql.core.storage.s3.S3Property}).
   *
   * @throws io.deltasql.core.errors.DeltaException {@code 22023} for invalid S3 settings,
   *     {@code 58030} if the warehouse's store cannot be reached
   */
  public static RoutingStorage open(String warehouse, Map<String, String> properties) {
    S3StorageConfig config = S3StorageConfig.fromProperties(properties);
    S3Storage s3 = S3Location.isS3(warehouse) ? S3Storage.open(config, warehouse) : null;
    return new RoutingStorage(config, s3);
  }

  /** The storage a path belongs to. */
  public Storage storageOf(String path) {
    if (S3Location.isS3(path)) {
      return s3(path);
    }
    Storages.localPath(path); // refuses other schemes
    return LocalStorage.INSTANCE;
  }

  private synchronized S3Storage s3(String path) {
    if (s3 == null) {
      S3Location at = S3Location.parse(path);
      s3 = S3Storage.open(s3Config, at.scheme() + "://" + at.bucket());
    }
    return s3;
  }

  /** The S3 storage, if one is open. */
  public synchronized Optional<S3Storage> s3() {
    return Optional.ofNullable(s3);
  }

  @Override
  public byte[] readAll(String path) {
    return storageOf(path).readAll(path);
  }

  @Override
  public byte[] readRange(String path, long offset, int length) {
    return storageOf(path).readRange(path, offset, length);
  }

  @Override
  public int readRange(String path, long offset, ByteBuffer target) {
    return storageOf(path).readRange(path, offset, target);
  }

  @Override
  public long wholeReadLimit(String path) {
    return storageOf(path).wholeReadLimit(path);
  }

  @Override
  public InputStream open(String path) {
    return storageOf(path).open(path);
  }

  @Override
  public void write(String path, byte[] data) {
    storageOf(path).write(path, data);
  }

  @Override
  public boolean putIfAbsent(String path, byte[] data) {
    return storageOf(path).putIfAbsent(path, data);
  }

  @Override
  public boolean putIfAbsent(String path, byte[] data, long epochMillis) {
    return storageOf(path).putIfAbsent(path, data, epochMillis);
  }

  /** Whether put-if-absent is atomic on every storage opened so far. */
  @Override
  public synchronized boolean atomicPutIfAbsent() {
    return s3 == null || s3.atomicPutIfAbsent();
  }

  @Override
  public StorageOutputStream create(String path) {
    return storageOf(path).create(path);
  }

  @Override
  public Optional<FileStatus> status(String path) {
    return storageOf(path).status(path);
  }

  @Override
  public List<FileStatus> list(String prefix) {
    return storageOf(prefix).list(prefix);
  }

  @Override
  public List<FileStatus> listRecursively(String prefix) {
    return storageOf(prefix).listRecursively(prefix);
  }

  @Override
  public boolean delete(String path) {
    return storageOf(path).delete(path);
  }

  @Override
  public boolean setModificationTime(String path, long epochMillis) {
    return storageOf(path).setModificationTime(path, epochMillis);
  }

  @Override
  public synchronized void close() {
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }

  /** The storages in use; credentials masked. */
  @Override
  public synchronized String toString() {
    return "RoutingStorage{local" + (s3 != null ? ", " + s3 : ", " + Objects.toString(s3Config)) + "}";
  }
}
