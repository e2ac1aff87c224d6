package io.deltasql.core.storage;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The only way deltasql reaches table data and {@code _delta_log} files. Paths are
 * absolute locations in this storage's own form ({@code /data/lake/t/part-0.parquet},
 * {@code s3://bucket/key}); use {@link StoragePaths} to join them, and {@link Storages} to
 * pick the storage of a location.
 *
 * <p>Nothing here assumes rename, directories or append, so that object stores can
 * implement it. Every failure is a {@link io.deltasql.core.errors.DeltaException}
 * ({@code 58030} for I/O errors) naming the path.
 */
public interface Storage {

  /** Reads the whole object. */
  byte[] readAll(String path);

  /** Reads {@code length} bytes at {@code offset} (fewer only at the end of the object). */
  byte[] readRange(String path, long offset, int length);

  /**
   * Reads {@code target.remaining()} bytes at {@code offset} into {@code target} (fewer only at
   * the end of the object), advancing its position; returns how many. This default reads through
   * {@link #readRange(String, long, int)}; a storage that fills the buffer itself saves allocating
   * and copying an array of that size.
   */
  default int readRange(String path, long offset, ByteBuffer target) {
    byte[] data = readRange(path, offset, target.remaining());
    target.put(data);
    return data.length;
  }

  /**
   * The size up to which a reader that needs only part of an object (some column chunks of a
   * Parquet file) reads it whole, in one request, rather than with a request per part: on a
   * local disk a ranged read costs a system call, so 256 KiB; an object store, where each
   * request waits for a first byte, overrides it with more.
   */
  default long wholeReadLimit(String path) {
    return 256 * 1024;
  }

  /** Opens the object for sequential reading. */
  InputStream open(String path);

  /** Writes the whole object, replacing any existing one. */
  void write(String path, byte[] data);

  /**
   * Writes the object only if none exists at {@code path}, atomically: of two concurrent
   * callers exactly one wins. Returns whether this call created it.
   */
  boolean putIfAbsent(String path, byte[] data);

  /**
   * {@link #putIfAbsent} of an object that is to carry the modification time {@code epochMillis}
   * where the store lets a writer choose it ({@link #setModificationTime}); returns whether this
   * call created it. An object that existed keeps its content and its time. By default,
   * put-if-absent, then the time; the local file system gives the time to the temporary file
   * before linking it into place, in fewer system calls, and the object never appears with
   * another time.
   */
  default boolean putIfAbsent(String path, byte[] data, long epochMillis) {
    if (!putIfAbsent(path, data)) {
      return false;
    }
    setModificationTime(path, epochMillis);
    return true;
  }

  /**
   * Whether {@link #putIfAbsent} is atomic against every other writer of the store, as its
   * contract asks. An object store that ignores conditional writes can only check, then write:
   * a writer racing in between goes unseen (the mirror then cannot detect a foreign commit
   * written at the same moment as its own; the catalog stays the source of truth).
   */
  default boolean atomicPutIfAbsent() {
    return true;
  }

  /**
   * Opens a stream that creates the object, replacing any existing one when it is closed.
   * Nothing is visible at {@code path} before the stream is closed successfully; a stream
   * that is {@link StorageOutputStream#abort() aborted}, or on which a write failed, leaves
   * nothing (see {@link StorageOutputStream}).
   */
  StorageOutputStream create(String path);

  /** Status of one object, if it exists. */
  Optional<FileStatus> status(String path);

  /**
   * Objects whose path starts with {@code prefix} (for the local file system: the files of
   * the directory {@code prefix}, not recursive), sorted by path.
   */
  List<FileStatus> list(String prefix);

  /** Objects whose path starts with {@code prefix}, at any depth, sorted by path. */
  List<FileStatus> listRecursively(String prefix);

  /** Deletes the object; returns whether it existed. */
  boolean delete(String path);

  /**
   * Sets the object's modification time, where the store lets a writer choose it; returns
   * whether it did. The mirror gives each commit file its in-commit timestamp, since readers
   * without in-commit timestamps (Delta Kernel, delta-standalone) resolve a timestamp to a
   * version by the commit file's modification time. The local file system can; an object store
   * such as S3 cannot (an object's time is when it was uploaded), and keeps this default.
   */
  default boolean setModificationTime(String path, long epochMillis) {
    return false;
  }
}
