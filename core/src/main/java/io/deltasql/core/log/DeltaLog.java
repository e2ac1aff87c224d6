package io.deltasql.core.log;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.json.LastCheckpoint;
import io.deltasql.core.json.LastCheckpointJson;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.table.SnapshotBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an existing table's {@code _delta_log}: JSON commits, classic, multi-part and V2
 * checkpoints (JSON or Parquet, with sidecars), and logs that start after version 0.
 * This is how deltasql imports a table and how {@code verify} checks a mirrored log; the
 * catalog, not this class, answers ordinary reads.
 *
 * <p>One instance holds one listing of the log, taken by {@link #open}; it does not see
 * commits written after that.
 */
public final class DeltaLog {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaLog.class);

  private final Storage storage;
  private final String tableRoot;
  private final LogListing listing;
  private final LogActionReader reader;
  /** In-commit timestamp of each commit read so far (empty: the commit has none). */
  private final Map<Long, Optional<Long>> firstLines = new ConcurrentHashMap<>();

  private static final String ICT_ENABLED = "delta.enableInCommitTimestamps";
  private static final String ICT_ENABLEMENT_VERSION = "delta.inCommitTimestampEnablementVersion";

  private DeltaLog(Storage storage, String tableRoot, LogListing listing) {
    this.storage = storage;
    this.tableRoot = tableRoot;
    this.listing = listing;
    this.reader = new LogActionReader(storage, tableRoot);
  }

  /** Lists the log of the table at {@code tableRoot}; refuses a folder that holds no Delta log. */
  public static DeltaLog open(Storage storage, String tableRoot) {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(tableRoot, "tableRoot");
    List<FileStatus> listed = storage.list(StoragePaths.logDir(tableRoot));
    LogListing listing = new LogListing(tableRoot, listed);
    if (listing.isEmpty()) {
      throw LogErrors.notADeltaTable(tableRoot);
    }
    checkLastCheckpoint(storage, tableRoot, listing);
    return new DeltaLog(storage, tableRoot, listing);
  }

  /**
   * {@code _last_checkpoint} is only a hint for readers that cannot list cheaply; the
   * listing is what counts. A hint that is corrupt or names a checkpoint that is missing
   * or incomplete is reported and ignored.
   */
  private static void checkLastCheckpoint(Storage storage, String tableRoot, LogListing listing) {
    String path = StoragePaths.join(StoragePaths.logDir(tableRoot), "_last_checkpoint");
    if (storage.status(path).isEmpty()) {
      return;
    }
    try {
      LastCheckpoint hint = LastCheckpointJson.parse(storage.readAll(path), path);
      if (!listing.hasCheckpoint(hint.version())) {
        LOG.warn("ignoring _last_checkpoint: no complete checkpoint at its version table={} version={}",
            tableRoot, hint.version());
      }
    } catch (DeltaException e) {
      LOG.warn("ignoring unreadable _last_checkpoint table={} reason={}", tableRoot, e.getMessage());
    }
  }

  public String tableRoot() {
    return tableRoot;
  }

  public Storage storage() {
    return storage;
  }

  /** The newest version in the log. */
  public long latestVersion() {
    return listing.latestVersion();
  }

  /** The oldest version from which every version up to the latest can be rebuilt. */
  public long oldestVersion() {
    return listing.oldestReconstructableVersion();
  }

  /** The latest snapshot. */
  public Snapshot snapshot() {
    return snapshotAt(latestVersion());
  }

  /** The snapshot at {@code version}, from the newest checkpoint at or before it plus commits. */
  public Snapshot snapshotAt(long version) {
    LogSegment segment = listing.segment(version);
    SnapshotBuilder builder = new SnapshotBuilder();
    segment.checkpoint().ifPresent(checkpoint -> reader.readCheckpoint(checkpoint, builder::apply));
    for (LogFile commit : segment.commits()) {
      List<Action> actions = reader.readCommit(commit);
      builder.applyAll(actions);
      if (commit.version() == version) {
        firstLines.putIfAbsent(version, inCommitTimestamp(actions));
      }
    }
    Metadata metadata = builder.metadata().orElseThrow(() -> LogErrors.missingMetadata(tableRoot, version));
    return finish(builder, version, timestampAt(version, metadata));
  }

  /**
   * The state of the table at {@code version} read from its segment alone (the newest
   * checkpoint at or before it and the commits after it), as {@link #snapshotAt} does, but
   * without the exact timestamp, which needs every older commit: a damaged commit below the
   * checkpoint does not prevent it. The snapshot's timestamp is the raw one of the version
   * (its commit file's modification time, or its checkpoint's): compare states with it, not
   * times.
   */
  public Snapshot stateAt(long version) {
    LogSegment segment = listing.segment(version);
    SnapshotBuilder builder = new SnapshotBuilder();
    segment.checkpoint().ifPresent(checkpoint -> reader.readCheckpoint(checkpoint, builder::apply));
    for (LogFile commit : segment.commits()) {
      builder.applyAll(reader.readCommit(commit));
    }
    return finish(builder, version, rawTimestamp(version, false));
  }

  /**
   * The timestamp of a version as every reader must agree on it: the in-commit timestamp
   * from the version where the table enabled them, else the commit file's modification
   * time; then made strictly increasing over the versions (a version's timestamp is at
   * least the previous one's plus 1 ms), as Delta's time travel does and as the catalog
   * stores them.
   */
  public long timestampAt(long version, Metadata metadataAtVersion) {
    long ictFrom = inCommitTimestampsFrom(metadataAtVersion);
    long first = listing.firstVersion();
    long monotonic = Long.MIN_VALUE;
    for (long v = first; v <= version; v++) {
      long raw = rawTimestamp(v, v >= ictFrom);
      monotonic = monotonic == Long.MIN_VALUE ? raw : Math.max(raw, monotonic + 1);
    }
    return monotonic;
  }

  /** The version from which commits carry in-commit timestamps, or {@code Long.MAX_VALUE}. */
  private static long inCommitTimestampsFrom(Metadata metadata) {
    if (!"true".equalsIgnoreCase(metadata.configuration().get(ICT_ENABLED))) {
      return Long.MAX_VALUE;
    }
    String from = metadata.configuration().get(ICT_ENABLEMENT_VERSION);
    try {
      return from == null ? 0 : Long.parseLong(from);
    } catch (NumberFormatException e) {
      throw LogErrors.corrupt("Table '" + metadataTableHint(metadata) + "' has a non-numeric "
          + ICT_ENABLEMENT_VERSION + " '" + from + "'", e);
    }
  }

  private static String metadataTableHint(Metadata metadata) {
    return metadata.name().orElse(metadata.id());
  }

  private long rawTimestamp(long version, boolean useInCommitTimestamp) {
    Optional<LogFile> commit = listing.commit(version);
    if (commit.isEmpty()) {
      // a version known only from its checkpoint
      return listing.checkpoints().stream().filter(c -> c.version() == version).findFirst()
          .map(c -> c.files().get(0).status().modificationTime()).orElse(0L);
    }
    if (useInCommitTimestamp) {
      Optional<Long> ict = firstLines.computeIfAbsent(version, v -> inCommitTimestamp(reader.readCommit(commit.get())));
      if (ict.isPresent()) {
        return ict.get();
      }
    }
    return commit.get().status().modificationTime();
  }

  private static Optional<Long> inCommitTimestamp(List<Action> actions) {
    for (Action a : actions) {
      if (a instanceof CommitInfo info) {
        return info.inCommitTimestamp();
      }
    }
    return Optional.empty();
  }

  /** The versions that have a commit file in the listing, oldest first. */
  public SortedSet<Long> commitVersions() {
    return listing.commitVersions();
  }

  /** The versions that have a complete checkpoint in the listing, oldest first. */
  public List<Long> checkpointVersions() {
    return listing.checkpoints().stream().map(Checkpoint::version).toList();
  }

  /** The files (paths) of the complete checkpoint at {@code version}. */
  public List<String> checkpointFiles(long version) {
    return checkpoint(version).files().stream().map(LogFile::path).toList();
  }

  /**
   * What the checkpoint at {@code version} holds by itself, no commit applied: its state
   * (with the timestamp of its first file's modification time) and its number of actions.
   *
   * @throws DeltaException {@code 22000} when there is no complete checkpoint at that
   *     version, {@code XX001} when it is unreadable or holds no protocol or metadata
   */
  public CheckpointContent checkpointContent(long version) {
    Checkpoint checkpoint = checkpoint(version);
    SnapshotBuilder builder = new SnapshotBuilder();
    long[] counts = new long[3];
    for (LogFile file : checkpoint.files()) {
      counts[2] += file.status().size();
    }
    reader.readCheckpoint(checkpoint, action -> {
      counts[0]++;
      if (action instanceof AddFile) {
        counts[1]++;
      }
      builder.apply(action);
    }, sidecar -> {
      counts[0]++;
      counts[2] += sidecar.sizeInBytes();
    });
    long timestamp = checkpoint.files().get(0).status().modificationTime();
    return new CheckpointContent(finish(builder, version, timestamp), counts[0], counts[1], counts[2]);
  }

  private Checkpoint checkpoint(long version) {
    return listing.checkpoints().stream().filter(c -> c.version() == version).findFirst()
        .orElseThrow(() -> LogErrors.noCheckpoint(tableRoot, version));
  }

  /**
   * What one checkpoint holds.
   *
   * @param snapshot the table state it records
   * @param actions how many actions it has, what {@code _last_checkpoint.size} counts: the
   *     rows of its files, and of a V2 checkpoint's sidecars as well as its references to them
   * @param addFiles how many of them are {@code add} actions
   * @param sizeInBytes the bytes of its files and sidecars ({@code _last_checkpoint.sizeInBytes})
   */
  public record CheckpointContent(Snapshot snapshot, long actions, long addFiles, long sizeInBytes) {
    public CheckpointContent {
      Objects.requireNonNull(snapshot, "snapshot");
    }
  }

  /** The actions of one commit, in file order. */
  public List<Action> commitActions(long version) {
    LogFile commit = listing.commit(version)
        .orElseThrow(() -> LogErrors.versionNotFound(tableRoot, version, latestVersion()));
    return reader.readCommit(commit);
  }

  /**
   * Replays the whole reconstructable log: the snapshot at {@link #oldestVersion()}, then
   * every later commit in order. Each version is checked for a readable protocol.
   */
  public void replay(ReplayVisitor visitor) {
    long oldest = oldestVersion();
    long latest = latestVersion();
    Snapshot base = snapshotAt(oldest);
    visitor.base(base);
    SnapshotBuilder builder = new SnapshotBuilder(base);
    long previous = base.timestamp();
    for (long v = oldest + 1; v <= latest; v++) {
      LogFile commit = listing.commit(v).orElseThrow();
      List<Action> actions = reader.readCommit(commit);
      builder.applyAll(actions);
      Metadata metadata = builder.metadata().orElseThrow(() -> LogErrors.missingMetadata(tableRoot, commit.version()));
      Optional<Long> ict = v >= inCommitTimestampsFrom(metadata) ? inCommitTimestamp(actions) : Optional.empty();
      long timestamp = Math.max(ict.orElse(commit.status().modificationTime()), previous + 1);
      previous = timestamp;
      builder.protocol().ifPresent(p -> ProtocolSupport.checkReadable(tableRoot, commit.version(), p));
      if (listing.hasCheckpoint(v)) {
        checkAgreesWithCheckpoint(builder.build(v, timestamp), v);
      }
      visitor.commit(v, timestamp, actions);
      if (LOG.isDebugEnabled() && (v - oldest) % 1000 == 0) {
        LOG.debug("replayed table={} version={} of latest={}", tableRoot, v, latest);
      }
    }
    visitor.done(latest);
  }

  /**
   * A checkpoint and the commits before it must hold the same state: readers that start
   * from the checkpoint (every Delta reader, for the latest version) and the replay of the
   * commits (an import) would otherwise see two different tables.
   */
  private void checkAgreesWithCheckpoint(Snapshot replayed, long version) {
    Snapshot checkpointed = checkpointContent(version).snapshot();
    String differs = !replayed.protocol().equals(checkpointed.protocol()) ? "protocol"
        : !replayed.metadata().equals(checkpointed.metadata()) ? "metadata"
        : !replayed.files().equals(checkpointed.files()) ? "active files (" + replayed.files().size()
            + " replayed, " + checkpointed.files().size() + " in the checkpoint)"
        : !replayed.appTransactions().equals(checkpointed.appTransactions()) ? "application transactions"
        : !replayed.domains().equals(checkpointed.domains()) ? "domain metadata"
        : null;
    if (differs != null) {
      throw LogErrors.checkpointContradictsCommits(tableRoot, version, differs, checkpointFiles(version));
    }
  }

  private Snapshot finish(SnapshotBuilder builder, long version, long timestamp) {
    Protocol protocol = builder.protocol().orElseThrow(() -> LogErrors.missingProtocol(tableRoot, version));
    Metadata metadata = builder.metadata().orElseThrow(() -> LogErrors.missingMetadata(tableRoot, version));
    ProtocolSupport.checkReadable(tableRoot, version, protocol);
    Objects.requireNonNull(metadata);
    return builder.build(version, timestamp);
  }

  /** Receives the replay of a log, oldest version first. */
  public interface ReplayVisitor {
    /** The full state at the oldest reconstructable version. */
    void base(Snapshot snapshot);

    /** One commit after the base, with its actions in file order. */
    void commit(long version, long timestamp, List<Action> actions);

    /** Called once after the last commit. */
    default void done(long latestVersion) {}
  }
}
