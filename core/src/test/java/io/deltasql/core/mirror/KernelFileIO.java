package io.deltasql.core.mirror;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.deltasql.core.parquet.StorageInputFile;
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
 * A copy of the parquet tests' package-private {@code StorageFileIO}; both should move to
 * {@code io.deltasql.core.testing}.
 */
final class KernelFileIO implements FileIO {
  private final Storage storage;

  KernelFileIO(Storage storage) {
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
   * Kernel passes a length of 0 when it does not know it (it reads a commit's
   * {@code commitInfo} by path alone for in-commit timestamps); the stored length is used then.
   */
  @Override
  public InputFile newInputFile(String path, long length) {
    String resolved = resolvePath(path);
    long known = length > 0 ? length
        : storage.status(resolved).map(io.deltasql.core.storage.FileStatus::size).orElse(length);
    StorageInputFile file = new StorageInputFile(storage, resolved, known);
    return new InputFile() {
      @Override
      public long length() {
        return known;
      }

      @Override
      public String path() {
        return resolved;
      }

      @Override
      public SeekableInputStream newStream() {
        return new KernelStream(file.newStream());
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


  /** Kernel's seekable stream over our Parquet one. */
  private static final class KernelStream extends SeekableInputStream {
    private final org.apache.parquet.io.SeekableInputStream in;

    KernelStream(org.apache.parquet.io.SeekableInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }

    @Override
    public long getPos() throws IOException {
      return in.getPos();
    }

    @Override
    public void seek(long position) throws IOException {
      in.seek(position);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
      in.readFully(b, off, len);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
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
