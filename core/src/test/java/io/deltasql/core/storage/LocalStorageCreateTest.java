package io.deltasql.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.FailingStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Storage#create} on the local file system: a closed stream publishes the whole
 * object and leaves no temporary file; an aborted or failed one publishes nothing and
 * leaves nothing, whatever the caller does with the stream afterwards.
 */
class LocalStorageCreateTest {
  private final Storage storage = LocalStorage.INSTANCE;

  @TempDir
  Path dir;

  @Test
  void closePublishesTheObjectAndLeavesNoTemporaryFile() throws IOException {
    String path = dir.resolve("sub/object.bin").toString();
    try (StorageOutputStream out = storage.create(path)) {
      out.write(new byte[] {1, 2, 3});
      assertTrue(storage.status(path).isEmpty(), "nothing visible before close");
    }
    assertArrayEquals(new byte[] {1, 2, 3}, storage.readAll(path));
    assertEquals(List.of("sub/object.bin"), FailingStorage.filesLeft(dir));
  }

  @Test
  void abortPublishesNothingAndLeavesNoTemporaryFile() throws IOException {
    String path = dir.resolve("aborted.bin").toString();
    StorageOutputStream out = storage.create(path);
    out.write(new byte[] {1, 2});
    assertEquals(1, FailingStorage.filesLeft(dir).size(), "the write goes to a temporary file");
    out.abort();
    out.abort();
    assertThrows(IOException.class, () -> out.write(3));
    out.close();
    assertTrue(storage.status(path).isEmpty());
    assertEquals(List.of(), FailingStorage.filesLeft(dir));
  }

  @Test
  void abortDoesNotReplaceAnExistingObject() throws IOException {
    String path = dir.resolve("existing.bin").toString();
    storage.write(path, new byte[] {9});
    StorageOutputStream out = storage.create(path);
    out.write(new byte[] {1, 2});
    out.abort();
    assertArrayEquals(new byte[] {9}, storage.readAll(path));
    assertEquals(List.of("existing.bin"), FailingStorage.filesLeft(dir));
  }

  @Test
  void abortAfterCloseKeepsThePublishedObject() throws IOException {
    String path = dir.resolve("kept.bin").toString();
    StorageOutputStream out = storage.create(path);
    out.write(7);
    out.close();
    out.abort();
    assertArrayEquals(new byte[] {7}, storage.readAll(path));
  }

  /** A write failing half-way (a full disk): a later close, as try-with-resources does, must not publish. */
  @Test
  void closeAfterAFailedWritePublishesNothing() throws IOException {
    Path folder = dir.resolve("full");
    String path = folder.resolve("partial.bin").toString();
    StorageOutputStream out = new FailingStorage(4).create(path);
    out.write(new byte[] {1, 2, 3});
    assertThrows(IOException.class, () -> out.write(new byte[] {4, 5}));
    IOException e = assertThrows(IOException.class, out::close);
    assertTrue(e.getMessage().contains("earlier write failed"), e.getMessage());
    assertTrue(storage.status(path).isEmpty());
    assertEquals(List.of(), FailingStorage.filesLeft(folder));
  }

  @Test
  void aCloseThatCannotPublishThrowsAndLeavesNothing() throws IOException {
    String path = dir.resolve("closed-underneath.bin").toString();
    StorageOutputStream out = storage.create(path);
    out.write(1);
    // The temporary file vanishes under the stream (someone cleaned the folder): close cannot
    // move it into place, so it must throw rather than report a published object.
    for (String left : FailingStorage.filesLeft(dir)) {
      Files.delete(dir.resolve(left));
    }
    assertThrows(IOException.class, out::close);
    assertTrue(storage.status(path).isEmpty());
    assertEquals(List.of(), FailingStorage.filesLeft(dir));
  }
}
