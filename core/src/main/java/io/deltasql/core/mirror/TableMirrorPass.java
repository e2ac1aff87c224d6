package io.deltasql.core.mirror;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.catalog.MirrorStatus;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.mirror.CommitPublisher.Published;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mirror pass over one table: every unmirrored version, oldest first, each written
 * with {@link CommitPublisher} and, when due, checkpointed with
 * {@link CheckpointPublisher}; the outcome of each is recorded in the catalog.
 *
 * <p>A version whose commit file cannot be written stops the pass (a later version must
 * never appear before it). A version whose commit file is written but whose checkpoint
 * is not is left {@code FAILED} and the pass goes on: the log is complete, and the next
 * pass finds the commit file in place and tries the checkpoint again. A foreign commit
 * file marks the table diverged and stops it for good. A version the catalog does not
 * show completely yet (a commit still becoming visible) ends the pass quietly: the next
 * one, or the committer's own call, publishes it.
 *
 * <p>Versions committed while the pass runs are picked up before it ends (a few rounds
 * at most), so a writer waiting for the table's lock usually finds nothing left to do.
 * The caller serializes passes of one table.
 */
final class TableMirrorPass {
  private static final Logger LOG = LoggerFactory.getLogger(TableMirrorPass.class);
  /** Re-reads of the unmirrored versions within one pass, to catch commits made meanwhile. */
  private static final int MAX_ROUNDS = 4;

  private final CatalogStore catalog;
  private final CommitPublisher commits;
  private final CheckpointPublisher checkpoints;
  private final StorageRetry retry;
  private final MirrorConfig config;
  private final MirrorMetrics metrics;
  private final MirrorLag lag;
  private final Clock clock;
  private final BooleanSupplier stopping;
  private final MirrorListener listener;
  private final CheckpointLane lane;
  private final StatusRecorder status;

  TableMirrorPass(CatalogStore catalog, CommitPublisher commits, CheckpointPublisher checkpoints, StorageRetry retry,
      MirrorConfig config, MirrorMetrics metrics, MirrorLag lag, Clock clock, BooleanSupplier stopping,
      MirrorListener listener, CheckpointLane lane, StatusRecorder status) {
    this.lag = lag;
    this.listener = listener;
    this.lane = lane;
    this.status = status;
    this.catalog = catalog;
    this.commits = commits;
    this.checkpoints = checkpoints;
    this.retry = retry;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.stopping = stopping;
  }

  /** What a pass did: its outcome, and whether it published at least one version (storage works). */
  record Result(MirrorOutcome outcome, boolean progressed) {}

  /**
   * What publishing held versions did.
   *
   * @param outcome what the versions handled reached
   * @param through the newest version whose commit file is now known to be in the log
   * @param needsPass whether versions are left that only a catalog-driven pass can handle
   *     (not the next one, not held, or a commit file found with other content)
   */
  record HeldResult(MirrorOutcome outcome, long through, boolean needsPass) {}

  /** The table at the start of a pass and its unmirrored versions, read in one transaction. */
  private record Start(TableInfo table, List<MirrorStatus> unmirrored) {}

  /** What mirroring one version did. */
  private sealed interface Step {
    /**
     * The commit file is in the log; the checkpoint, if one was due, may have failed, or is
     * {@code deferred} to the {@link CheckpointLane}.
     */
    record Published(Optional<String> checkpointFailure, Optional<DueCheckpoint> deferred) implements Step {}

    /** The commit file could not be written: the pass stops. */
    record Failed(String failure) implements Step {}

    /** A foreign commit file: the table is now diverged, the pass stops. */
    record Diverged(String reason) implements Step {}

    /** The version is still becoming visible in the catalog: the pass stops, nothing failed. */
    record NotVisibleYet() implements Step {}
  }

  /** A checkpoint due at {@code version}, left for the {@link CheckpointLane}. */
  private record DueCheckpoint(long version, String txnId, int interval) {}

