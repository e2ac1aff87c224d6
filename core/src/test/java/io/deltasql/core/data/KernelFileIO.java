package io.deltasql.core.data;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.deltasql.core.storage.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Read-only file access for Delta Kernel's default engine over our {@link Storage} (the idea of
 * the parquet package's {@code StorageFileIO}: Kernel's Hadoop engine does not start on
 * {@code core}'s test classpath).
 */
final class KernelFileIO implements FileIO {
  private final Storage storage;

  KernelFileIO(Storage storage) {
    this.storage = storage;
  }

  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    String path = resolvePath(filePath);
    String folder = path.substring(0, path.lastIndexOf('/'));
    List<io.deltasql.core.storage.FileStatus> listed = storage.list(folder);
    if (listed.isEmpty()) {
      throw new FileNotFoundException("No files in " + folder);
    }
    Iterator<FileStatus> files = listed.stream()
        .filter(f -> f.path().compareTo(path) >= 0)
        .map(f -> FileStatus.of(f.path(), f.size(), f.modificationTime()))
        .iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return files.hasNext();
      }

      @Override
      public FileStatus next() {
        return files.next();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    String resolved = resolvePath(path);
    io.deltasql.core.storage.FileStatus status = storage.status(resolved)
        .orElseThrow(() -> new FileNotFoundException(resolved));
    return FileStatus.of(status.path(), status.size(), status.modificationTime());
  }

  @Override
  public String resolvePath(String path) {
    String plain = path.startsWith("file:") ? URI.create(path).getPath() : path;
    return Path.of(plain).toAbsolutePath().normalize().toString();
  }

  @Override
  public boolean mkdirs(String path) {
    return true;
  }

  /** The whole file in memory (test tables are small): one storage read per file. */
  @Override
  public InputFile newInputFile(String path, long length) {
    String resolved = resolvePath(path);
    return new InputFile() {
      private byte[] bytes;

      private byte[] bytes() throws IOException {
        if (bytes == null) {
          if (storage.status(resolved).isEmpty()) {
            throw new FileNotFoundException(resolved);
          }
          bytes = storage.readAll(resolved);
        }
        return bytes;
      }

      @Override
      public long length() throws IOException {
        return length >= 0 ? length : bytes().length;
      }

      @Override
      public String path() {
        return resolved;
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        byte[] data = bytes();
        return new SeekableInputStream() {
          private int position;

          @Override
          public int read() {
            return position < data.length ? data[position++] & 0xFF : -1;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (position >= data.length) {
              return -1;
            }
            int n = Math.min(len, data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
          }

          @Override
          public long getPos() {
            return position;
          }

          @Override
          public void seek(long newPosition) {
            position = Math.toIntExact(newPosition);
          }

          @Override
          public void readFully(byte[] b, int off, int len) throws IOException {
            if (position + len > data.length) {
              throw new java.io.EOFException(resolved);
            }
            System.arraycopy(data, position, b, off, len);
            position += len;
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  @Override
  public OutputFile newOutputFile(String path) {
    throw new UnsupportedOperationException("read-only: " + path);
  }

  @Override
  public boolean delete(String path) {
    throw new UnsupportedOperationException("read-only: " + path);
  }

  @Override
  public Optional<String> getConf(String key) {
    return Optional.empty();
  }
}
