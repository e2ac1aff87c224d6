package io.deltasql.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.json.ActionJson;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.parquet.CheckpointInfo;
import io.deltasql.core.parquet.CheckpointWriter;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.SnapshotBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a synthetic Delta table described by a {@link TableSpec}: only its
 * {@code _delta_log/}, no data files (the {@code add} actions name Parquet files that do not
 * exist, which is all that opening a table needs).
 *
 * <p>The log:
 * <ul>
 *   <li>Protocol {@code (1, 7)} with the writer feature {@code inCommitTimestamp}, enabled
 *       from version 0 by {@code delta.enableInCommitTimestamps=true}: every commit starts with
 *       a {@code commitInfo} holding a strictly increasing {@code inCommitTimestamp} (one
 *       commit a minute from 2025-01-01T00:00Z).
 *   <li>Version 0 creates the table (commitInfo, protocol, metadata). Each later version
 *       appends about {@code activeFiles / (commits - 1)} files with statistics (see
 *       {@link SyntheticDataFiles}); every tenth version (5, 15, 25...) is a {@code DELETE}
 *       that also removes up to {@value #REWRITTEN_PER_DELETE} random active files and adds
 *       their rewritten replacements. The latest version has exactly {@code activeFiles}.
 *   <li>With a checkpoint interval, one classic Parquet checkpoint at
 *       {@link TableSpec#checkpointVersion()} (written by deltasql's {@link CheckpointWriter})
 *       and {@code _last_checkpoint} pointing at it. Earlier checkpoints, which a Delta writer
 *       would also have left, are not written: no reader opens them, and generating them
 *       would cost minutes for large tables.
 *   <li>Per {@link TableSpec#checksums()}, a {@code .crc} file for every version (as Delta
 *       Spark writes them), for the latest only, or none: {@code tableSizeBytes},
 *       {@code numFiles}, {@code numMetadata}, {@code numProtocol}, {@code metadata},
 *       {@code protocol} and {@code inCommitTimestampOpt}.
 * </ul>
 * Content is deterministic: the same spec gives the same log.
 *
 * <p>{@link #cached} keeps generated tables under a cache folder and reuses them.
 */
public final class TableGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(TableGenerator.class);

  /** Files removed and rewritten by each {@code DELETE} commit. */
  static final int REWRITTEN_PER_DELETE = 5;

  private static final long SEED = 20_250_101L;
  private static final long FIRST_COMMIT_MS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
  private static final long COMMIT_EVERY_MS = 60_000L;
  private static final LocalDate FIRST_DAY = LocalDate.of(2025, 1, 1);
  private static final int DAYS = 365;
  private static final String MARKER = "bench-table.properties";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TableGenerator() {}

  /**
   * The table for {@code spec} under {@code cacheRoot}, generated first if the cache does not
   * hold a complete one. A table is generated in a temporary folder and moved into place
   * when complete, so an interrupted run leaves no half table behind.
   */
  public static GeneratedTable cached(Path cacheRoot, TableSpec spec) {
    Objects.requireNonNull(cacheRoot, "cacheRoot");
    Objects.requireNonNull(spec, "spec");
    Path target = cacheRoot.resolve(spec.directoryName());
    Optional<GeneratedTable> existing = readMarker(target, spec);
    if (existing.isPresent()) {
      LOG.info("Reusing generated table {}", target);
      return existing.get();
    }
    try {
      Files.createDirectories(cacheRoot);
      deleteRecursively(target);
      Path temp = Files.createTempDirectory(cacheRoot, spec.directoryName() + ".tmp-");
      try {
        generate(temp, spec);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        LOG.info("Another process generated {} first; using it", target);
      } finally {
        deleteRecursively(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot generate table " + target + ": " + e.getMessage(), e);
    }
    return readMarker(target, spec).orElseThrow(() -> new IllegalStateException(
        "Generated table " + target + " has no complete " + MARKER));
  }

  /**
   * Writes the table for {@code spec} into the empty or missing folder {@code root}.
   *
   * @throws IllegalArgumentException if {@code root} already holds a {@code _delta_log}
   */
  public static GeneratedTable generate(Path root, TableSpec spec) throws IOException {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(spec, "spec");
    Path log = root.resolve("_delta_log");
    if (Files.exists(log)) {
      throw new IllegalArgumentException("Cannot generate a table in " + root
          + ": it already holds a _delta_log; remove it or choose another folder");
    }
    Files.createDirectories(log);
    long started = System.nanoTime();

    SyntheticDataFiles data = new SyntheticDataFiles(SEED, spec.partitioned());
    Protocol protocol = new Protocol(1, 7, Set.of(), Set.of("inCommitTimestamp"));
    Metadata metadata = metadata(spec, data);
    ActiveFiles active = new ActiveFiles();
    OptionalLong checkpointVersion = spec.checkpointVersion();
    long dataCommits = spec.commits() - 1L;
    String partitionBy = data.partitionColumns().stream()
        .map(c -> "\"" + c + "\"").collect(Collectors.joining(",", "[", "]"));

    writeCommit(log, 0, List.of(
        commitInfo(0, "CREATE TABLE", data.uuid(), partitionBy, 0, 0), protocol, metadata));
    if (spec.checksums().covers(0, spec.latestVersion())) {
      writeChecksum(log, 0, checksum(protocol, metadata, active, timestamp(0)));
    }
    for (long version = 1; version <= spec.latestVersion(); version++) {
      long timestamp = timestamp(version);
      long target = spec.activeFiles() * version / dataCommits;
      boolean delete = version % 10 == 5;
      int removals = delete ? Math.min(REWRITTEN_PER_DELETE, active.size()) : 0;
      int adds = Math.toIntExact(target - active.size() + removals);
      List<Action> actions = new ArrayList<>(1 + removals + adds);
      actions.add(commitInfo(version, delete ? "DELETE" : "WRITE", data.uuid(),
          partitionBy, removals, adds));
      for (int i = 0; i < removals; i++) {
        actions.add(active.removeAt(data.nextInt(active.size())).toRemove(timestamp, true));
      }
      LocalDate day = FIRST_DAY.plusDays(version * DAYS / spec.commits());
      for (int i = 0; i < adds; i++) {
        actions.add(active.add(data.next(timestamp, day)));
      }
      writeCommit(log, version, actions);
      if (spec.checksums().covers(version, spec.latestVersion())) {
        writeChecksum(log, version, checksum(protocol, metadata, active, timestamp));
      }
      if (checkpointVersion.isPresent() && checkpointVersion.getAsLong() == version) {
        writeCheckpoint(root, version, timestamp, protocol, metadata, active);
      }
    }
    if (active.size() != spec.activeFiles()) {
      throw new IllegalStateException("Generator bug: " + active.size()
          + " active files at the latest version instead of " + spec.activeFiles());
    }
    GeneratedTable table = new GeneratedTable(root, spec, spec.latestVersion(), active.size(),
        checkpointVersion, probeId(active));
    long millis = (System.nanoTime() - started) / 1_000_000;
    writeMarker(table, millis);
    LOG.info("Generated table {}: {} versions, {} active files, checkpoint {}, in {} ms", root,
        spec.commits(), active.size(), checkpointVersion, millis);
    return table;
  }

  /** The middle id of the middle active file. */
  private static OptionalLong probeId(ActiveFiles active) {
    if (active.size() == 0) {
      return OptionalLong.empty();
    }
    AddFile file = active.files.get(active.size() / 2);
    FileStats stats = FileStatsJson.parse(file.stats(), file.path());
    long min = stats.minValue("id").orElseThrow().longValue();
    long max = stats.maxValue("id").orElseThrow().longValue();
    return OptionalLong.of(min + (max - min) / 2);
  }

  private static Metadata metadata(TableSpec spec, SyntheticDataFiles data) {
    Map<String, String> configuration = new LinkedHashMap<>();
    configuration.put("delta.enableInCommitTimestamps", "true");
    if (spec.checkpointInterval() > 0) {
      configuration.put("delta.checkpointInterval", Integer.toString(spec.checkpointInterval()));
    }
    return new Metadata(data.uuid(), Optional.of("bench_events"), Optional.empty(), Format.PARQUET,
        SyntheticDataFiles.SCHEMA_JSON, data.partitionColumns(), configuration,
        Optional.of(FIRST_COMMIT_MS));
  }

  private static CommitInfo commitInfo(long version, String operation, String txnId,
      String partitionBy, int removed, int added) {
    ObjectNode info = JSON.objectNode();
    long timestamp = timestamp(version);
    info.put(CommitInfo.IN_COMMIT_TIMESTAMP, timestamp);
    info.put(CommitInfo.TIMESTAMP, timestamp);
    info.put(CommitInfo.OPERATION, operation);
    ObjectNode parameters = info.putObject(CommitInfo.OPERATION_PARAMETERS);
    switch (operation) {
      case "CREATE TABLE" -> parameters.put("partitionBy", partitionBy);
      case "DELETE" -> parameters.put("predicate", "[\"(category = 'cat_000')\"]");
      default -> parameters.put("mode", "Append");
    }
    if (version > 0) {
      info.put("readVersion", version - 1);
    }
    info.put("isolationLevel", "Serializable");
    info.put("isBlindAppend", removed == 0 && version > 0);
    ObjectNode metrics = info.putObject("operationMetrics");
    metrics.put("numAddedFiles", Integer.toString(added));
    metrics.put("numRemovedFiles", Integer.toString(removed));
    info.put("engineInfo", "deltasql-bench");
    info.put(CommitInfo.TXN_ID, txnId);
    return new CommitInfo(info);
  }

  private static long timestamp(long version) {
    return FIRST_COMMIT_MS + version * COMMIT_EVERY_MS;
  }

  private static void writeCommit(Path log, long version, List<Action> actions) throws IOException {
    Files.write(log.resolve(LogFile.commitFileName(version)), CommitJson.write(actions));
  }

  /** The content of a version checksum file (Delta's {@code VersionChecksum}). */
  private static ObjectNode checksum(Protocol protocol, Metadata metadata, ActiveFiles active,
      long timestamp) {
    ObjectNode crc = JSON.objectNode();
    crc.put("tableSizeBytes", active.totalBytes());
    crc.put("numFiles", active.size());
    crc.put("numMetadata", 1);
    crc.put("numProtocol", 1);
    crc.put("inCommitTimestampOpt", timestamp);
    crc.set("metadata", actionBody(metadata));
    crc.set("protocol", actionBody(protocol));
    return crc;
  }

  /** The object inside an action's JSON line, e.g. the value of {@code "metaData"}. */
  private static JsonNode actionBody(Action action) {
    try {
      return MAPPER.readTree(ActionJson.write(action)).get(action.key());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reparse our own JSON of " + action.key(), e);
    }
  }

  private static void writeChecksum(Path log, long version, ObjectNode checksum)
      throws IOException {
    Files.write(log.resolve("%020d.crc".formatted(version)), MAPPER.writeValueAsBytes(checksum));
  }

  private static void writeCheckpoint(Path root, long version, long timestamp, Protocol protocol,
      Metadata metadata, ActiveFiles active) throws IOException {
    SnapshotBuilder builder = new SnapshotBuilder().apply(protocol).apply(metadata);
    builder.applyAll(active.files);
    String tableRoot = root.toAbsolutePath().toString();
    CheckpointInfo info = new CheckpointWriter(LocalStorage.INSTANCE)
        .write(tableRoot, builder.build(version, timestamp));
    Files.writeString(root.resolve("_delta_log").resolve("_last_checkpoint"),
        info.toLastCheckpointJson() + "\n", StandardCharsets.UTF_8);
  }

  private static void writeMarker(GeneratedTable table, long millis) throws IOException {
    Properties p = new Properties();
    p.setProperty("spec", table.spec().directoryName());
    p.setProperty("checksums", table.spec().checksums().name());
    p.setProperty("latestVersion", Long.toString(table.latestVersion()));
    p.setProperty("activeFiles", Long.toString(table.activeFiles()));
    table.checkpointVersion().ifPresent(v -> p.setProperty("checkpointVersion", Long.toString(v)));
    table.probeId().ifPresent(id -> p.setProperty("probeId", Long.toString(id)));
    p.setProperty("generationMillis", Long.toString(millis));
    try (var out = Files.newOutputStream(table.root().resolve(MARKER))) {
      p.store(out, "Synthetic Delta table written by io.deltasql.bench.TableGenerator");
    }
  }

  private static Optional<GeneratedTable> readMarker(Path root, TableSpec spec) {
    Path marker = root.resolve(MARKER);
    if (!Files.isRegularFile(marker)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(marker)) {
      p.load(in);
    } catch (IOException e) {
      LOG.warn("Unreadable {}; the table will be generated again", marker, e);
      return Optional.empty();
    }
    if (!spec.directoryName().equals(p.getProperty("spec"))) {
      return Optional.empty();
    }
    long activeFiles = Long.parseLong(p.getProperty("activeFiles"));
    if (activeFiles > 0 && p.getProperty("probeId") == null) {
      return Optional.empty(); // written before probe ids were recorded
    }
    return Optional.of(new GeneratedTable(root, spec,
        Long.parseLong(p.getProperty("latestVersion")), activeFiles,
        optionalLong(p.getProperty("checkpointVersion")), optionalLong(p.getProperty("probeId"))));
  }

  private static OptionalLong optionalLong(String value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The active files, with removal of any one in constant time. */
  private static final class ActiveFiles {
    private final List<AddFile> files = new ArrayList<>();
    private long totalBytes;

    int size() {
      return files.size();
    }

    long totalBytes() {
      return totalBytes;
    }

    AddFile add(AddFile file) {
      files.add(file);
      totalBytes += file.size();
      return file;
    }

    AddFile removeAt(int index) {
      AddFile removed = files.get(index);
      totalBytes -= removed.size();
      AddFile last = files.remove(files.size() - 1);
      if (index < files.size()) {
        files.set(index, last);
      }
      return removed;
    }
  }
}
