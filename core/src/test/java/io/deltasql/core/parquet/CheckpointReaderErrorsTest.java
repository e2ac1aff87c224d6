package io.deltasql.core.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not checkpoints are refused with XX001 and a message naming the file. */
class CheckpointReaderErrorsTest {
  private static final CheckpointReader READER = new CheckpointReader(LocalStorage.INSTANCE);

  @TempDir
  Path dir;

  @Test
  void truncatedCheckpoint() throws IOException {
    byte[] real = Files.readAllBytes(CheckpointReaderTest.checkpointPath("dv-partitioned-with-checkpoint", 10));
    Path half = dir.resolve("00000000000000000010.checkpoint.parquet");
    Files.write(half, Arrays.copyOf(real, real.length / 2));
    assertCorrupt(half, "not a readable Parquet file");

    Path tailCut = dir.resolve("tail-cut.checkpoint.parquet");
    Files.write(tailCut, Arrays.copyOf(real, real.length - 20));
    assertCorrupt(tailCut, "not a readable Parquet file");
  }

  @Test
  void fileThatIsNotParquet() throws IOException {
    Path text = dir.resolve("00000000000000000001.checkpoint.parquet");
    Files.writeString(text, "{\"add\":{\"path\":\"this is JSON, not Parquet\"}}\n");
    assertCorrupt(text, "not a readable Parquet file");

    Path empty = dir.resolve("empty.checkpoint.parquet");
    Files.write(empty, new byte[0]);
    assertCorrupt(empty, "not a readable Parquet file");
  }

  @Test
  void parquetFileWithoutAddColumn() {
    String path = dir.resolve("no-add.parquet").toString();
    ParquetFixtures.write(LocalStorage.INSTANCE, path, """
        message m {
          optional group protocol {
            optional int32 minReaderVersion;
            optional int32 minWriterVersion;
          }
        }""", row -> row.addGroup("protocol").append("minReaderVersion", 1).append("minWriterVersion", 2));
    assertCorrupt(Path.of(path), "has no 'add' column");
  }

  @Test
  void addColumnWithoutPath() {
    String path = dir.resolve("add-without-path.parquet").toString();
    ParquetFixtures.write(LocalStorage.INSTANCE, path, """
        message m {
          optional group add {
            optional int64 size;
            optional int64 modificationTime;
          }
        }""", row -> row.addGroup("add").append("size", 1L).append("modificationTime", 1L));
    assertCorrupt(Path.of(path), "column 'add' has no field 'path'");
  }

  @Test
  void rowWithNullRequiredValueNamesTheRow() {
    String path = dir.resolve("null-size.parquet").toString();
    ParquetFixtures.write(LocalStorage.INSTANCE, path, """
        message m {
          optional group add {
            optional binary path (STRING);
            optional int64 size;
            optional int64 modificationTime;
          }
        }""",
        row -> row.addGroup("add").append("path", "a").append("size", 1L).append("modificationTime", 1L),
        row -> row.addGroup("add").append("path", "b").append("modificationTime", 1L));
    DeltaException e = assertCorrupt(Path.of(path), "corrupt at row 2");
    assertTrue(e.getMessage().contains("'add.size' is null"), e.getMessage());
  }

  @Test
  void fieldOfTheWrongType() {
    String path = dir.resolve("text-version.parquet").toString();
    ParquetFixtures.write(LocalStorage.INSTANCE, path, """
        message m {
          optional group add {
            optional binary path (STRING);
            optional int64 size;
            optional int64 modificationTime;
          }
          optional group protocol {
            optional binary minReaderVersion (STRING);
            optional int32 minWriterVersion;
          }
        }""", row -> row.addGroup("protocol").append("minReaderVersion", "one").append("minWriterVersion", 2));
    assertCorrupt(Path.of(path), "corrupt at row 1");
  }

  @Test
  void missingFileIsAnIoError() {
    String path = dir.resolve("00000000000000000007.checkpoint.parquet").toString();
    DeltaException e = assertThrows(DeltaException.class, () -> READER.read(path));
    assertEquals(SqlState.IO_ERROR, e.state());
    assertTrue(e.getMessage().contains(path), e.getMessage());
  }

  private static DeltaException assertCorrupt(Path file, String expected) {
    DeltaException e = assertThrows(DeltaException.class, () -> readAll(file));
    assertEquals(SqlState.DATA_CORRUPTED, e.state(), e.getMessage());
    assertEquals("XX001", e.sqlState());
    assertTrue(e.getMessage().contains("'" + file + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    return e;
  }

  private static List<Action> readAll(Path file) {
    try (Stream<Action> actions = READER.read(file.toString())) {
      return actions.toList();
    }
  }

}
