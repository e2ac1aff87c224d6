package io.deltasql.core.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.actions.Sidecar;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reads the checkpoints that Delta Spark, Databricks and delta-rs wrote for the shared tables. */
class CheckpointReaderTest {
  private static final CheckpointReader READER = new CheckpointReader(LocalStorage.INSTANCE);

  static List<Path> checkpointFiles() {
    return SharedCheckpoints.allParquetFiles();
  }

  @ParameterizedTest
  @MethodSource("checkpointFiles")
  void everyRowOfEveryCheckpointFileIsAnAction(Path file) throws IOException {
    long rows;
    try (ParquetFileReader parquet = ParquetFileReader.open(
        StorageInputFile.open(LocalStorage.INSTANCE, file.toString()))) {
      rows = parquet.getRecordCount();
    }
    assertTrue(rows > 0, file + " has rows");
    assertEquals(rows, read(file, CheckpointProjection.ALL).size(), "actions of " + file);
  }

  static Stream<Arguments> tablesWithLastCheckpoint() {
    return SharedTables.all().stream()
        .flatMap(t -> SharedCheckpoints.lastCheckpoint(t).map(j -> Arguments.of(t, j)).stream());
  }

  /**
   * {@code _last_checkpoint} says how many actions and adds the checkpoint holds; every
   * file of the checkpoint (parts, V2 manifest and sidecars) together must agree. Two
   * tables carry a {@code size} that does not count the checkpoint's rows:
   * {@code checkpoint_with_partitions} (delta-rs 0.4.1 wrote the byte size there) and
   * {@code deltalog-state-reconstruction-from-checkpoint-missing-metadata} (the test
   * table's checkpoint had its metadata row deleted, so it is one row short on purpose).
   */
  @ParameterizedTest
  @MethodSource("tablesWithLastCheckpoint")
  void checkpointAgreesWithLastCheckpointFile(String table, JsonNode last) {
    List<Action> actions = SharedCheckpoints.checkpointActions(table, last.get("version").asLong());
    if (last.has("numOfAddFiles")) {
      assertEquals(last.get("numOfAddFiles").asLong(), count(actions, AddFile.class), table);
    }
    if (!Set.of("checkpoint_with_partitions",
        "deltalog-state-reconstruction-from-checkpoint-missing-metadata").contains(table)) {
      assertEquals(last.get("size").asLong(), actions.size(), table);
    }
  }

  static Stream<Arguments> checkpointsWithFullHistory() {
    return SharedTables.all().stream().flatMap(table -> {
      Path log = SharedTables.table(table).resolve("_delta_log");
      if (!Files.exists(log.resolve("00000000000000000000.json"))) {
        return Stream.empty();
      }
      return SharedCheckpoints.list(log).stream()
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d{20}\\.checkpoint\\..*"))
          .map(n -> Long.parseLong(n.substring(0, 20)))
          .distinct()
          .map(v -> Arguments.of(table, v));
    });
  }

  /** The checkpoint at v lists exactly the files that replaying the JSON commits 0..v gives. */
  @ParameterizedTest
  @MethodSource("checkpointsWithFullHistory")
  void checkpointFilesEqualJsonReplay(String table, long version) {
    Map<FileKey, JsonNode> expected = JsonLogReplay.activeFiles(table, version);
    Map<FileKey, AddFile> actual = SharedCheckpoints.checkpointActions(table, version).stream()
        .filter(AddFile.class::isInstance).map(AddFile.class::cast)
        .collect(Collectors.toMap(AddFile::fileKey, Function.identity()));
    assertEquals(expected.keySet(), actual.keySet(), table + " @ " + version);
    expected.forEach((key, json) -> {
      AddFile add = actual.get(key);
      assertEquals(json.get("size").asLong(), add.size(), key.toString());
      assertEquals(SharedCheckpoints.JSON.convertValue(json.get("partitionValues"), Map.class),
          add.partitionValues(), key.toString());
    });
  }

