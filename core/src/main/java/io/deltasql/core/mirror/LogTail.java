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
 * incrementally, and off the thread that writes commit files: the snapshot of the last
 * checkpoint handed to the {@link CheckpointLane} (its base, computed by the lane when it
 * gets to it) and the versions published since, with their actions. A checkpoint due at
 * {@code v} is then a {@link #checkpointSnapshot} that the lane computes as the base with
 * those versions applied, with no catalog read; when the versions since the base are not
 * all known (another engine or a catalog-driven pass published some), or the table is too
 * large to keep a base, the lane reads the snapshot from the catalog. Either way the worker
 * that asks only composes the recipe: a large table's snapshot (seconds to read from the
 * catalog at 100k files on a loaded machine) never holds back its commit files.
 *
 * <p>It also remembers when the engine last wrote a checkpoint of the table, how many
 * files it held and how long it took, which {@link #tooSoon} weighs against
 * {@link MirrorConfig#checkpointSpacing()}: the spacing of a large table grows with its
 * checkpoints' cost, so that they take a bounded share of the mirror's time.
 *
 * <p>Guarded by the table's mirror lock, but for the checkpoints' time, size and cost.
 */
final class LogTail {
  /**
   * Tables whose last checkpoint held more active files than this keep no base (the lane reads
   * the catalog at each checkpoint instead): a base holds about 600 bytes a file.
   */
  static final int MAX_BASE_FILES = 250_000;
  /** Versions kept since the base at most; more are folded into the next base's recipe. */
  static final int MAX_SINCE = 1_000;
  /**
   * Folds of {@link #MAX_SINCE} versions into a base that no checkpoint has asked for yet, at
   * most: each fold's recipe holds its versions' actions until the lane computes it, so while
   * checkpoints are left out (spacing) more would grow without bound; past it the base is
   * dropped and the next checkpoint reads the catalog.
   */
  static final int MAX_FOLDS = 8;
  /**
   * A large table's checkpoints are at least this many times their own cost apart (from the
   * end of one to the next), so that they take at most a fifth of one thread's time.
   */
  static final int COST_FACTOR = 4;

  /** The snapshot at {@link #baseVersion}, as a recipe the lane computes once; null: none. */
  private Supplier<Snapshot> base;
  private long baseVersion = -1;
  /**
   * Held versions published one after another, with their actions: right after the base when
   * there is one, else the newest run (for a checkpoint within it, read from the catalog).
   */
  private final List<CommittedVersion> since = new ArrayList<>();
  /** Folds into the base since the last {@link #checkpointSnapshot}. */
  private int folds;
  /** Guarded by {@code this}: the checkpoint lane writes them. */
  private long checkpointedAt;
  private long checkpointedFiles = -1;
  private long checkpointCost;
  private boolean writing;

  /** Notes a version published from held actions. */
  void published(CommittedVersion version) {
    long expected = !since.isEmpty() ? since.get(since.size() - 1).version() + 1
        : base != null ? baseVersion + 1 : version.version();
    if (version.version() != expected || version.actions().isEmpty()) {
      reset();
      return;
    }
    if (since.size() >= MAX_SINCE) {
      if (base == null) {
        since.remove(0);
      } else if (folds >= MAX_FOLDS) {
        reset();
      } else {
        folds++;
        long upTo = since.get(since.size() - 1).version();
        base = advanced(base, List.copyOf(since), upTo, since.get(since.size() - 1).commitTimestamp());
        baseVersion = upTo;
        since.clear();
      }
    }
    since.add(version);
  }

  /**
   * The snapshot at {@code version} for its checkpoint, computed when first asked (by the
   * lane): the base with the versions since applied, when they lead there, else {@code load}ed.
   * Becomes the new base, unless the table is too large to keep one; the versions after it
   * are kept. Costs the caller nothing but the recipe.
   */
  Supplier<Snapshot> checkpointSnapshot(long version, long timestamp, Supplier<Snapshot> load) {
    folds = 0;
    int upTo = base == null ? -1 : (int) (version - baseVersion);
    Supplier<Snapshot> snapshot;
    if (base != null && upTo >= 0 && upTo <= since.size()) {
      snapshot = upTo == 0 ? base : advanced(base, List.copyOf(since.subList(0, upTo)), version, timestamp);
    } else {
      snapshot = new Once(load);
    }
    since.removeIf(v -> v.version() <= version);
    boolean keepBase = checkpointedFiles() <= MAX_BASE_FILES;
    if (!keepBase || (!since.isEmpty() && since.get(0).version() != version + 1)) {
      since.clear();
    }
    base = keepBase ? snapshot : null;
    baseVersion = keepBase ? version : -1;
    return snapshot;
  }

  private static Supplier<Snapshot> advanced(Supplier<Snapshot> from, List<CommittedVersion> versions, long version,
      long timestamp) {
    return new Once(() -> {
      SnapshotBuilder builder = new SnapshotBuilder(from.get());
      versions.forEach(v -> builder.applyAll(v.actions().orElseThrow()));
      return builder.build(version, timestamp);
    });
  }

  /** Notes that the lane starts writing a checkpoint. */
  synchronized void checkpointStarted() {
    writing = true;
  }

  /**
   * Notes that a checkpoint of {@code files} active files was written at {@code millis}
   * (its end), after {@code costMillis} of reading and writing.
   */
  synchronized void checkpointed(long millis, long files, long costMillis) {
    writing = false;
    checkpointedAt = millis;
    checkpointedFiles = files;
    checkpointCost = costMillis;
  }

  /** Notes that the checkpoint the lane started was not written. */
  synchronized void checkpointFailed() {
    writing = false;
  }

  private synchronized long checkpointedFiles() {
    return checkpointedFiles;
  }

  /**
   * Whether a checkpoint due at {@code now} comes too soon after the last one this engine
   * wrote, when that one held more than {@code files} active files: while another is being
   * written, or less than {@code spacing}, or {@link #COST_FACTOR} times the last one's cost,
   * after its end. Never when no checkpoint was written yet, nor with a zero spacing.
   */
  synchronized boolean tooSoon(long now, Duration spacing, long files) {
    if (checkpointedFiles <= files || spacing.isZero()) {
      return false;
    }
    return writing || now - checkpointedAt < Math.max(spacing.toMillis(), COST_FACTOR * checkpointCost);
  }

  /** Forgets the base and the versions since: the next checkpoint reads the catalog. */
  void reset() {
    base = null;
    baseVersion = -1;
    since.clear();
    folds = 0;
  }

  /** The version of the base, if any (tests). */
  Optional<Long> baseVersion() {
    return base == null ? Optional.empty() : Optional.of(baseVersion);
  }

  /** A snapshot computed once, by whoever asks first; a failure is retried by the next ask. */
  private static final class Once implements Supplier<Snapshot> {
    private Supplier<Snapshot> compute;
    private Snapshot value;

    Once(Supplier<Snapshot> compute) {
      this.compute = compute;
    }

    @Override
    public synchronized Snapshot get() {
      if (value == null) {
        value = compute.get();
        compute = null; // lets the base it was built from go
      }
      return value;
    }
  }
}
