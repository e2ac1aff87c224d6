package io.deltasql.core.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.LocalStorage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranged, seekable reads over storage, as Parquet's reader uses them. */
class StorageInputFileTest {
  private static final int SIZE = 3 * StorageSeekableInputStream.BUFFER_SIZE + 123;

  @TempDir
  Path dir;
  private final byte[] content = new byte[SIZE];
  private String path;

  @BeforeEach
  void writeContent() {
    for (int i = 0; i < SIZE; i++) {
      content[i] = (byte) (i * 31 + 7);
    }
    path = dir.resolve("data.bin").toString();
    LocalStorage.INSTANCE.write(path, content);
  }

  @Test
  void seeksAndReadsAnyRange() throws IOException {
    CountingStorage storage = new CountingStorage();
    StorageInputFile file = StorageInputFile.open(storage, path);
    assertEquals(SIZE, file.getLength());
    try (SeekableInputStream in = file.newStream()) {
      assertRange(in, SIZE - 8, 8);
      assertRange(in, 10, 100);
      assertRange(in, StorageSeekableInputStream.BUFFER_SIZE - 5, 10);
      assertRange(in, 1000, 2 * StorageSeekableInputStream.BUFFER_SIZE);
      in.seek(42);
      assertEquals(content[42] & 0xff, in.read());
      assertEquals(43, in.getPos());
    }
    assertEquals(0, storage.wholeReads.get());
  }

  @Test
  void largeReadsAreOneRangedRequest() throws IOException {
    CountingStorage storage = new CountingStorage();
    try (SeekableInputStream in = StorageInputFile.open(storage, path).newStream()) {
      in.seek(5);
      byte[] chunk = new byte[2 * StorageSeekableInputStream.BUFFER_SIZE];
      in.readFully(chunk);
      assertArrayEquals(Arrays.copyOfRange(content, 5, 5 + chunk.length), chunk);
    }
    assertEquals(1, storage.rangedReads.get());
  }

  /** A column chunk read into Parquet's buffer is one request, into the buffer itself. */
  @Test
  void largeBufferReadsAreOneRangedRequest() throws IOException {
    CountingStorage storage = new CountingStorage();
    try (SeekableInputStream in = StorageInputFile.open(storage, path).newStream()) {
      for (ByteBuffer chunk : new ByteBuffer[] {ByteBuffer.allocate(2 * StorageSeekableInputStream.BUFFER_SIZE),
          ByteBuffer.allocateDirect(StorageSeekableInputStream.BUFFER_SIZE)}) {
        long at = in.getPos() + 3;
        in.seek(at);
        in.readFully(chunk);
        assertEquals(at + chunk.capacity(), in.getPos());
        byte[] read = new byte[chunk.capacity()];
        chunk.flip().get(read);
        assertArrayEquals(Arrays.copyOfRange(content, (int) at, (int) at + read.length), read);
      }
      in.seek(SIZE - StorageSeekableInputStream.BUFFER_SIZE + 1);
      assertThrows(EOFException.class, () -> in.readFully(ByteBuffer.allocate(StorageSeekableInputStream.BUFFER_SIZE)));
    }
    assertEquals(3, storage.rangedReads.get());
  }

  /** Parquet reads the footer's length in the last 8 bytes, then the footer before them: one request. */
  @Test
  void theFooterLengthAndTheFooterBeforeItAreOneRequest() throws IOException {
    CountingStorage storage = new CountingStorage();
    try (SeekableInputStream in = StorageInputFile.open(storage, path).newStream()) {
      assertRange(in, SIZE - 8, 8);
      assertRange(in, SIZE - 5_000, 4_992);
    }
    assertEquals(1, storage.rangedReads.get());
  }

  @Test
  void readsIntoHeapAndDirectBuffers() throws IOException {
    try (SeekableInputStream in = StorageInputFile.open(LocalStorage.INSTANCE, path).newStream()) {
      in.seek(100);
      ByteBuffer heap = ByteBuffer.allocate(50);
      in.readFully(heap);
      assertArrayEquals(Arrays.copyOfRange(content, 100, 150), heap.array());
      ByteBuffer direct = ByteBuffer.allocateDirect(20);
      assertEquals(20, in.read(direct));
      direct.flip();
      byte[] copy = new byte[20];
      direct.get(copy);
      assertArrayEquals(Arrays.copyOfRange(content, 150, 170), copy);
    }
  }

  @Test
  void endOfFile() throws IOException {
    try (SeekableInputStream in = StorageInputFile.open(LocalStorage.INSTANCE, path).newStream()) {
      in.seek(SIZE - 2);
      byte[] buffer = new byte[10];
      assertEquals(2, in.read(buffer, 0, 10));
      assertEquals(-1, in.read());
      in.seek(SIZE - 2);
      EOFException e = assertThrows(EOFException.class, () -> in.readFully(new byte[10]));
      assertTrue(e.getMessage().contains(path), e.getMessage());
    }
  }

  @Test
  void parquetReadsTheFooterThroughStorage() throws IOException {
    CountingStorage storage = new CountingStorage();
    String checkpoint = CheckpointReaderTest.checkpointPath("dv-partitioned-with-checkpoint", 10).toString();
    try (ParquetFileReader reader = ParquetFileReader.open(StorageInputFile.open(storage, checkpoint))) {
      assertEquals(30, reader.getRecordCount());
    }
    assertTrue(storage.rangedReads.get() > 0);
    assertEquals(0, storage.wholeReads.get());
  }

  @Test
  void missingObjectIsAnIoError() {
    DeltaException e = assertThrows(DeltaException.class,
        () -> StorageInputFile.open(LocalStorage.INSTANCE, dir.resolve("nothing").toString()));
    assertEquals(SqlState.IO_ERROR, e.state());
  }

  private void assertRange(SeekableInputStream in, long offset, int length) throws IOException {
    in.seek(offset);
    byte[] read = new byte[length];
    in.readFully(read, 0, length);
    assertArrayEquals(Arrays.copyOfRange(content, (int) offset, (int) offset + length), read,
        "bytes at " + offset);
    assertEquals(offset + length, in.getPos());
  }
}
