package io.deltasql.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Storage} promises, run against each implementation by a subclass: whole and
 * ranged reads, replacing writes, atomic put-if-absent under races, streamed writes that appear
 * only when closed (and never after an abort), status, directory-like listing in path order,
 * deletes, and failures as {@code 58030} naming the path.
 */
public abstract class StorageContract {
  protected Storage storage;
  /** A fresh, empty folder of the storage for each test. */
  protected String root;

  /** The storage under test. */
  protected abstract Storage openStorage();

  /** A new empty folder (location) for one test. */
  protected abstract String newRoot();

  /** Bytes that make {@link Storage#create} take its large-object path (multipart on S3). */
  protected abstract int largeObjectSize();

  @BeforeEach
  void openStorageAndRoot() {
    storage = openStorage();
    root = newRoot();
  }

  @AfterEach
  void closeStorage() {
    Storages.close(storage);
  }

  protected String path(String relative) {
    return StoragePaths.join(root, relative);
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  /** A store that can set an object's modification time keeps the one set; one that cannot says so. */
  @Test
  void setModificationTimeKeepsTheTimeWhereTheStoreCanSetIt() {
    String path = path("t/_delta_log/00000000000000000000.json");
    storage.write(path, bytes("{}"));
    long at = 1_700_000_000_123L;
    if (storage.setModificationTime(path, at)) {
      assertEquals(at, storage.status(path).orElseThrow().modificationTime());
    } else {
      assertTrue(storage.status(path).isPresent(), "the object is left as it was");
    }
  }

  @Test
  void writeThenReadAllAndOverwrite() {
    storage.write(path("a/one.json"), bytes("first"));
    assertArrayEquals(bytes("first"), storage.readAll(path("a/one.json")));
    storage.write(path("a/one.json"), bytes("second, longer"));
    assertArrayEquals(bytes("second, longer"), storage.readAll(path("a/one.json")));
    storage.write(path("a/empty"), new byte[0]);
    assertArrayEquals(new byte[0], storage.readAll(path("a/empty")));
  }

  @Test
  void readRangeReadsExactlyTheRangeAndLessOnlyAtTheEnd() {
    byte[] data = random(10_000, 1);
    storage.write(path("r.bin"), data);
    assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 350), storage.readRange(path("r.bin"), 100, 250));
    assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 1), storage.readRange(path("r.bin"), 0, 1));
    assertArrayEquals(java.util.Arrays.copyOfRange(data, 9_990, 10_000), storage.readRange(path("r.bin"), 9_990, 500));
    assertArrayEquals(new byte[0], storage.readRange(path("r.bin"), 10_000, 10));
    assertArrayEquals(new byte[0], storage.readRange(path("r.bin"), 20_000, 10));
    assertArrayEquals(new byte[0], storage.readRange(path("r.bin"), 5, 0));
  }

  @Test
  void readRangeIntoABufferReadsWhatTheArrayReadReads() {
    byte[] data = random(300_000, 3);
    storage.write(path("b.bin"), data);
    for (ByteBuffer buffer : List.of(ByteBuffer.allocate(250_000),
        ByteBuffer.allocateDirect(250_000))) {
      buffer.position(7);
      assertEquals(250_000 - 7, storage.readRange(path("b.bin"), 100, buffer));
      assertEquals(250_000, buffer.position());
      byte[] read = new byte[250_000 - 7];
      buffer.flip().position(7);
      buffer.get(read);
      assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 250_093), read);
    }
    ByteBuffer tail = ByteBuffer.allocate(500);
    assertEquals(10, storage.readRange(path("b.bin"), 299_990, tail), "fewer only at the end");
    assertArrayEquals(java.util.Arrays.copyOfRange(data, 299_990, 300_000), java.util.Arrays.copyOf(tail.array(), 10));
    DeltaException e = assertThrows(DeltaException.class,
        () -> storage.readRange(path("missing.bin"), 0, ByteBuffer.allocate(10)));
    assertEquals(SqlState.IO_ERROR, e.state());
  }

  @Test
  void openStreamsTheWholeObject() throws IOException {
    byte[] data = random(200_000, 2);
    storage.write(path("s.bin"), data);
    try (InputStream in = storage.open(path("s.bin"))) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void missingObjectsFailWith58030NamingThePath() {
    String missing = path("nope/missing.json");
    for (Runnable read : List.<Runnable>of(() -> storage.readAll(missing), () -> storage.readRange(missing, 0, 10),
        () -> storage.open(missing))) {
      DeltaException e = assertThrows(DeltaException.class, read::run);
      assertEquals(SqlState.IO_ERROR, e.state());
      assertTrue(e.getMessage().contains(missing), e.getMessage());
    }
  }

  @Test
  void putIfAbsentCreatesOnceAndNeverReplaces() {
    assertTrue(storage.atomicPutIfAbsent());
    assertTrue(storage.putIfAbsent(path("_delta_log/00000000000000000000.json"), bytes("mine")));
    assertFalse(storage.putIfAbsent(path("_delta_log/00000000000000000000.json"), bytes("theirs")));
    assertArrayEquals(bytes("mine"), storage.readAll(path("_delta_log/00000000000000000000.json")));
  }

  /**
   * Put-if-absent with a time: the new object carries it where the store can set one (as
   * {@link #setModificationTimeKeepsTheTimeWhereTheStoreCanSetIt} finds), a second put neither
   * replaces the object nor moves its time, and nothing else is left in the folder.
   */
  @Test
  void putIfAbsentWithATimeGivesItToTheNewObjectOnly() {
    String path = path("timed/_delta_log/00000000000000000000.json");
    long at = 1_700_000_000_123L;
    assertTrue(storage.putIfAbsent(path, bytes("mine"), at));
    boolean settable = probeSettable(at);
    long first = storage.status(path).orElseThrow().modificationTime();
    if (settable) {
      assertEquals(at, first);
    }
    assertFalse(storage.putIfAbsent(path, bytes("theirs"), at + 60_000));
    assertArrayEquals(bytes("mine"), storage.readAll(path));
    assertEquals(first, storage.status(path).orElseThrow().modificationTime(), "the time of the object that won");
    assertEquals(List.of(path), storage.list(path("timed/_delta_log")).stream().map(FileStatus::path).toList());
  }

  /** Whether this store keeps a modification time set on an object (a probe object of its own). */
  private boolean probeSettable(long at) {
    String probe = path("probe/settable");
    storage.write(probe, bytes("x"));
    boolean settable = storage.setModificationTime(probe, at);
    storage.delete(probe);
    return settable;
  }

  /** Eight writers race for each of ten names: exactly one wins each, and its bytes are what is stored. */
  @Test
  void putIfAbsentRacesHaveExactlyOneWinner() throws Exception {
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int k = 0; k < 10; k++) {
        String target = path("race/" + k + ".json");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          byte[] content = bytes("writer " + w);
          results.add(pool.submit(() -> {
            start.await();
            return storage.putIfAbsent(target, content);
          }));
        }
        start.countDown();
        List<Integer> winners = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          if (results.get(w).get()) {
            winners.add(w);
          }
        }
        assertEquals(1, winners.size(), "winners for " + target + ": " + winners);
        assertArrayEquals(bytes("writer " + winners.get(0)), storage.readAll(target));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void createPublishesOnlyOnClose() throws IOException {
    String target = path("data/part-0.parquet");
    try (OutputStream out = storage.create(target)) {
      out.write(bytes("PAR1"));
      out.write('x');
      out.flush();
      assertTrue(storage.status(target).isEmpty(), "visible before close");
      assertTrue(storage.list(path("data")).stream().noneMatch(f -> f.path().equals(target)), "listed before close");
    }
    assertArrayEquals(bytes("PAR1x"), storage.readAll(target));
  }

  @Test
  void createWritesLargeObjectsWhole() throws IOException {
    byte[] data = random(largeObjectSize(), 3);
    String target = path("data/large.parquet");
    try (OutputStream out = storage.create(target)) {
      for (int at = 0; at < data.length; at += 100_003) { // odd chunks, across part boundaries
        out.write(data, at, Math.min(100_003, data.length - at));
      }
      assertTrue(storage.status(target).isEmpty(), "visible before close");
    }
    assertEquals(data.length, storage.status(target).orElseThrow().size());
    assertArrayEquals(data, storage.readAll(target));
    assertArrayEquals(java.util.Arrays.copyOfRange(data, data.length - 8, data.length),
        storage.readRange(target, data.length - 8, 8), "a Parquet footer read");
  }

  @Test
  void writeOfALargeObjectIsWhole() {
    byte[] data = random(largeObjectSize(), 4);
    storage.write(path("big.bin"), data);
    assertArrayEquals(data, storage.readAll(path("big.bin")));
  }

  @Test
  void anAbortedStreamLeavesNothing() throws IOException {
    String small = path("data/aborted-small.parquet");
    String large = path("data/aborted-large.parquet");
    StorageOutputStream a = storage.create(small);
    a.write(bytes("partial"));
    StorageOutputStream b = storage.create(large);
    b.write(random(largeObjectSize(), 5)); // a large one has parts on the store already
    a.abort();
    b.abort();
    assertThrows(IOException.class, () -> b.write(1));
    b.close(); // a close after an abort publishes nothing
    assertTrue(storage.status(small).isEmpty());
    assertTrue(storage.status(large).isEmpty());
    assertEquals(List.of(), storage.listRecursively(root), "nothing at all, hidden or not");
  }

  @Test
  void statusOfObjectsFoldersAndMissingPaths() {
    long before = System.currentTimeMillis();
    storage.write(path("st/f.json"), bytes("12345"));
    FileStatus status = storage.status(path("st/f.json")).orElseThrow();
    assertEquals(path("st/f.json"), status.path());
    assertEquals(5, status.size());
    assertEquals("f.json", status.name());
    assertTrue(Math.abs(status.modificationTime() - before) < 60_000, "modification time " + status);
    assertTrue(storage.status(path("st/missing")).isEmpty());
    assertTrue(storage.status(path("st")).isEmpty(), "a folder is not an object");
  }

  @Test
  void listIsOneFolderLevelInPathOrder() {
    storage.write(path("t/_delta_log/00000000000000000001.json"), bytes("1"));
    storage.write(path("t/_delta_log/00000000000000000000.json"), bytes("0"));
    storage.write(path("t/_delta_log/00000000000000000000.checkpoint.parquet"), bytes("c"));
    storage.write(path("t/_delta_log/_sidecars/a.parquet"), bytes("sidecar"));
    storage.write(path("t/_delta_log_old/00000000000000000000.json"), bytes("not in the log"));
    storage.write(path("t/part-0.parquet"), bytes("data"));

    List<FileStatus> log = storage.list(path("t/_delta_log"));
    assertEquals(List.of(path("t/_delta_log/00000000000000000000.checkpoint.parquet"),
        path("t/_delta_log/00000000000000000000.json"), path("t/_delta_log/00000000000000000001.json")),
        log.stream().map(FileStatus::path).toList());
    assertEquals(List.of(1L, 1L, 1L), log.stream().map(FileStatus::size).toList());
    assertEquals(log, storage.list(path("t/_delta_log/")), "with or without the trailing slash");
    assertEquals(List.of(), storage.list(path("t/none")));
    assertEquals(List.of(path("t/_delta_log/00000000000000000000.checkpoint.parquet"),
        path("t/_delta_log/00000000000000000000.json"), path("t/_delta_log/00000000000000000001.json"),
        path("t/_delta_log/_sidecars/a.parquet"), path("t/_delta_log_old/00000000000000000000.json"),
        path("t/part-0.parquet")),
        storage.listRecursively(path("t")).stream().map(FileStatus::path).toList());
  }

  /** More objects than one page of an S3 listing (1,000). */
  @Test
  void listReturnsEveryObjectOfALargeFolder() {
    int count = 1_050;
    IntStream.range(0, count).parallel()
        .forEach(i -> storage.write(path("many/" + String.format("%020d", i) + ".json"), bytes("x")));
    List<String> listed = storage.list(path("many")).stream().map(FileStatus::name).toList();
    assertEquals(count, listed.size());
    assertEquals(IntStream.range(0, count).mapToObj(i -> String.format("%020d", i) + ".json").toList(), listed);
  }

  @Test
  void deleteSaysWhetherTheObjectExisted() {
    storage.write(path("d/x"), bytes("x"));
    assertTrue(storage.delete(path("d/x")));
    assertFalse(storage.delete(path("d/x")));
    assertTrue(storage.status(path("d/x")).isEmpty());
    assertEquals(List.of(), storage.list(path("d")));
  }
}
