package io.deltasql.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt, lying and hostile logs: each a clear error, or a correct read that ignores the lie. */
class DeltaLogHostileInputTest {
  @TempDir
  Path dir;

  private static DeltaLog open(Path root) {
    return DeltaLog.open(LocalStorage.INSTANCE, root.toString());
  }

  private static Path log(Path root, String name) {
    return root.resolve("_delta_log").resolve(name);
  }

  @Test
  void truncatedCommitIsCorruptAndNamed() throws IOException {
    Path root = SharedTables.copyToTemp("125-iterator-bug", dir);
    Path commit = log(root, "00000000000000000011.json");
    byte[] bytes = Files.readAllBytes(commit);
    Files.write(commit, Arrays.copyOf(bytes, bytes.length / 2));
    DeltaException e = assertThrows(DeltaException.class, () -> open(root).snapshot());
    assertEquals(SqlState.DATA_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("00000000000000000011.json"), e.getMessage());
  }

  @Test
  void garbageCheckpointIsCorruptAndNamed() throws IOException {
    Path root = SharedTables.copyToTemp("125-iterator-bug", dir);
    Files.write(log(root, "00000000000000000010.checkpoint.parquet"),
        "not parquet at all".getBytes(StandardCharsets.UTF_8));
    DeltaException e = assertThrows(DeltaException.class, () -> open(root).snapshot());
    assertEquals(SqlState.DATA_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("00000000000000000010.checkpoint.parquet"), e.getMessage());
  }

  @Test
  void lastCheckpointThatLiesIsIgnored() throws IOException {
    Snapshot truth = open(SharedTables.table("125-iterator-bug")).snapshot();
    Path root = SharedTables.copyToTemp("125-iterator-bug", dir);
    Files.writeString(log(root, "_last_checkpoint"), "{\"version\":50,\"size\":3}");
    Snapshot read = open(root).snapshot();
    assertEquals(truth.version(), read.version());
    assertEquals(truth.files().keySet(), read.files().keySet());
  }

  @Test
  void garbageLastCheckpointIsIgnored() throws IOException {
    Snapshot truth = open(SharedTables.table("125-iterator-bug")).snapshot();
    Path root = SharedTables.copyToTemp("125-iterator-bug", dir);
    Files.writeString(log(root, "_last_checkpoint"), "{\"version\":");
    assertEquals(truth.files().keySet(), open(root).snapshot().files().keySet());
  }

  @Test
  void incompleteMultiPartCheckpointFallsBackToCommits() throws IOException {
    Snapshot truth = open(SharedTables.table("multi-part-checkpoint")).snapshot();
    Path root = SharedTables.copyToTemp("multi-part-checkpoint", dir);
    Files.delete(log(root, "00000000000000000001.checkpoint.0000000002.0000000002.parquet"));
    Snapshot read = open(root).snapshot();
    assertEquals(1, read.version());
    assertEquals(truth.files().keySet(), read.files().keySet());
  }

  @Test
  void pathEscapingTheTableIsRefused() throws IOException {
    Path root = SharedTables.copyToTemp("time-travel-start-start20-start40", dir);
    Files.writeString(log(root, "00000000000000000003.json"),
        "{\"add\":{\"path\":\"../../outside.parquet\",\"partitionValues\":{},\"size\":1,"
            + "\"modificationTime\":1,\"dataChange\":true}}\n");
    DeltaException e = assertThrows(DeltaException.class, () -> open(root).snapshot());
    assertEquals(SqlState.DATA_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("escapes the table root"), e.getMessage());
    assertTrue(e.getMessage().contains("00000000000000000003.json"), e.getMessage());
  }

  @Test
  void versionOutOfRangeIsCorrupt() throws IOException {
    Path root = SharedTables.copyToTemp("time-travel-start-start20-start40", dir);
    Files.writeString(log(root, "99999999999999999999.json"), "{}\n");
    DeltaException e = assertThrows(DeltaException.class, () -> open(root));
    assertEquals(SqlState.DATA_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
  }

  @Test
  void farFutureCommitIsAGap() throws IOException {
    Path root = SharedTables.copyToTemp("time-travel-start-start20-start40", dir);
    Files.writeString(log(root, "00000000001000000000.json"), "{}\n");
    DeltaException e = assertThrows(DeltaException.class, () -> open(root).snapshot());
    assertEquals(SqlState.DATA_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("commit 3 is missing"), e.getMessage());
  }

  @Test
  void negativeVersionIsRefused() {
    DeltaException e = assertThrows(DeltaException.class,
        () -> open(SharedTables.table("125-iterator-bug")).snapshotAt(-1));
    assertEquals(SqlState.DATA_EXCEPTION, e.state());
  }
}