  @Test
  void deletionVectorTableCheckpoint() {
    List<Action> actions = read("dv-partitioned-with-checkpoint", 10, CheckpointProjection.ALL);
    assertEquals(new Protocol(3, 7, Set.of("deletionVectors"), Set.of("deletionVectors")),
        only(actions, Protocol.class));
    Metadata metadata = only(actions, Metadata.class);
    assertEquals("testId", metadata.id());
    assertEquals(List.of("part"), metadata.partitionColumns());
    assertEquals(Map.of("delta.enableDeletionVectors", "true"), metadata.configuration());
    assertEquals(Optional.of(1688691715853L), metadata.createdTime());
    assertTrue(metadata.schemaString().contains("\"name\":\"col2\",\"type\":\"string\""));

    List<AddFile> adds = all(actions, AddFile.class);
    assertEquals(18, adds.size());
    assertEquals(10, count(actions, RemoveFile.class));
    List<AddFile> withDv = adds.stream().filter(a -> a.deletionVector().isPresent()).toList();
    assertEquals(3, withDv.size());
    AddFile dvFile = withDv.stream()
        .filter(a -> a.path().equals("part=0/part-00000-8387c699-30b1-4734-a791-9278d560ec19.c000.snappy.parquet"))
        .findFirst().orElseThrow();
    assertEquals(new DeletionVectorDescriptor("u", "Zcq?bs*HKQWCB[Sjf[.o", Optional.of(1), 36, 2),
        dvFile.deletionVector().orElseThrow());
    assertEquals(Map.of("part", "0"), dvFile.partitionValues());
    assertTrue(dvFile.stats().orElseThrow().contains("\"tightBounds\":"), dvFile.stats().toString());
    assertTrue(all(actions, RemoveFile.class).stream().anyMatch(r -> r.deletionVector().isPresent()));
  }

  @Test
  void v2ParquetManifestListsItsSidecars() throws IOException {
    String table = "v2-checkpoint-parquet";
    JsonNode last = SharedCheckpoints.lastCheckpoint(table).orElseThrow().get("v2Checkpoint");
    Path log = SharedTables.table(table).resolve("_delta_log");
    List<Action> manifest = read(log.resolve(last.get("path").asText()), CheckpointProjection.ALL);

    assertEquals(new CheckpointMetadata(2, Map.of()), only(manifest, CheckpointMetadata.class));
    assertEquals(new Protocol(3, 7, Set.of("v2Checkpoint"),
        Set.of("v2Checkpoint", "appendOnly", "invariants")), only(manifest, Protocol.class));
    Metadata metadata = only(manifest, Metadata.class);
    assertEquals("7e2a1106-198b-4653-a612-2aa44685cb27", metadata.id());
    assertEquals(Map.of("delta.checkpointInterval", "2", "delta.checkpointPolicy", "v2"),
        metadata.configuration());
    assertEquals(0, count(manifest, AddFile.class) + count(manifest, RemoveFile.class));

    List<Sidecar> sidecars = all(manifest, Sidecar.class);
    assertEquals(2, sidecars.size());
    for (int i = 0; i < 2; i++) {
      JsonNode expected = last.get("sidecarFiles").get(i);
      Sidecar sidecar = sidecars.get(i);
      assertEquals(expected.get("path").asText(), sidecar.path());
      assertEquals(expected.get("sizeInBytes").asLong(), sidecar.sizeInBytes());
      assertEquals(expected.get("modificationTime").asLong(), sidecar.modificationTime());
      Path file = Path.of(CheckpointReader.sidecarPath(log.toString(), sidecar));
      assertEquals(log.resolve("_sidecars").resolve(sidecar.path()), file);
      assertEquals(Files.size(file), sidecar.sizeInBytes());
    }
  }

