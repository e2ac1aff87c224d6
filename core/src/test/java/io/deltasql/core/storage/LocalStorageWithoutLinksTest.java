package io.deltasql.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.testing.FailingStorage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalStorage#putIfAbsent} on a file system without hard links (the link refused, as
 * such a file system does): the exclusive create publishes the object once, with its time; a
 * second put finds it and leaves it alone; a create or a write that fails throws {@code 58030}
 * and leaves neither the temporary file nor a partial object behind.
 */
class LocalStorageWithoutLinksTest {
  private static final byte[] MINE = "mine".getBytes(StandardCharsets.UTF_8);
  private static final byte[] THEIRS = "theirs".getBytes(StandardCharsets.UTF_8);
  private static final long TIME = 1_764_720_000_000L;

  @TempDir
  Path dir;

  private final AtomicInteger linksRefused = new AtomicInteger();

  /** No hard links; objects created by {@code create}. */
  private LocalStorage withoutLinks(Create create) {
    return new LocalStorage(new LocalStorage.ExclusiveCreate() {
      @Override
      public void link(Path target, Path existing) {
        linksRefused.incrementAndGet();
        throw new UnsupportedOperationException("no hard links on this file system");
      }

      @Override
      public OutputStream createNew(Path target) throws IOException {
        return create.createNew(target);
      }
    });
  }

  private LocalStorage withoutLinks() {
    return withoutLinks(target -> Files.newOutputStream(target, StandardOpenOption.CREATE_NEW));
  }

  @Test
  void createsTheObjectOnceWithItsTimeAndLeavesNoTemporaryFile() throws IOException {
    LocalStorage storage = withoutLinks();
    String commit = dir.resolve("t/_delta_log/00000000000000000000.json").toString();

    assertTrue(storage.putIfAbsent(commit, MINE, TIME));

    assertEquals(1, linksRefused.get(), "the link was tried first");
    assertArrayEquals(MINE, Files.readAllBytes(Path.of(commit)));
    assertEquals(TIME, storage.status(commit).orElseThrow().modificationTime());
    assertEquals(List.of("t/_delta_log/00000000000000000000.json"), FailingStorage.filesLeft(dir));
  }

  @Test
  void anObjectThatExistsIsLeftAloneAndNoTemporaryFileStays() throws IOException {
    LocalStorage storage = withoutLinks();
    String commit = dir.resolve("00000000000000000001.json").toString();
    assertTrue(storage.putIfAbsent(commit, MINE));

    assertFalse(storage.putIfAbsent(commit, THEIRS));
    assertFalse(storage.putIfAbsent(commit, THEIRS, TIME));

    assertArrayEquals(MINE, Files.readAllBytes(Path.of(commit)));
    assertEquals(List.of("00000000000000000001.json"), FailingStorage.filesLeft(dir));
  }

  /** A disk that fills half-way through the object: no partial object, which the mirror would take for a foreign commit. */
  @Test
  void aWriteThatFailsLeavesNeitherTheObjectNorTheTemporaryFile() {
    LocalStorage storage = withoutLinks(target -> new FilterOutputStream(
        Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, 2);
        throw new IOException("No space left on device");
      }
    });
    String commit = dir.resolve("00000000000000000002.json").toString();

    DeltaException e = assertThrows(DeltaException.class, () -> storage.putIfAbsent(commit, MINE));

    assertEquals(SqlState.IO_ERROR, e.state());
    assertTrue(e.getMessage().contains("Cannot write '" + commit + "'") && e.getMessage().contains("No space left"),
        e.getMessage());
    assertEquals(List.of(), FailingStorage.filesLeft(dir));
    assertTrue(withoutLinks().putIfAbsent(commit, MINE), "a retry, once the disk has room, creates the object");
    assertArrayEquals(MINE, storage.readAll(commit));
  }

  @Test
  void aCreateThatFailsThrowsAndLeavesNoTemporaryFile() {
    LocalStorage storage = withoutLinks(target -> {
      throw new AccessDeniedException(target.toString());
    });
    String commit = dir.resolve("00000000000000000003.json").toString();

    DeltaException e = assertThrows(DeltaException.class, () -> storage.putIfAbsent(commit, MINE));

    assertEquals(SqlState.IO_ERROR, e.state());
    assertEquals(1, e.getCause().getSuppressed().length, "the link's failure is kept with the cause");
    assertEquals(List.of(), FailingStorage.filesLeft(dir));
  }

  /** How the test creates an object exclusively. */
  @FunctionalInterface
  private interface Create {
    OutputStream createNew(Path target) throws IOException;
  }
}
