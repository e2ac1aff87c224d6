package io.deltasql.core.storage;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Storage} on the local file system. Whole-object writes go to a hidden temporary
 * file in the same folder and are then moved into place, so readers never see a partial
 * object; {@link #putIfAbsent} uses a hard link, which fails if the target exists (on a file
 * system without hard links: an exclusive create, then the write, which a reader may see half
 * done). Streams of
 * {@link #create} write such a temporary file too, which their abort deletes.
 */
public final class LocalStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStorage.class);

  private static final ExclusiveCreate FILE_SYSTEM = new ExclusiveCreate() {
    @Override
    public void link(Path target, Path existing) throws IOException {
      Files.createLink(target, existing);
    }

    @Override
    public OutputStream createNew(Path target) throws IOException {
      return Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
  };

  public static final LocalStorage INSTANCE = new LocalStorage(FILE_SYSTEM);
  private static final int WRITE_BUFFER_BYTES = 64 * 1024;

  private final ExclusiveCreate exclusive;

  /** A local storage whose {@link #putIfAbsent} creates through {@code exclusive} (tests; else {@link #INSTANCE}). */
  LocalStorage(ExclusiveCreate exclusive) {
    this.exclusive = exclusive;
  }

  @Override
  public byte[] readAll(String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException e) {
      throw failure("read", path, e);
    }
  }

  @Override
  public byte[] readRange(String path, long offset, int length) {
    try (FileChannel channel = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
      long available = Math.max(0, channel.size() - offset);
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, available));
      readAt(channel, offset, buffer);
      return buffer.array();
    } catch (IOException e) {
      throw failure("read", path, e);
    }
  }

  @Override
  public int readRange(String path, long offset, ByteBuffer target) {
    try (FileChannel channel = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
      return readAt(channel, offset, target);
    } catch (IOException e) {
      throw failure("read", path, e);
    }
  }

  /** Fills {@code target} from {@code offset} on, or up to the end of the file; how many bytes were read. */
  private static int readAt(FileChannel channel, long offset, ByteBuffer target) throws IOException {
    int start = target.position();
    long position = offset;
    while (target.hasRemaining()) {
      int n = channel.read(target, position);
      if (n < 0) {
        break;
      }
      position += n;
    }
    return target.position() - start;
  }

  @Override
  public InputStream open(String path) {
    try {
      return Files.newInputStream(Path.of(path));
    } catch (IOException e) {
      throw failure("open", path, e);
    }
  }

  @Override
  public void write(String path, byte[] data) {
    Path target = Path.of(path);
    Path temp = writeTemp(target, data);
    try {
      moveIntoPlace(temp, target);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw failure("write", path, e);
    }
  }

  @Override
  public boolean putIfAbsent(String path, byte[] data) {
    return putIfAbsent(Path.of(path), data, OptionalLong.empty());
  }

  /** The time goes to the temporary file, which the link then publishes with it. */
  @Override
  public boolean putIfAbsent(String path, byte[] data, long epochMillis) {
    return putIfAbsent(Path.of(path), data, OptionalLong.of(epochMillis));
  }

  /**
   * Seven system calls for the mirror's commit file (create, write and close the temporary
   * file, read and set its times, link, unlink), ten when the time was set on the published
   * file through NIO and the temporary file deleted with {@code deleteIfExists} (which looks
   * at the file before unlinking it).
   */
  private boolean putIfAbsent(Path target, byte[] data, OptionalLong epochMillis) {
    // No existence check first: the link fails if the target exists, and a commit file is
    // published once, so the check would cost every write a system call to spare a rare one.
    Path temp = writeTemp(target, data);
    try {
      if (epochMillis.isPresent()) {
        setModificationTime(temp, epochMillis.getAsLong());
      }
      exclusive.link(target, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | IOException e) {
      boolean created = putIfAbsentWithoutLinks(target, data, e);
      if (created && epochMillis.isPresent()) {
        setModificationTime(target, epochMillis.getAsLong());
      }
      return created;
    } finally {
      deleteQuietly(temp);
    }
  }

  /**
   * Fallback for file systems without hard links: exclusive create, then write. A write that
   * fails deletes the object it created, so that no partial object stays behind (the mirror
   * would find a commit file with other content and call the table diverged); a reader may
   * still see the object while it is written, which only a link avoids.
   */
  private boolean putIfAbsentWithoutLinks(Path target, byte[] data, Exception linkFailure) {
    OutputStream out;
    try {
      out = exclusive.createNew(target);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      e.addSuppressed(linkFailure);
      throw failure("write", target.toString(), e);
    }
    try (out) {
      out.write(data);
      return true;
    } catch (IOException e) {
      deleteQuietly(target);
      e.addSuppressed(linkFailure);
      throw failure("write", target.toString(), e);
    }
  }

  /**
   * The two exclusive creates {@link #putIfAbsent} publishes with: a seam for tests of file
   * systems without hard links, and of writes that fail.
   */
  interface ExclusiveCreate {
    /** Links {@code target} to {@code existing}; fails if {@code target} exists. */
    void link(Path target, Path existing) throws IOException;

    /** Creates {@code target} for writing; fails if it exists. */
    OutputStream createNew(Path target) throws IOException;
  }

  @Override
  public StorageOutputStream create(String path) {
    Path target = Path.of(path);
    Path temp = tempSibling(target);
    try {
      Files.createDirectories(target.getParent());
      // Buffered: Parquet writes a checkpoint in many small pieces, one system call each otherwise.
      OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW),
          WRITE_BUFFER_BYTES);
      return new LocalOutputStream(file, temp, target);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw failure("create", path, e);
    }
  }

  /** Writes a hidden temporary sibling; close moves it into place, abort (or a failed write) deletes it. */
  private static final class LocalOutputStream extends StorageOutputStream {
    private final OutputStream out;
    private final Path temp;
    private final Path target;
    private boolean done;
    private IOException failure;

    LocalOutputStream(OutputStream out, Path temp, Path target) {
      this.out = out;
      this.temp = temp;
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      ensureWritable();
      try {
        out.write(b);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ensureWritable();
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public void flush() throws IOException {
      ensureWritable();
      try {
        out.flush();
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      if (failure != null) {
        abort();
        throw new IOException("Not published '" + target + "': an earlier write failed: " + failure.getMessage(),
            failure);
      }
      done = true;
      try {
        out.close();
        moveIntoPlace(temp, target);
      } finally {
        deleteQuietly(temp);
      }
    }

    @Override
    public void abort() {
      if (done) {
        return;
      }
      done = true;
      try {
        out.close();
      } catch (IOException ignored) {
        // the temporary file goes anyway
      }
      deleteQuietly(temp);
    }

    private void ensureWritable() throws IOException {
      if (done) {
        throw new IOException("Cannot write '" + target + "': the stream is closed or aborted");
      }
      if (failure != null) {
        throw new IOException("Cannot write '" + target + "': an earlier write failed: " + failure.getMessage(),
            failure);
      }
    }

    private IOException failed(IOException e) {
      failure = e;
      return e;
    }
  }

  @Override
  public boolean setModificationTime(String path, long epochMillis) {
    return setModificationTime(Path.of(path), epochMillis);
  }

  /**
   * Through {@link java.io.File#setLastModified} (two system calls: the times are read, then
   * set), falling back to NIO, four calls, only to learn why it failed.
   */
  private static boolean setModificationTime(Path path, long epochMillis) {
    if (path.toFile().setLastModified(epochMillis)) {
      return true;
    }
    try {
      Files.setLastModifiedTime(path, java.nio.file.attribute.FileTime.fromMillis(epochMillis));
      return true;
    } catch (IOException e) {
      // the file is written all the same: only a reader's timestamp lookup (time travel by
      // timestamp without in-commit timestamps) is off, so say so and go on
      LOG.warn("could not set the modification time of {} to {}: {}", path, epochMillis, e.toString());
      return false;
    }
  }

  @Override
  public Optional<FileStatus> status(String path) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
      if (!attrs.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(new FileStatus(path, attrs.size(), attrs.lastModifiedTime().toMillis()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("stat", path, e);
    }
  }

  @Override
  public List<FileStatus> list(String prefix) {
    Path dir = Path.of(prefix);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return toStatuses(entries);
    } catch (IOException | UncheckedIOException e) {
      throw failure("list", prefix, e);
    }
  }

  @Override
  public List<FileStatus> listRecursively(String prefix) {
    Path dir = Path.of(prefix);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.walk(dir)) {
      return toStatuses(entries);
    } catch (IOException | UncheckedIOException e) {
      throw failure("list", prefix, e);
    }
  }

  @Override
  public boolean delete(String path) {
    try {
      return Files.deleteIfExists(Path.of(path));
    } catch (IOException e) {
      throw failure("delete", path, e);
    }
  }

  private static List<FileStatus> toStatuses(Stream<Path> entries) throws IOException {
    List<FileStatus> result = new ArrayList<>();
    for (Path p : (Iterable<Path>) entries::iterator) {
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(p, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        continue; // deleted while listing
      }
      if (attrs.isRegularFile()) {
        result.add(new FileStatus(p.toString(), attrs.size(), attrs.lastModifiedTime().toMillis()));
      }
    }
    result.sort(Comparator.comparing(FileStatus::path));
    return result;
  }

  /**
   * Writes {@code data} to a new hidden sibling of {@code target} and returns it. The folder
   * is created only when the write finds it missing: the mirror writes every commit file
   * into a folder that exists, and looking first cost each write a system call.
   */
  private static Path writeTemp(Path target, byte[] data) {
    Path temp = tempSibling(target);
    try {
      try {
        Files.write(temp, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (NoSuchFileException e) {
        Files.createDirectories(target.getParent());
        Files.write(temp, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
      return temp;
    } catch (IOException e) {
      deleteQuietly(temp);
      throw failure("write", target.toString(), e);
    }
  }

  /**
   * A hidden sibling named with 64 random bits. Created with {@code CREATE_NEW}, so a clash
   * (with another JVM's temporary file of the same target) fails the write instead of
   * mixing two writes; {@link ThreadLocalRandom} rather than {@link java.util.UUID}, whose
   * {@code SecureRandom} every thread of the JVM shares behind one lock.
   */
  private static Path tempSibling(Path target) {
    return target.resolveSibling("." + target.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Deletes a temporary file (or an object of ours that failed), best effort: a leftover hidden
   * temporary file is harmless. Through {@link java.io.File#delete}, which unlinks at once;
   * {@link Files#deleteIfExists} reads the file's attributes first, a system call more.
   */
  private static void deleteQuietly(Path path) {
    path.toFile().delete();
  }

  private static DeltaException failure(String what, String path, Exception e) {
    if (e instanceof NoSuchFileException) {
      return new DeltaException(SqlState.IO_ERROR, "Cannot " + what + " '" + path + "': no such file", e);
    }
    return new DeltaException(SqlState.IO_ERROR,
        "Cannot " + what + " '" + path + "': " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }
}