  @Test
  void deltaRsCheckpointWithAppTransactions() {
    List<Action> actions = read("app-txn-checkpoint", 1, CheckpointProjection.ALL);
    assertEquals(Set.of(new SetTransaction("my-app", 3, Optional.empty()),
        new SetTransaction("my-app2", 2, Optional.empty())), Set.copyOf(all(actions, SetTransaction.class)));
    Metadata metadata = only(actions, Metadata.class);
    assertEquals("e7802058-f49c-4f0b-937f-82a3e42781a3", metadata.id());
    assertEquals(List.of("modified"), metadata.partitionColumns());
    assertEquals(Optional.of(1713400874275L), metadata.createdTime());
    AddFile add = all(actions, AddFile.class).stream()
        .filter(a -> a.path().contains("f968feb7")).findFirst().orElseThrow();
    assertEquals(Map.of("modified", "2021-02-02"), add.partitionValues());
    assertEquals(789, add.size());
    assertEquals(1713400874285L, add.modificationTime());
    assertEquals(SharedCheckpoints.JSON.valueToTree(Map.of("numRecords", 3,
            "minValues", Map.of("id", "A", "value", 1), "maxValues", Map.of("id", "B", "value", 3),
            "nullCount", Map.of("id", 0, "value", 0))),
        json(add.stats().orElseThrow()));
  }

  @Test
  void checkpointOfDelta010() {
    List<Action> actions = read("delta-0.1.0", 3, CheckpointProjection.ALL);
    assertEquals(new Protocol(1, 1), only(actions, Protocol.class));
    Metadata metadata = only(actions, Metadata.class);
    assertEquals("2edf2c02-bb63-44e9-a84c-517fad0db296", metadata.id());
    assertEquals(List.of("id"), metadata.partitionColumns());
    assertEquals(Optional.empty(), metadata.createdTime());
    assertEquals(new SetTransaction("txnId", 0, Optional.empty()), only(actions, SetTransaction.class));
    assertEquals(3, count(actions, AddFile.class));
  }

  /**
   * With {@code delta.checkpoint.writeStatsAsJson=false} the checkpoint has only
   * {@code stats_parsed}: the reader serializes it to the same JSON the commit holds.
   */
  @Test
  void statsAreRebuiltFromStatsParsed() throws IOException {
    String table = "transaction_log_schema_evolvability";
    Map<String, JsonNode> commitStats = Files.readAllLines(
            SharedTables.table(table).resolve("_delta_log/00000000000000000002.json")).stream()
        .map(this::json).filter(n -> n.has("add")).map(n -> n.get("add"))
        .collect(Collectors.toMap(a -> a.get("path").asText(), a -> json(a.get("stats").asText())));
    List<AddFile> adds = all(read(table, 2, CheckpointProjection.ALL), AddFile.class);
    assertEquals(commitStats.keySet(), adds.stream().map(AddFile::path).collect(Collectors.toSet()));
    for (AddFile add : adds) {
      assertEquals(commitStats.get(add.path()), json(add.stats().orElseThrow()), add.path());
    }
  }

  /** delta-rs 0.4.1 wrote neither stats form, and a null partition value. */
  @Test
  void deltaRsCheckpointWithNullPartitionValue() {
    List<AddFile> adds = all(read("checkpoint_with_partitions", 2, CheckpointProjection.ALL), AddFile.class);
    assertEquals(2, adds.size());
    assertTrue(adds.stream().allMatch(a -> a.stats().isEmpty()));
    Map<String, String> nullColor = new HashMap<>();
    nullColor.put("color", null);
    assertEquals(Set.of(Map.of("color", "red"), nullColor),
        adds.stream().map(AddFile::partitionValues).collect(Collectors.toSet()));
  }

  @Test
  void tagsOfADatabricksCheckpoint() {
    AddFile add = only(read("external-table-different-nullability", 2, CheckpointProjection.ALL),
        AddFile.class);
    assertEquals("1767019609941000", add.tags().get("INSERTION_TIME"));
    assertEquals(Set.of("INSERTION_TIME", "MIN_INSERTION_TIME", "MAX_INSERTION_TIME",
        "OPTIMIZE_TARGET_SIZE"), add.tags().keySet());
  }

  @Test
  void multiPartCheckpointPartsTogetherHoldTheTable() {
    List<Action> all = SharedCheckpoints.checkpointActions("multi-part-checkpoint", 1);
    assertEquals(10, count(all, AddFile.class));
    assertEquals(1, count(all, Protocol.class));
    assertEquals(1, count(all, Metadata.class));
  }

