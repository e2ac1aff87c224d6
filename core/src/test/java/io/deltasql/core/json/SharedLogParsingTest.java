package io.deltasql.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.Sidecar;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.json.SharedLogFiles.LogFile;
import io.deltasql.core.testing.SharedTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every line of every log file of every shared table, through the parser and back. */
class SharedLogParsingTest {
  /**
   * The lines of the shared logs that are not valid Delta actions: a {@code metaData} without
   * the {@code schemaString} the protocol requires. These tables test other things (commit
   * info, version gaps, a checkpoint without metadata); their readers never rely on that line.
   */
  private static final Set<String> LINES_WITHOUT_SCHEMA_STRING = Set.of(
      "deltalog-commit-info/_delta_log/00000000000000000000.json line 1",
      "deltalog-state-reconstruction-from-checkpoint-missing-metadata/_delta_log/"
          + "00000000000000000000.json line 3",
      "versions-not-contiguous/_delta_log/00000000000000000000.json line 3");

  /** Tables whose log was written by delta-rs, which orders fields its own way. */
  private static final Set<String> WRITTEN_BY_DELTA_RS =
      Set.of("app-txn-checkpoint", "checkpoint_with_partitions");

  /** A field that the forward-compatibility table adds to its actions; it is not kept. */
  private static final String UNKNOWN_FIELD = "some_new_column_in_add_action";

  @TestFactory
  Stream<DynamicTest> everyLineOfEveryLogFileParsesAndRoundTrips() {
    List<LogFile> files = SharedLogFiles.all();
    assertTrue(files.size() > 200, "the shared logs hold over 200 JSON files, found " + files.size());
    return files.stream().map(file -> DynamicTest.dynamicTest(file.name(), () -> checkFile(file)));
  }

  private static void checkFile(LogFile file) {
    List<String> lines = file.lines();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String source = file.name() + " line " + (i + 1);
      if (LINES_WITHOUT_SCHEMA_STRING.contains(source)) {
        DeltaException e = assertThrows(DeltaException.class, () -> ActionJson.parse(line, source));
        assertCorrupt(e, source, "metaData", "schemaString");
        continue;
      }
      Optional<Action> action = ActionJson.parse(line, source);
      action.ifPresent(a -> assertEquals(
          Optional.of(a), ActionJson.parse(ActionJson.write(a), source), source));
    }
  }

  @Test
  void wholeCommitFilesParseAndRoundTripThroughTheCommitWriter() {
    int commits = 0;
    for (LogFile file : SharedLogFiles.all()) {
      if (file.isV2Checkpoint() || LINES_WITHOUT_SCHEMA_STRING.stream()
          .anyMatch(s -> s.startsWith(file.name() + " "))) {
        continue;
      }
      List<Action> actions = CommitJson.parse(file.bytes(), file.name());
      if (actions.isEmpty()) {
        continue;
      }
      List<Action> commitInfoFirst = new ArrayList<>();
      actions.stream().filter(CommitInfo.class::isInstance).forEach(commitInfoFirst::add);
      actions.stream().filter(a -> !(a instanceof CommitInfo)).forEach(commitInfoFirst::add);
      assertEquals(commitInfoFirst,
          CommitJson.parse(CommitJson.write(actions), file.name()), file.name());
      commits++;
    }
    assertTrue(commits > 200, "commits checked: " + commits);
  }

  /** Our canonical form is Spark's: every non-commitInfo action Spark wrote comes back unchanged. */
  @Test
  void knownActionsWrittenBySparkAreWrittenBackByteForByte() {
    int checked = 0;
    List<String> different = new ArrayList<>();
    for (LogFile file : SharedLogFiles.all()) {
      if (WRITTEN_BY_DELTA_RS.contains(file.table())) {
        continue;
      }
      List<String> lines = file.lines();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String source = file.name() + " line " + (i + 1);
        if (line.isBlank() || LINES_WITHOUT_SCHEMA_STRING.contains(source)
            || line.contains(UNKNOWN_FIELD)) {
          continue;
        }
        Optional<Action> action = ActionJson.parse(line, source);
        if (action.isEmpty() || action.get() instanceof CommitInfo) {
          continue;
        }
        checked++;
        if (!ActionJson.write(action.get()).equals(line)) {
          different.add(source);
        }
      }
    }
    assertTrue(checked > 700, "lines checked: " + checked);
    assertEquals(List.of(), different);
  }

  @Test
  void unknownActionsAndUnknownFieldsAreIgnored() {
    Path log = SharedTables.table("transaction_log_schema_evolvability").resolve("_delta_log");
    LogFile v4 = new LogFile("transaction_log_schema_evolvability",
        log.resolve("00000000000000000004.json"));
    assertTrue(v4.lines().stream().anyMatch(l -> l.contains("some_new_action")));
    List<Action> actions = CommitJson.parse(v4.bytes(), v4.name());
    assertFalse(actions.isEmpty());

    LogFile v5 = new LogFile("transaction_log_schema_evolvability",
        log.resolve("00000000000000000005.json"));
    List<Action> withUnknownFields = CommitJson.parse(v5.bytes(), v5.name());
    List<AddFile> adds = withUnknownFields.stream()
        .filter(AddFile.class::isInstance).map(AddFile.class::cast).toList();
    assertEquals(2, adds.size());
    assertEquals(793, adds.get(0).size());
    assertTrue(adds.get(0).stats().orElseThrow().contains("numRecords"));
    assertEquals(Map.of(), adds.get(0).partitionValues());
  }

  @Test
  void v2CheckpointInJsonParses() {
    LogFile checkpoint = SharedLogFiles.all().stream()
        .filter(f -> f.table().equals("v2-checkpoint-json") && f.isV2Checkpoint())
        .findFirst().orElseThrow();
    List<Action> actions = CheckpointJson.parse(checkpoint.bytes(), checkpoint.name());
    assertEquals(5, actions.size());
    assertEquals(new CheckpointMetadata(2, Map.of()), actions.get(0));
    assertEquals(2, actions.stream().filter(Sidecar.class::isInstance).count());
    Protocol protocol = (Protocol) actions.get(3);
    assertEquals(Set.of("v2Checkpoint"), protocol.readerFeatures());
    assertInstanceOf(Metadata.class, actions.get(4));
    assertEquals(actions,
        CheckpointJson.parse(CheckpointJson.write(actions), checkpoint.name()));
  }

  @Test
  void stagedCommitsOfACatalogManagedTableParse() {
    List<LogFile> staged = SharedLogFiles.all().stream()
        .filter(f -> f.path().toString().contains("_staged_commits")).toList();
    assertEquals(2, staged.size());
    for (LogFile file : staged) {
      List<Action> actions = CommitJson.parse(file.bytes(), file.name());
      CommitInfo info = assertInstanceOf(CommitInfo.class, actions.get(0));
      assertTrue(info.inCommitTimestamp().isPresent(), file.name());
    }
  }

  static void assertCorrupt(DeltaException e, String... mentions) {
    assertEquals(SqlState.DATA_CORRUPTED, e.state());
    assertEquals("XX001", e.sqlState());
    for (String mention : mentions) {
      assertTrue(e.getMessage().contains(mention),
          "message should mention '" + mention + "': " + e.getMessage());
    }
  }
}