  /**
   * Mirrors the table's unmirrored versions, trying each storage operation up to
   * {@code attempts} times. With a {@code laneTail} (a mirror worker's pass), the newest
   * checkpoint due is read from the catalog and written by the {@link CheckpointLane} after
   * the pass, unless the tail's spacing leaves it out, so that no commit file waits for a
   * checkpoint; without one (an explicit mirror or reconcile), it is written within the pass
   * and its failure is in the outcome.
   */
  Result run(long tableId, int attempts, Optional<LogTail> laneTail) {
    Optional<Start> start;
    try {
      start = read(tableId);
    } catch (RuntimeException e) {
      return stopped(tableId, -1, 0, MirrorErrors.passFailed(tableId, e));
    }
    if (start.isEmpty()) {
      LOG.debug("mirror skips unknown table id={} (dropped?)", tableId);
      return new Result(MirrorOutcome.skipped(tableId), false);
    }
    TableInfo table = start.get().table();
    List<MirrorStatus> unmirrored = start.get().unmirrored();
    if (table.divergence().isPresent()) {
      long through = unmirrored.isEmpty() ? table.currentVersion() : unmirrored.get(0).version() - 1;
      return new Result(new MirrorOutcome(tableId, through, unmirrored.size(),
          Optional.of(MirrorErrors.alreadyDiverged(table, table.divergence().get())), true), false);
    }
    return mirrorVersions(table, unmirrored, attempts, laneTail);
  }

  /**
   * The rounds of a pass. The outcome's {@code mirroredThrough} is the version before the
   * one the pass stopped at or did not reach, else the newest version it knows of: the
   * versions still unmirrored before it only lack a checkpoint.
   */
  private Result mirrorVersions(TableInfo table, List<MirrorStatus> unmirrored, int attempts,
      Optional<LogTail> laneTail) {
    long tableId = table.tableId();
    Optional<String> failure = Optional.empty();
    OptionalLong stoppedAt = OptionalLong.empty();
    boolean diverged = false;
    boolean progressed = false;
    long lastHandled = -1;
    List<MirrorStatus> todo = unmirrored;
    Optional<DueCheckpoint> deferred = Optional.empty();
    try {
      rounds:
      for (int round = 1; !todo.isEmpty(); round++) {
        long newest = todo.get(todo.size() - 1).version();
        for (MirrorStatus status : todo) {
          if (stopping.getAsBoolean()) {
            failure = Optional.of(MirrorErrors.closed(tableId));
            stoppedAt = OptionalLong.of(status.version());
            break rounds;
          }
          Step step = mirrorVersionSafely(table, status.version(), newest, attempts, laneTail.isPresent());
          lastHandled = status.version();
          if (step instanceof Step.Published published) {
            progressed = true;
            if (published.checkpointFailure().isPresent()) {
              failure = published.checkpointFailure();
            }
            if (published.deferred().isPresent()) {
              deferred = published.deferred();
            }
            continue;
          }
          if (step instanceof Step.Failed failed) {
            failure = Optional.of(failed.failure());
          } else if (step instanceof Step.Diverged divergence) {
            failure = Optional.of(divergence.reason());
            diverged = true;
          }
          stoppedAt = OptionalLong.of(status.version());
          break rounds;
        }
        unmirrored = unmirrored(tableId);
        long after = lastHandled;
        todo = round < MAX_ROUNDS ? unmirrored.stream().filter(s -> s.version() > after).toList() : List.of();
      }
      if (deferred.isPresent()) {
        submitCheckpoint(table, deferred.get(), attempts, laneTail.orElseThrow());
      }
      if (stoppedAt.isPresent()) {
        unmirrored = unmirrored(tableId);
      }
      long after = lastHandled;
      OptionalLong blocked = stoppedAt.isPresent() ? stoppedAt
          : unmirrored.stream().mapToLong(MirrorStatus::version).filter(v -> v > after).findFirst();
      long through = blocked.isPresent() ? blocked.getAsLong() - 1 : Math.max(table.currentVersion(), lastHandled);
      return new Result(new MirrorOutcome(tableId, through, unmirrored.size(), failure, diverged), progressed);
    } catch (RuntimeException e) {
      long through = stoppedAt.isPresent() ? stoppedAt.getAsLong() - 1 : lastHandled;
      Result stopped = stopped(tableId, through, unmirrored.size(), MirrorErrors.passFailed(tableId, e));
      return new Result(stopped.outcome(), progressed);
    }
  }

