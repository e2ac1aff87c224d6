package io.deltasql.core.parquet;

import static io.deltasql.core.parquet.CheckpointReaderTest.all;
import static io.deltasql.core.parquet.CheckpointReaderTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.FailingStorage;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checkpoints written for snapshots read from real checkpoints, read back. */
class CheckpointWriterTest {
  private static final Storage STORAGE = LocalStorage.INSTANCE;
  private static final CheckpointWriter WRITER = new CheckpointWriter(STORAGE);

  @TempDir
  Path dir;

  /** Every shared checkpoint that describes a whole table (protocol and metadata present). */
  static Stream<Arguments> sharedCheckpoints() {
    return SharedTables.all().stream().flatMap(table -> SharedCheckpoints
        .list(SharedTables.table(table).resolve("_delta_log")).stream()
        .map(p -> p.getFileName().toString())
        .filter(n -> n.matches("\\d{20}\\.checkpoint\\..*"))
        .map(n -> Long.parseLong(n.substring(0, 20)))
        .distinct()
        .filter(v -> !table.equals("deltalog-state-reconstruction-from-checkpoint-missing-metadata"))
        .map(v -> Arguments.of(table, v)));
  }

  @ParameterizedTest
  @MethodSource("sharedCheckpoints")
  void writtenCheckpointReadsBackAsTheSameState(String table, long version) throws IOException {
    List<Action> original = SharedCheckpoints.checkpointActions(table, version);
    Snapshot snapshot = Snapshots.of(version, original);
    List<RemoveFile> tombstones = all(original, RemoveFile.class);

    CheckpointInfo info = WRITER.write(dir.toString(), snapshot, tombstones);
    List<Action> written = read(info.path());

    assertEquals(snapshot.protocol(), only(written, Protocol.class));
    assertEquals(snapshot.metadata(), only(written, Metadata.class));
    assertEquals(Set.copyOf(all(original, SetTransaction.class)), Set.copyOf(all(written, SetTransaction.class)));
    assertEquals(Set.copyOf(all(original, DomainMetadata.class)), Set.copyOf(all(written, DomainMetadata.class)));
    assertEquals(byKey(all(original, AddFile.class).stream().map(Snapshots::asState).toList()),
        byKey(all(written, AddFile.class)));
    assertEquals(tombstones.stream().map(Snapshots::asState).collect(Collectors.toSet()),
        Set.copyOf(all(written, RemoveFile.class)));

    assertEquals(CheckpointWriter.classicCheckpointPath(dir.toString(), version), info.path());
    assertEquals(version, info.version());
    assertEquals(written.size(), info.size());
    assertEquals(snapshot.files().size(), info.numOfAddFiles());
    assertEquals(Files.size(Path.of(info.path())), info.sizeInBytes());
  }

  /** The schema is exactly the one Delta Spark 3.2+ writes (spark-variant-checkpoint's). */
  @Test
  void schemaIsTheOneDeltaSparkWrites() throws IOException {
    Path spark = CheckpointReaderTest.checkpointPath("spark-variant-checkpoint", 2);
    CheckpointInfo info = WRITER.write(dir.toString(), dvSnapshot());
    assertEquals(footerSchema(spark.toString()), footerSchema(info.path()));
  }

  @Test
  void columnsAreSnappyCompressed() throws IOException {
    CheckpointInfo info = WRITER.write(dir.toString(), dvSnapshot());
    try (ParquetFileReader reader = ParquetFileReader.open(StorageInputFile.open(STORAGE, info.path()))) {
      for (BlockMetaData block : reader.getRowGroups()) {
        for (ColumnChunkMetaData column : block.getColumns()) {
          assertEquals(CompressionCodecName.SNAPPY, column.getCodec(), column.getPath().toString());
        }
      }
    }
  }

