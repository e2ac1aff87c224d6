package io.deltasql.core.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import org.apache.parquet.io.PositionOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes through storage become visible only when complete. */
class StorageOutputFileTest {
  private final Storage storage = LocalStorage.INSTANCE;

  @TempDir
  Path dir;

  @Test
  void objectAppearsOnCloseWithItsSize() throws IOException {
    String path = dir.resolve("out.parquet").toString();
    StorageOutputFile file = new StorageOutputFile(storage, path);
    try (PositionOutputStream out = file.create(0)) {
      out.write(new byte[] {1, 2, 3});
      out.write(4);
      assertEquals(4, out.getPos());
      assertTrue(storage.status(path).isEmpty(), "nothing visible before close");
    }
    assertArrayEquals(new byte[] {1, 2, 3, 4}, storage.readAll(path));
    assertEquals(4, file.bytesWritten());
    assertEquals(path, file.getPath());
  }

  @Test
  void createRefusesAnExistingObjectAndOverwriteReplacesIt() throws IOException {
    String path = dir.resolve("existing.parquet").toString();
    storage.write(path, new byte[] {9});
    assertThrows(FileAlreadyExistsException.class, () -> new StorageOutputFile(storage, path).create(0));
    try (PositionOutputStream out = new StorageOutputFile(storage, path).createOrOverwrite(0)) {
      out.write(new byte[] {7, 7});
    }
    assertArrayEquals(new byte[] {7, 7}, storage.readAll(path));
  }

  @Test
  void abandonedWritePublishesNothing() throws IOException {
    String path = dir.resolve("abandoned.parquet").toString();
    StorageOutputFile file = new StorageOutputFile(storage, path);
    PositionOutputStream out = file.createOrOverwrite(0);
    out.write(new byte[] {1, 2});
    file.abandon();
    assertThrows(IOException.class, () -> out.write(3));
    out.close();
    assertTrue(storage.status(path).isEmpty());
  }
}