  /**
   * Publishes versions whose actions the committer handed over, from those actions: no
   * catalog read per version. {@code through} is the newest version known to be in the log;
   * only the versions right after it are written (a later version never before an earlier
   * one), each put-if-absent; the newest checkpoint due is built from {@code tail} and
   * written by the {@link CheckpointLane}, both unless the checkpoint spacing leaves it out
   * ({@link #prepareCheckpoint}), after the versions are handed to the {@link StatusRecorder}. Every
   * version published is handed over {@code DONE} at the end, as ranges (a checkpoint that
   * fails then leaves its version {@code FAILED}, as a pass does). Anything else (a
   * version not held or not next, a commit file with other content, which only the
   * catalog's copy can judge) is left to a catalog-driven pass: {@code needsPass}.
   */
  HeldResult publishHeld(TableInfo table, long through, List<CommittedVersion> versions, int attempts,
      LogTail tail) {
    long tableId = table.tableId();
    long last = through;
    Optional<String> failure = Optional.empty();
    Map<Long, String> failed = new LinkedHashMap<>();
    boolean needsPass = false;
    boolean progressed = false;
    List<CommittedVersion> due = new ArrayList<>();
    for (CommittedVersion v : versions) {
      if (v.version() <= last) {
        continue; // published meanwhile by a pass of this engine
      }
      if (stopping.getAsBoolean()) {
        failure = Optional.of(MirrorErrors.closed(tableId));
        break;
      }
      if (v.version() != last + 1 || !v.held()) {
        needsPass = true;
        break;
      }
      long version = v.version();
      String path = StoragePaths.join(StoragePaths.logDir(table.location()), LogFile.commitFileName(version));
      Written write = write(table, version, v.txnId(), path, CommitJson.write(v.actions().get()), v.commitTimestamp(), attempts);
      if (write.failure().isPresent()) {
        failed.put(version, write.failure().get());
        failure = write.failure();
        break;
      }
      Published published = write.published();
      if (published instanceof Published.Foreign) {
        needsPass = true; // the pass compares the file with the catalog's copy and decides
        break;
      }
      progressed = true;
      if (published instanceof Published.Written) {
        metrics.mirrored(lag.written(tableId, version, v.commitTimestamp()));
        notifyPublished(tableId, version, v.commitTimestamp());
      } else {
        metrics.alreadyPresent();
      }
      tail.published(v);
      last = version;
      if (VersionToMirror.checkpointDue(version, interval(v))) {
        due.add(v);
      }
    }
    CommittedVersion checkpointAt = null;
    for (CommittedVersion v : due) {
      if (newestDueCheckpoint(table, v.version(), interval(v), last)) {
        checkpointAt = v;
      }
    }
    Optional<Runnable> dueCheckpoint = checkpointAt == null ? Optional.empty()
        : prepareCheckpoint(table, checkpointAt, interval(checkpointAt), attempts, tail);
    List<long[]> done = new ArrayList<>();
    long from = through + 1;
    long publishedThrough = last;
    for (long v : failed.keySet().stream().filter(v -> v <= publishedThrough).sorted().toList()) {
      if (from < v) {
        done.add(new long[] {from, v - 1});
      }
      from = v + 1;
    }
    if (from <= last) {
      done.add(new long[] {from, last});
    }
    for (long[] range : done) {
      status.done(tableId, range[0], range[1]);
    }
    failed.forEach((version, reason) -> status.failed(tableId, version, reason));
    // After the versions' DONE: a checkpoint that fails records its version FAILED over it.
    dueCheckpoint.ifPresent(c -> lane.submit(tableId, c));
    long reached = last;
    long pending = failed.keySet().stream().filter(v -> v <= reached).count()
        + versions.stream().filter(v -> v.version() > reached).count();
    if (progressed) {
      LOG.debug("mirror published held versions table={} from={} through={}", table.qualifiedName(), through + 1,
          last);
    }
    return new HeldResult(new MirrorOutcome(tableId, last, pending, failure, false), last, needsPass);
  }

