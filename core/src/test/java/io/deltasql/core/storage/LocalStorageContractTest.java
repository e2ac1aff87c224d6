package io.deltasql.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on the local file system. */
class LocalStorageContractTest extends StorageContract {
  @TempDir
  Path dir;

  @Override
  protected Storage openStorage() {
    return LocalStorage.INSTANCE;
  }

  @Override
  protected String newRoot() {
    try {
      return Files.createDirectories(dir.resolve("root")).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected int largeObjectSize() {
    return 12 * 1024 * 1024;
  }
}