  @Test
  void projectionWithoutStatsKeepsEverythingElse() {
    List<Action> full = read("dv-partitioned-with-checkpoint", 10, CheckpointProjection.ALL);
    List<Action> lean = read("dv-partitioned-with-checkpoint", 10, CheckpointProjection.WITHOUT_STATS);
    assertEquals(full.size(), lean.size());
    for (int i = 0; i < full.size(); i++) {
      if (full.get(i) instanceof AddFile add) {
        assertEquals(new AddFile(add.path(), add.partitionValues(), add.size(), add.modificationTime(),
            add.dataChange(), Optional.empty(), add.tags(), add.deletionVector(), add.baseRowId(),
            add.defaultRowCommitVersion(), add.clusteringProvider()), lean.get(i));
      } else {
        assertEquals(full.get(i), lean.get(i));
      }
    }
  }

  @Test
  void projectionOfNonFileActions() {
    Path file = checkpointPath("dv-partitioned-with-checkpoint", 10);
    CountingStorage everything = new CountingStorage();
    CountingStorage metadataOnly = new CountingStorage();
    List<Action> all;
    List<Action> some;
    try (Stream<Action> s = new CheckpointReader(everything).read(file.toString())) {
      all = s.toList();
    }
    try (Stream<Action> s = new CheckpointReader(metadataOnly).read(file.toString(),
        CheckpointProjection.NON_FILE_ACTIONS)) {
      some = s.toList();
    }
    assertEquals(all.stream().filter(a -> !(a instanceof AddFile || a instanceof RemoveFile)).toList(), some);
    assertEquals(2, some.size());
    assertEquals(0, everything.wholeReads.get(), "only ranged reads");
  }

  @Test
  void projectionOfOneColumn() {
    List<Action> adds = read("dv-partitioned-with-checkpoint", 10, CheckpointProjection.of(ActionColumn.ADD));
    assertEquals(18, adds.size());
    assertTrue(adds.stream().allMatch(AddFile.class::isInstance));
  }

  @Test
  void sidecarHasNoNonFileActions() {
    Path sidecar = SharedCheckpoints.allParquetFiles().stream()
        .filter(p -> p.toString().contains("_sidecars")).findFirst().orElseThrow();
    assertEquals(List.of(), read(sidecar, CheckpointProjection.NON_FILE_ACTIONS));
    assertFalse(read(sidecar, CheckpointProjection.ALL).isEmpty());
  }

  @Test
  void sidecarPathsResolveUnderSidecarsFolder() {
    assertEquals("/t/_delta_log/_sidecars/a b.parquet",
        CheckpointReader.sidecarPath("/t/_delta_log", new Sidecar("a%20b.parquet", 1, 1, Map.of())));
    assertEquals("/elsewhere/s.parquet",
        CheckpointReader.sidecarPath("/t/_delta_log", new Sidecar("file:/elsewhere/s.parquet", 1, 1, Map.of())));
  }

  static Path checkpointPath(String table, long version) {
    return SharedTables.table(table).resolve("_delta_log/%020d.checkpoint.parquet".formatted(version));
  }

  static List<Action> read(String table, long version, CheckpointProjection projection) {
    return read(checkpointPath(table, version), projection);
  }

  static List<Action> read(Path file, CheckpointProjection projection) {
    try (Stream<Action> actions = READER.read(file.toString(), projection)) {
      return actions.toList();
    }
  }

  static <T extends Action> List<T> all(List<Action> actions, Class<T> kind) {
    return actions.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  static <T extends Action> T only(List<Action> actions, Class<T> kind) {
    List<T> found = all(actions, kind);
    assertEquals(1, found.size(), kind.getSimpleName() + " actions");
    return found.get(0);
  }

  static long count(List<Action> actions, Class<? extends Action> kind) {
    return actions.stream().filter(kind::isInstance).count();
  }

  JsonNode json(String text) {
    try {
      return SharedCheckpoints.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