  @Test
  void distinctValueColumnsAreWrittenWithoutDictionaryAndReadBack() throws IOException {
    // Stats that repeat (a stream of one-row appends) would get a dictionary if the writer built one.
    Map<FileKey, AddFile> adds = new LinkedHashMap<>();
    for (int i = 0; i < 2_000; i++) {
      AddFile add = AddFile.of("part=" + (i % 4) + "/part-" + i + ".parquet", Map.of("part", "" + (i % 4)), 1000 + i,
          1_700_000_000_000L + i, Optional.of("{\"numRecords\":" + (i % 2) + "}"));
      adds.put(add.fileKey(), add);
    }
    Snapshot base = dvSnapshot();
    Snapshot snapshot = new Snapshot(20, 0, base.protocol(), base.metadata(), adds, Map.of(), Map.of());
    List<RemoveFile> tombstones = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      tombstones.add(AddFile.of("part=" + (i % 4) + "/gone-" + i + ".parquet", Map.of("part", "" + (i % 4)), 10,
          1_600_000_000_000L + i, Optional.empty()).toRemove(1_650_000_000_000L + i, true));
    }
    CheckpointInfo info = WRITER.write(dir.toString(), snapshot, tombstones);

    Map<String, Set<org.apache.parquet.column.Encoding>> encodings = new LinkedHashMap<>();
    try (ParquetFileReader reader = ParquetFileReader.open(StorageInputFile.open(STORAGE, info.path()))) {
      for (BlockMetaData block : reader.getRowGroups()) {
        for (ColumnChunkMetaData column : block.getColumns()) {
          encodings.computeIfAbsent(column.getPath().toDotString(), k -> new HashSet<>()).addAll(column.getEncodings());
        }
      }
    }
    // add.stats repeats and would get a dictionary without the setting. The paths (add.path,
    // remove.path) are all distinct, so parquet falls back to plain on its own whether or not a
    // dictionary is tried: for them the setting only saves the dictionary's CPU, which no encoding
    // shows, so they are not asserted here (the tombstones check that removes read back).
    assertFalse(encodings.get("add.stats").stream().anyMatch(org.apache.parquet.column.Encoding::usesDictionary),
        "add.stats: " + encodings.get("add.stats"));
    assertTrue(encodings.get("add.partitionValues.key_value.value").stream()
        .anyMatch(org.apache.parquet.column.Encoding::usesDictionary), encodings.toString());
    Map<FileKey, AddFile> expected = adds.values().stream().map(Snapshots::asState)
        .collect(Collectors.toMap(AddFile::fileKey, Function.identity()));
    List<Action> written = read(info.path());
    assertEquals(expected, byKey(all(written, AddFile.class)));
    assertEquals(Set.copyOf(tombstones.stream().map(RemoveFile::path).toList()),
        Set.copyOf(all(written, RemoveFile.class).stream().map(RemoveFile::path).toList()));
  }

  @Test
  void lastCheckpointJsonDescribesTheCheckpoint() throws IOException {
    CheckpointInfo info = WRITER.write(dir.toString(), dvSnapshot());
    JsonNode json = SharedCheckpoints.JSON.readTree(info.toLastCheckpointJson());
    Set<String> fields = new HashSet<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(Set.of("version", "size", "sizeInBytes", "numOfAddFiles"), fields);
    assertEquals(10, json.get("version").asLong());
    assertEquals(20, json.get("size").asLong(), "protocol, metadata and 18 adds");
    assertEquals(18, json.get("numOfAddFiles").asLong());
    assertEquals(Files.size(Path.of(info.path())), json.get("sizeInBytes").asLong());
  }

  @Test
  void v2CheckpointTablesGetACheckpointMetadataRow() throws IOException {
    Snapshot v1 = dvSnapshot();
    Protocol v2Protocol = new Protocol(3, 7, Set.of("v2Checkpoint", "deletionVectors"),
        Set.of("v2Checkpoint", "deletionVectors"));
    Snapshot v2 = new Snapshot(v1.version(), v1.timestamp(), v2Protocol, v1.metadata(), v1.files(),
        v1.appTransactions(), v1.domains());
    CheckpointInfo info = WRITER.write(dir.toString(), v2);
    List<Action> written = read(info.path());
    assertEquals(new CheckpointMetadata(10, Map.of()), only(written, CheckpointMetadata.class));
    assertTrue(footerSchema(info.path()).containsField("checkpointMetadata"));

    Path other = dir.resolve("v1");
    CheckpointInfo plain = WRITER.write(other.toString(), v1);
    assertFalse(footerSchema(plain.path()).containsField("checkpointMetadata"));
  }

  @Test
  void everyFieldOfEveryActionRoundTrips() {
    Map<String, String> nullValue = new LinkedHashMap<>();
    nullValue.put("p", null);
    AddFile add = new AddFile("p=__HIVE_DEFAULT_PARTITION__/a%20b.parquet", nullValue, 10, 20, true,
        Optional.of("{\"numRecords\":1}"), Map.of("tag", "v"),
        Optional.of(new DeletionVectorDescriptor("i", "wi5b=000010000siXQKl0rr91000f55c8Xg0@fTx", Optional.empty(), 40, 3)),
        Optional.of(100L), Optional.of(7L), Optional.of("liquid"));
    RemoveFile remove = new RemoveFile("gone.parquet", Optional.of(5L), true, Optional.of(true),
        Optional.of(Map.of("p", "x")), Optional.of(9L), Optional.empty(), Map.of(),
        Optional.of(new DeletionVectorDescriptor("u", "ab^-aqEH.-t@S}K{vb[*k^", Optional.of(4), 41, 2)),
        Optional.of(1L), Optional.of(2L));
    Metadata metadata = new Metadata("id-1", Optional.of("name"), Optional.of("description"),
        new Format("parquet", Map.of("k", "v")), "{\"type\":\"struct\",\"fields\":[]}", List.of("p"),
        Map.of("delta.appendOnly", "false"), Optional.of(123L));
    Protocol protocol = new Protocol(3, 7, Set.of("deletionVectors"),
        Set.of("deletionVectors", "domainMetadata", "rowTracking"));
    SetTransaction txn = new SetTransaction("app", 42, Optional.of(99L));
    DomainMetadata domain = new DomainMetadata("delta.rowTracking", "{\"rowIdHighWaterMark\":9}", false);
    Snapshot snapshot = new Snapshot(3, 0, protocol, metadata, Map.of(add.fileKey(), add),
        Map.of("app", txn), Map.of(domain.domain(), domain));

    CheckpointInfo info = WRITER.write(dir.toString(), snapshot, List.of(remove));
    assertEquals(List.of(protocol, metadata, txn, domain, Snapshots.asState(add), Snapshots.asState(remove)),
        read(info.path()));
  }

  @Test
  void protocolFeatureListsAreWrittenOnlyForFeatureVersions() throws IOException {
    Snapshot base = dvSnapshot();
    Snapshot legacy = new Snapshot(1, 0, new Protocol(1, 2), base.metadata(), Map.of(), Map.of(), Map.of());
    CheckpointInfo info = WRITER.write(dir.toString(), legacy);
    assertEquals(new Protocol(1, 2), only(read(info.path()), Protocol.class));
  }

  @Test
  void tombstoneOfAnActiveFileIsRefusedAndNothingIsWritten() {
    Snapshot snapshot = dvSnapshot();
    AddFile active = snapshot.activeFiles().get(0);
    DeltaException e = assertThrows(DeltaException.class,
        () -> WRITER.write(dir.toString(), snapshot, List.of(active.toRemove(1, true))));
    assertEquals(SqlState.INTERNAL_ERROR, e.state());
    assertTrue(e.getMessage().contains(active.path()), e.getMessage());
    assertTrue(STORAGE.status(CheckpointWriter.classicCheckpointPath(dir.toString(), 10)).isEmpty());
  }

  @Test
  void storageFailurePublishesNothing() {
    CheckpointWriter failing = new CheckpointWriter(new FailingStorage(1000));
    DeltaException e = assertThrows(DeltaException.class, () -> failing.write(dir.toString(), dvSnapshot()));
    String path = CheckpointWriter.classicCheckpointPath(dir.toString(), 10);
    assertEquals(SqlState.IO_ERROR, e.state());
    assertTrue(e.getMessage().contains(path), e.getMessage());
    assertTrue(e.getMessage().contains("injected fault"), e.getMessage());
    assertTrue(STORAGE.status(path).isEmpty(), "no partial checkpoint");
    assertEquals(List.of(), FailingStorage.filesLeft(dir), "nothing left, no hidden temporary file either");
  }

  @Test
  void existingCheckpointIsReplaced() {
    Snapshot snapshot = dvSnapshot();
    CheckpointInfo first = WRITER.write(dir.toString(), snapshot);
    CheckpointInfo second = WRITER.write(dir.toString(), snapshot);
    assertEquals(first, second);
    assertEquals(read(first.path()).size(), second.size());
  }

  /**
   * A checkpoint of many files streams through the reader (counted, never listed), and a
   * metadata-only read fetches a small part of it.
   */
  @Test
  void largeCheckpointStreamsAndProjectsColumns() {
    int files = 50_000;
    Map<FileKey, AddFile> adds = new LinkedHashMap<>();
    for (int i = 0; i < files; i++) {
      AddFile add = AddFile.of("part=" + (i % 100) + "/part-" + i + ".parquet", Map.of("part", "" + (i % 100)),
          1000 + i, 1_700_000_000_000L + i,
          Optional.of("{\"numRecords\":" + i + ",\"minValues\":{\"id\":" + i + "},\"maxValues\":{\"id\":"
              + (i + 10) + "},\"nullCount\":{\"id\":0}}"));
      adds.put(add.fileKey(), add);
    }
    Snapshot base = dvSnapshot();
    Snapshot big = new Snapshot(500, 0, base.protocol(), base.metadata(), adds, Map.of(), Map.of());
    CheckpointInfo info = WRITER.write(dir.toString(), big);
    assertEquals(files, info.numOfAddFiles());

    CountingStorage everything = new CountingStorage();
    try (Stream<Action> actions = new CheckpointReader(everything).read(info.path())) {
      assertEquals(files + 2, actions.count());
    }
    CountingStorage metadataOnly = new CountingStorage();
    try (Stream<Action> actions = new CheckpointReader(metadataOnly).read(info.path(),
        CheckpointProjection.NON_FILE_ACTIONS)) {
      assertEquals(List.of(base.protocol(), base.metadata()), actions.toList());
    }
    assertTrue(metadataOnly.bytesRead.get() * 10 < everything.bytesRead.get(),
        metadataOnly.bytesRead + " bytes for metadata vs " + everything.bytesRead + " for all");
    AddFile sample = adds.values().stream().skip(31_337).findFirst().orElseThrow();
    try (Stream<Action> actions = new CheckpointReader(STORAGE).read(info.path())) {
      assertEquals(Snapshots.asState(sample), actions.filter(a -> a instanceof AddFile f
          && f.path().equals(sample.path())).findFirst().orElseThrow());
    }
  }

  static Snapshot dvSnapshot() {
    return Snapshots.of(10, SharedCheckpoints.checkpointActions("dv-partitioned-with-checkpoint", 10));
  }

  static List<Action> read(String path) {
    try (Stream<Action> actions = new CheckpointReader(STORAGE).read(path)) {
      return actions.toList();
    }
  }

  private static Map<FileKey, AddFile> byKey(List<AddFile> adds) {
    return adds.stream().collect(Collectors.toMap(AddFile::fileKey, Function.identity()));
  }

  private static MessageType footerSchema(String path) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(StorageInputFile.open(STORAGE, path))) {
      return reader.getFooter().getFileMetaData().getSchema();
    }
  }
}
