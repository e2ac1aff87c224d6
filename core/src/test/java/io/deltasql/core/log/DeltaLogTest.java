package io.deltasql.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.table.SnapshotBuilder;
import io.deltasql.core.testing.KernelFacts;
import io.deltasql.core.testing.SharedTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeltaLogTest {
  /** Readable tables whose log is fine but that our reader must still refuse, and why. */
  private static final Map<String, SqlState> ALSO_REFUSED = Map.of(
      // its metaData has no schemaString, which the protocol requires
      "deltalog-commit-info", SqlState.DATA_CORRUPTED);

  static Stream<String> readableTables() {
    return SharedTables.readable().stream().filter(t -> !ALSO_REFUSED.containsKey(t));
  }

  static Stream<Arguments> kernelFacts() {
    return KernelFacts.all().values().stream().map(f -> Arguments.of(f.table(), f));
  }

  private static DeltaLog open(String table) {
    return DeltaLog.open(LocalStorage.INSTANCE, SharedTables.table(table).toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelFacts")
  void latestSnapshotAgreesWithKernel(String table, KernelFacts.Fact fact) {
    Snapshot snapshot = open(table).snapshot();
    assertEquals(fact.version(), snapshot.version(), "version");
    assertEquals(fact.files(), snapshot.files().size(), "active files");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readableTables")
  void everyVersionFromCheckpointsEqualsIncrementalReplay(String table) {
    DeltaLog log = open(table);
    List<Snapshot> replayed = new ArrayList<>();
    log.replay(new DeltaLog.ReplayVisitor() {
      SnapshotBuilder builder;

      @Override
      public void base(Snapshot snapshot) {
        replayed.add(snapshot);
        builder = new SnapshotBuilder(snapshot);
      }

      @Override
      public void commit(long version, long timestamp, List<Action> actions) {
        replayed.add(builder.applyAll(actions).build(version, timestamp));
      }
    });
    assertEquals(log.latestVersion() - log.oldestVersion() + 1, replayed.size());
    for (Snapshot expected : replayed) {
      Snapshot direct = log.snapshotAt(expected.version());
      assertEquals(expected.protocol(), direct.protocol(), "protocol at " + expected.version());
      assertEquals(expected.metadata(), direct.metadata(), "metadata at " + expected.version());
      assertEquals(expected.files().keySet(), direct.files().keySet(), "file keys at " + expected.version());
      assertEquals(expected.appTransactions(), direct.appTransactions(), "txns at " + expected.version());
      assertEquals(expected.timestamp(), direct.timestamp(), "timestamp at " + expected.version());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.deltasql.core.testing.SharedTables#readable")
  void readableOrClearlyRefused(String table) {
    if (ALSO_REFUSED.containsKey(table)) {
      DeltaException e = assertThrows(DeltaException.class, () -> open(table).snapshot());
      assertEquals(ALSO_REFUSED.get(table), e.state(), e.getMessage());
    } else {
      assertTrue(open(table).snapshot().version() >= 0);
    }
  }

  @Test
  void noDeltaLogFolderIsNotATable() {
    DeltaException e = assertThrows(DeltaException.class, () -> open("no-delta-log-folder"));
    assertEquals(SqlState.UNDEFINED_TABLE, e.state());
    assertTrue(e.getMessage().contains("no-delta-log-folder"), e.getMessage());
  }

  @Test
  void readerVersionTooHighIsRefused() {
    DeltaException e = assertThrows(DeltaException.class,
        () -> open("deltalog-invalid-protocol-version").snapshot());
    assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
    assertTrue(e.getMessage().contains("reader version 99"), e.getMessage());
  }

  @Test
  void missingProtocolIsRefused() {
    DeltaException e = assertThrows(DeltaException.class,
        () -> open("deltalog-state-reconstruction-without-protocol").snapshot());
    assertEquals(SqlState.DATA_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("no protocol"), e.getMessage());
  }

  @Test
  void checkpointWithoutMetadataIsRefused() {
    DeltaException e = assertThrows(DeltaException.class,
        () -> open("deltalog-state-reconstruction-from-checkpoint-missing-metadata").snapshot());
    assertEquals(SqlState.DATA_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("no metaData"), e.getMessage());
  }

  @Test
  void gapInVersionsIsRefused() {
    DeltaException e = assertThrows(DeltaException.class, () -> open("versions-not-contiguous").snapshot());
    assertEquals(SqlState.DATA_CORRUPTED, e.state());
    assertTrue(e.getMessage().contains("commit 1 is missing"), e.getMessage());
    assertThrows(DeltaException.class, () -> open("versions-not-contiguous").oldestVersion());
  }

  @Test
  void catalogManagedTableIsRefused() {
    DeltaException e = assertThrows(DeltaException.class, () -> open("catalog-owned-preview").snapshot());
    assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
    assertTrue(e.getMessage().contains("catalogManaged"), e.getMessage());
  }

  @Test
  void logStartingAfterVersionZeroStartsAtItsCheckpoint() {
    DeltaLog log = open("checkpoint_with_partitions");
    assertEquals(2, log.oldestVersion());
    DeltaException e = assertThrows(DeltaException.class, () -> log.snapshotAt(1));
    assertEquals(SqlState.DATA_EXCEPTION, e.state());
    assertTrue(e.getMessage().contains("oldest version available is 2"), e.getMessage());
  }

  @Test
  void versionBeyondLatestIsRefused() {
    DeltaException e = assertThrows(DeltaException.class, () -> open("125-iterator-bug").snapshotAt(12));
    assertEquals(SqlState.DATA_EXCEPTION, e.state());
    assertTrue(e.getMessage().contains("latest version is 11"), e.getMessage());
  }
}