  /** The checkpoint interval in force at a held version. */
  private int interval(CommittedVersion v) {
    return VersionToMirror.checkpointInterval(v.metadata().orElseThrow(), config.checkpointInterval());
  }

  /**
   * Whether the checkpoint due at {@code version} (every {@code interval} versions) is the newest
   * one due in a run of versions mirrored together that ends at {@code newest}: only that one is
   * written, by a pass and for held versions alike. An older one would be superseded at once (a
   * reader starts from the newest checkpoint at or before its version); a pass that caught up on
   * many versions of a large table (an engine's first pass over a table being written, the
   * reconciler after an outage) otherwise read the table's snapshot and wrote a checkpoint of every
   * file for each tenth version, and fell further behind than it caught up. One left out is
   * counted in {@code deltasql.mirror.checkpoints.spaced}. False when none is due at {@code version}.
   */
  private boolean newestDueCheckpoint(TableInfo table, long version, int interval, long newest) {
    if (!VersionToMirror.checkpointDue(version, interval)) {
      return false;
    }
    if (newest / interval * interval <= version) {
      return true;
    }
    metrics.checkpointSpaced();
    LOG.debug("mirror checkpoint superseded table={} version={} newest={}", table.qualifiedName(), version, newest);
    return false;
  }

  /**
   * The checkpoint due at held version {@code cp}, for the {@link CheckpointLane}: the recipe
   * of its snapshot taken from {@code tail} here (the table's lock is held), the snapshot
   * computed and written by the lane. Empty when it comes too soon after the previous one of
   * a large table ({@link LogTail#tooSoon}): the log is complete without it (a reader replays
   * the commit files since the previous checkpoint).
   */
  private Optional<Runnable> prepareCheckpoint(TableInfo table, CommittedVersion cp, int interval, int attempts,
      LogTail tail) {
    if (spaced(table, cp.version(), tail)) {
      return Optional.empty();
    }
    Supplier<Snapshot> snapshot = tail.checkpointSnapshot(cp.version(), cp.commitTimestamp(),
        () -> catalog.snapshotAt(table.tableId(), cp.version()));
    return Optional.of(() -> writeCheckpoint(table, cp.version(), cp.txnId(), interval, attempts, snapshot, tail));
  }

  /** Whether the checkpoint due at {@code version} is left out for the spacing (counted, logged). */
  private boolean spaced(TableInfo table, long version, LogTail tail) {
    if (!tail.tooSoon(clock.millis(), config.checkpointSpacing(), config.checkpointSpacingFiles())) {
      return false;
    }
    metrics.checkpointSpaced();
    LOG.debug("mirror checkpoint left out table={} version={} spacing={}", table.qualifiedName(), version,
        config.checkpointSpacing());
    return true;
  }

  /**
   * The lane's step: writes the checkpoint of {@code snapshot}; notes it in {@code tail} for
   * the spacing, with its cost (reading the snapshot and writing it), or leaves the version
   * {@code FAILED} for the reconciler, as a pass does.
   */
  private void writeCheckpoint(TableInfo table, long version, String txnId, int interval, int attempts,
      Supplier<Snapshot> snapshot, LogTail tail) {
    int[] files = {-1};
    long start = clock.millis();
    tail.checkpointStarted();
    Optional<String> failure = Optional.empty();
    try {
      failure = checkpoint(table, version, txnId, interval, attempts, () -> {
        Snapshot s = snapshot.get();
        files[0] = s.files().size();
        return s;
      });
    } finally {
      if (failure.isEmpty() && files[0] >= 0) {
        long end = clock.millis();
        tail.checkpointed(end, files[0], end - start);
      } else {
        tail.checkpointFailed();
      }
    }
    if (failure.isPresent()) {
      status.failed(table.tableId(), version, failure.get());
    }
  }

