package io.deltasql.core.mirror;

import io.deltasql.core.table.Snapshot;
import io.deltasql.core.table.SnapshotBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one table's mirror keeps between checkpoints so that the next checkpoint is built
 * incrementally: the snapshot of the last checkpoint it wrote (or loaded) and the versions
 * it has published since, with their actions. A checkpoint due at {@code v} is then the
 * base with those versions applied, with no catalog read; when the versions since the base
 * are not all known (another engine or a catalog-driven pass published some), the
 * snapshot is read from the catalog as before. It also remembers when the engine last wrote
 * a checkpoint of the table and how many files it held, which {@link #tooSoon} weighs
 * against {@link MirrorConfig#checkpointSpacing()}.
 *
 * <p>Guarded by the table's mirror lock, but for the last checkpoint's time and size.
 */
final class LogTail {
  /** Tables with more active files than this keep no base (the catalog is read at each checkpoint instead). */
  static final int MAX_BASE_FILES = 100_000;
  /** Versions kept since the base at most (checkpoints another engine wrote leave the base unused). */
  static final int MAX_SINCE = 1_000;

  private Snapshot base;
  private final List<CommittedVersion> since = new ArrayList<>();
  /**
   * When this engine last wrote a checkpoint of the table (ms), and its active files; kept by
   * {@link #reset}. Guarded by {@code this}: the checkpoint lane writes them.
   */
  private long checkpointedAt;
  private long checkpointedFiles = -1;

  /** Notes a version published from held actions, right after the previous one. */
  void published(CommittedVersion version) {
    long expected = base == null ? -1 : base.version() + since.size() + 1;
    if (base != null && version.version() == expected && version.actions().isPresent() && since.size() < MAX_SINCE) {
      since.add(version);
    } else {
      reset();
    }
  }

  /**
   * The snapshot at {@code version}: built from the base and the versions since up to
   * {@code version}, when they lead there, else {@code load}ed. Becomes the new base; the
   * versions after it are kept.
   */
  Snapshot snapshotAt(long version, long timestamp, Supplier<Snapshot> load) {
    Snapshot built;
    int upTo = base == null ? -1 : (int) (version - base.version());
    if (base != null && upTo >= 0 && upTo <= since.size()) {
      SnapshotBuilder builder = new SnapshotBuilder(base);
      since.subList(0, upTo).forEach(v -> builder.applyAll(v.actions().orElseThrow()));
      built = builder.build(version, timestamp);
      since.subList(0, upTo).clear();
    } else {
      built = load.get();
      since.clear();
    }
    base = built.files().size() <= MAX_BASE_FILES ? built : null;
    if (base == null) {
      since.clear();
    }
    return built;
  }

  /** Notes that a checkpoint of {@code files} active files was written at {@code millis}. */
  synchronized void checkpointed(long millis, long files) {
    checkpointedAt = millis;
    checkpointedFiles = files;
  }

  /**
   * Whether a checkpoint due at {@code now} comes too soon after the last one this engine
   * wrote: that one held more than {@code files} active files and is less than
   * {@code spacing} old. Never when no checkpoint was written yet.
   */
  synchronized boolean tooSoon(long now, Duration spacing, long files) {
    return checkpointedFiles > files && now - checkpointedAt < spacing.toMillis();
  }

  /** Forgets the base and the versions since: the next checkpoint reads the catalog. */
  void reset() {
    base = null;
    since.clear();
  }

  /** The version of the base, if any (tests). */
  Optional<Long> baseVersion() {
    return Optional.ofNullable(base).map(Snapshot::version);
  }
}
