package io.deltasql.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

  /**
   * {@code putIfAbsent} writes a hidden temporary file and links it: whether the link wins
   * (into a folder it had to create) or finds the name taken, the folder then holds only the
   * object, with the first bytes.
   */
  @Test
  void putIfAbsentLeavesOnlyTheObjectWhetherItWinsOrNot() throws IOException {
    Path log = dir.resolve("fresh").resolve("_delta_log");
    String commit = log.resolve("00000000000000000000.json").toString();
    assertTrue(LocalStorage.INSTANCE.putIfAbsent(commit, "mine".getBytes(StandardCharsets.UTF_8)));
    assertFalse(LocalStorage.INSTANCE.putIfAbsent(commit, "theirs".getBytes(StandardCharsets.UTF_8)));
    try (Stream<Path> files = Files.list(log)) {
      assertEquals(List.of("00000000000000000000.json"), files.map(p -> p.getFileName().toString()).toList());
    }
    assertArrayEquals("mine".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(Path.of(commit)));
  }

  @Override
  protected int largeObjectSize() {
    return 12 * 1024 * 1024;
  }
}