  /**
   * Hands the checkpoint a pass found due to the lane, which reads its snapshot from the
   * catalog (a pure function of the version) and writes it; it becomes the base of the next
   * one. Left out when it comes too soon after the engine's previous checkpoint of a large
   * table, as for held versions.
   */
  private void submitCheckpoint(TableInfo table, DueCheckpoint due, int attempts, LogTail tail) {
    if (spaced(table, due.version(), tail)) {
      return;
    }
    Supplier<Snapshot> snapshot = tail.checkpointSnapshot(due.version(), 0,
        () -> catalog.snapshotAt(table.tableId(), due.version()));
    lane.submit(table.tableId(), () -> writeCheckpoint(table, due.version(), due.txnId(), due.interval(), attempts,
        snapshot, tail));
  }

  /** A commit file write: what it found, or why it failed after every try. */
  private record Written(Published published, Optional<String> failure) {}

  /** Publishes one commit file with retries; a failure is counted and logged, not recorded. */
  private Written write(TableInfo table, long version, String txnId, String path, byte[] content,
      long commitTimestamp, int attempts) {
    try {
      return new Written(retry.call("write " + path, attempts, () -> commits.publish(path, content, commitTimestamp)),
          Optional.empty());
    } catch (RuntimeException e) {
      metrics.failed();
      LOG.warn("mirror write failed table={} version={} txn={} attempts={} reason={}", table.qualifiedName(),
          version, txnId, attempts, e.getMessage());
      return new Written(null, Optional.of(MirrorErrors.writeFailed(table, version, attempts, e)));
    }
  }

  private void notifyPublished(long tableId, long version, long commitTimestamp) {
    try {
      listener.published(tableId, version, commitTimestamp);
    } catch (RuntimeException e) {
      LOG.debug("mirror listener failed table={} version={} reason={}", tableId, version, e.toString());
    }
  }

  /**
   * Mirrors one version; an unexpected failure (the catalog, a bug) is recorded on the version when possible.
   * {@code newest} is the newest version this round of the pass will mirror.
   */
  private Step mirrorVersionSafely(TableInfo table, long version, long newest, int attempts, boolean defer) {
    try {
      return mirrorVersion(table, version, newest, attempts, defer);
    } catch (RuntimeException e) {
      String failure = MirrorErrors.passFailed(table.tableId(), e);
      metrics.failed();
      LOG.warn("mirror version failed table={} id={} version={} reason={}", table.qualifiedName(), table.tableId(),
          version, e.getMessage(), e);
      recordQuietly(table, version, failure);
      return new Step.Failed(failure);
    }
  }

