package io.deltasql.core.storage;

import java.util.Objects;

/** What storage knows of one object: its full path, size in bytes and modification time (ms). */
public record FileStatus(String path, long size, long modificationTime) {
  public FileStatus {
    Objects.requireNonNull(path, "path");
  }

  /** The last segment of the path. */
  public String name() {
    return StoragePaths.name(path);
  }
}
