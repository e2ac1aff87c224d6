package io.deltasql.core.testing;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.deltasql.core.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Delta Kernel's file access over our {@link Storage}, so that Kernel's default engine
 * runs without a Hadoop file system. (In {@code core}'s test classpath, hadoop-common
 * 3.4.2 shadows the shaded hadoop-client-api 3.4.0 Kernel expects, and
 * {@code DefaultEngine.create(Configuration)} fails with
 * {@code NoClassDefFoundError: org/apache/commons/configuration2/Configuration}.)
 * Shared by every test that reads our tables with Kernel; files are read whole into memory
 * (test tables are small), one storage read per file.
 */
public final class KernelFileIO implements FileIO {
  private final Storage storage;

  public KernelFileIO(Storage storage) {
    this.storage = storage;
  }

  /** Files of the folder of {@code filePath} whose path sorts at or after it. */
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

  /**
   * The whole file in memory. Kernel passes a length of 0 (or -1) when it does not know it (it
   * reads a commit's {@code commitInfo} by path alone for in-commit timestamps); the stored
   * length is used then. A missing file is a {@link FileNotFoundException}, as Kernel expects.
   */
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
        return length > 0 ? length : bytes().length;
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
    String resolved = resolvePath(path);
    return new OutputFile() {
      @Override
      public String path() {
        return resolved;
      }

      @Override
      public PositionOutputStream create(boolean putIfAbsent) throws IOException {
        if (putIfAbsent && storage.status(resolved).isPresent()) {
          throw new FileAlreadyExistsException(resolved);
        }
        return new KernelOutputStream(storage.create(resolved));
      }

      @Override
      public void writeAtomically(CloseableIterator<String> lines, boolean overwrite) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (lines) {
          while (lines.hasNext()) {
            data.write((lines.next() + "\n").getBytes(StandardCharsets.UTF_8));
          }
        }
        if (overwrite) {
          storage.write(resolved, data.toByteArray());
        } else if (!storage.putIfAbsent(resolved, data.toByteArray())) {
          throw new FileAlreadyExistsException(resolved);
        }
      }
    };
  }

  @Override
  public boolean delete(String path) {
    return storage.delete(resolvePath(path));
  }

  @Override
  public Optional<String> getConf(String key) {
    return Optional.empty();
  }

  /** Kernel's positioned output stream over a storage stream. */
  private static final class KernelOutputStream extends PositionOutputStream {
    private final OutputStream out;
    private long position;

    KernelOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