  private Step mirrorVersion(TableInfo table, long version, long newest, int attempts, boolean defer) {
    long tableId = table.tableId();
    Optional<VersionToMirror> visible = catalog.inTransaction(tx ->
        VersionToMirror.read(tx, tableId, version, config.checkpointInterval()));
    if (visible.isEmpty()) {
      return new Step.NotVisibleYet();
    }
    VersionToMirror v = visible.get();
    String path = StoragePaths.join(StoragePaths.logDir(table.location()), LogFile.commitFileName(version));
    Written write = write(table, version, v.txnId().orElse(""), path, CommitJson.write(v.actions()), v.commitTimestamp(), attempts);
    if (write.failure().isPresent()) {
      record(tableId, version, MirrorState.FAILED, write.failure());
      return new Step.Failed(write.failure().get());
    }
    Published published = write.published();
    if (published instanceof Published.Foreign foreign) {
      String reason = MirrorErrors.foreignCommit(table, version, path, foreign.reason());
      catalog.inTransaction(tx -> {
        tx.setDivergence(tableId, Optional.of(reason));
        tx.recordMirrorAttempt(tableId, version, MirrorState.FAILED, Optional.of(reason));
        return null;
      });
      metrics.diverged();
      LOG.error("mirror found a foreign commit, table diverged table={} version={} txn={} path={} reason={}",
          table.qualifiedName(), version, v.txnId().orElse(""), path, foreign.reason());
      return new Step.Diverged(reason);
    }
    if (published instanceof Published.Written) {
      metrics.mirrored(lag.written(tableId, version, v.commitTimestamp()));
      notifyPublished(tableId, version, v.commitTimestamp());
      LOG.debug("mirror wrote table={} version={} txn={} path={}", table.qualifiedName(), version,
          v.txnId().orElse(""), path);
    } else {
      metrics.alreadyPresent();
      LOG.debug("mirror found version already written table={} version={} txn={} path={}", table.qualifiedName(),
          version, v.txnId().orElse(""), path);
    }
    boolean due = newestDueCheckpoint(table, version, v.checkpointInterval(), newest);
    if (due && defer) {
      record(tableId, version, MirrorState.DONE, Optional.empty());
      return new Step.Published(Optional.empty(),
          Optional.of(new DueCheckpoint(version, v.txnId().orElse(""), v.checkpointInterval())));
    }
    Optional<String> checkpointFailure = due
        ? checkpoint(table, version, v.txnId().orElse(""), v.checkpointInterval(), attempts,
            () -> catalog.snapshotAt(tableId, version))
        : Optional.empty();
    record(tableId, version, checkpointFailure.isEmpty() ? MirrorState.DONE : MirrorState.FAILED,
        checkpointFailure);
    return new Step.Published(checkpointFailure, Optional.empty());
  }

  private Optional<String> checkpoint(TableInfo table, long version, String txnId, int interval, int attempts,
      Supplier<Snapshot> snapshot) {
    try {
      boolean wrote = retry.call("checkpoint version " + version + " of " + table.qualifiedName(), attempts,
          () -> checkpoints.publish(table, version, snapshot));
      if (wrote) {
        metrics.checkpointWritten();
        LOG.info("mirror checkpoint written table={} version={} txn={} interval={}", table.qualifiedName(),
            version, txnId, interval);
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      metrics.failed();
      LOG.warn("mirror checkpoint failed table={} version={} attempts={} reason={}", table.qualifiedName(),
          version, attempts, e.getMessage());
      return Optional.of(MirrorErrors.checkpointFailed(table, version, attempts, e));
    }
  }

  /**
   * The table, then its unmirrored versions up to the current version that read saw. A
   * commit being made while this runs may show its mirror status row before its table
   * row (H2 at READ COMMITTED makes a commit visible table by table); such a version is
   * left to the next pass, so that the pass never asks for a version the catalog does not
   * show yet.
   */
  private Optional<Start> read(long tableId) {
    return catalog.inTransaction(tx -> tx.findTable(tableId).map(table -> new Start(table,
        tx.unmirroredVersions(tableId).stream().filter(s -> s.version() <= table.currentVersion()).toList())));
  }

  private List<MirrorStatus> unmirrored(long tableId) {
    return read(tableId).map(Start::unmirrored).orElse(List.of());
  }

  private void record(long tableId, long version, MirrorState state, Optional<String> error) {
    catalog.inTransaction(tx -> {
      tx.recordMirrorAttempt(tableId, version, state, error);
      return null;
    });
  }

  private void recordQuietly(TableInfo table, long version, String failure) {
    try {
      record(table.tableId(), version, MirrorState.FAILED, Optional.of(failure));
    } catch (RuntimeException e) {
      LOG.debug("mirror cannot record failure table={} version={} reason={}", table.qualifiedName(), version,
          e.getMessage());
    }
  }

  private static Result stopped(long tableId, long through, long pending, String failure) {
    LOG.warn("mirror pass stopped id={} reason={}", tableId, failure);
    return new Result(new MirrorOutcome(tableId, through, pending, Optional.of(failure), false), false);
  }
}
