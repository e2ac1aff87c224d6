package io.deltasql.core.mirror;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.catalog.MirrorStatus;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.mirror.CommitPublisher.Published;
import io.deltasql.core.storage.StoragePaths;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
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
  private final Clock clock;
  private final BooleanSupplier stopping;

  TableMirrorPass(CatalogStore catalog, CommitPublisher commits, CheckpointPublisher checkpoints, StorageRetry retry,
      MirrorConfig config, MirrorMetrics metrics, Clock clock, BooleanSupplier stopping) {
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

  /** The table at the start of a pass and its unmirrored versions, read in one transaction. */
  private record Start(TableInfo table, List<MirrorStatus> unmirrored) {}

  /** What mirroring one version did. */
  private sealed interface Step {
    /** The commit file is in the log; the checkpoint, if one was due, may have failed. */
    record Published(Optional<String> checkpointFailure) implements Step {}

    /** The commit file could not be written: the pass stops. */
    record Failed(String failure) implements Step {}

    /** A foreign commit file: the table is now diverged, the pass stops. */
    record Diverged(String reason) implements Step {}

    /** The version is still becoming visible in the catalog: the pass stops, nothing failed. */
    record NotVisibleYet() implements Step {}
  }

  /** Mirrors the table's unmirrored versions, trying each storage operation up to {@code attempts} times. */
  Result run(long tableId, int attempts) {
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
    return mirrorVersions(table, unmirrored, attempts);
  }

  /**
   * The rounds of a pass. The outcome's {@code mirroredThrough} is the version before the
   * one the pass stopped at or did not reach, else the newest version it knows of: the
   * versions still unmirrored before it only lack a checkpoint.
   */
  private Result mirrorVersions(TableInfo table, List<MirrorStatus> unmirrored, int attempts) {
    long tableId = table.tableId();
    Optional<String> failure = Optional.empty();
    OptionalLong stoppedAt = OptionalLong.empty();
    boolean diverged = false;
    boolean progressed = false;
    long lastHandled = -1;
    List<MirrorStatus> todo = unmirrored;
    try {
      rounds:
      for (int round = 1; !todo.isEmpty(); round++) {
        for (MirrorStatus status : todo) {
          if (stopping.getAsBoolean()) {
            failure = Optional.of(MirrorErrors.closed(tableId));
            stoppedAt = OptionalLong.of(status.version());
            break rounds;
          }
          Step step = mirrorVersionSafely(table, status.version(), attempts);
          lastHandled = status.version();
          if (step instanceof Step.Published published) {
            progressed = true;
            if (published.checkpointFailure().isPresent()) {
              failure = published.checkpointFailure();
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

  /** Mirrors one version; an unexpected failure (the catalog, a bug) is recorded on the version when possible. */
  private Step mirrorVersionSafely(TableInfo table, long version, int attempts) {
    try {
      return mirrorVersion(table, version, attempts);
    } catch (RuntimeException e) {
      String failure = MirrorErrors.passFailed(table.tableId(), e);
      metrics.failed();
      LOG.warn("mirror version failed table={} id={} version={} reason={}", table.qualifiedName(), table.tableId(),
          version, e.getMessage(), e);
      recordQuietly(table, version, failure);
      return new Step.Failed(failure);
    }
  }

  private Step mirrorVersion(TableInfo table, long version, int attempts) {
    long tableId = table.tableId();
    Optional<VersionToMirror> visible = catalog.inTransaction(tx ->
        VersionToMirror.read(tx, tableId, version, config.checkpointInterval()));
    if (visible.isEmpty()) {
      return new Step.NotVisibleYet();
    }
    VersionToMirror v = visible.get();
    String path = StoragePaths.join(StoragePaths.logDir(table.location()), LogFile.commitFileName(version));
    byte[] content = CommitJson.write(v.actions());
    Published published;
    try {
      published = retry.call("write " + path, attempts, () -> commits.publish(path, content));
    } catch (RuntimeException e) {
      String failure = MirrorErrors.writeFailed(table, version, attempts, e);
      metrics.failed();
      LOG.warn("mirror write failed table={} version={} txn={} attempts={} reason={}", table.qualifiedName(),
          version, v.txnId().orElse(""), attempts, e.getMessage());
      record(tableId, version, MirrorState.FAILED, Optional.of(failure));
      return new Step.Failed(failure);
    }
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
      metrics.mirrored(Duration.ofMillis(clock.millis() - v.commitTimestamp()));
      LOG.debug("mirror wrote table={} version={} txn={} path={}", table.qualifiedName(), version,
          v.txnId().orElse(""), path);
    } else {
      metrics.alreadyPresent();
      LOG.debug("mirror found version already written table={} version={} txn={} path={}", table.qualifiedName(),
          version, v.txnId().orElse(""), path);
    }
    Optional<String> checkpointFailure = v.checkpointDue() ? checkpoint(table, v, attempts) : Optional.empty();
    record(tableId, version, checkpointFailure.isEmpty() ? MirrorState.DONE : MirrorState.FAILED,
        checkpointFailure);
    return new Step.Published(checkpointFailure);
  }

  private Optional<String> checkpoint(TableInfo table, VersionToMirror v, int attempts) {
    try {
      boolean wrote = retry.call("checkpoint version " + v.version() + " of " + table.qualifiedName(), attempts,
          () -> checkpoints.publish(table, v.version()));
      if (wrote) {
        metrics.checkpointWritten();
        LOG.info("mirror checkpoint written table={} version={} txn={} interval={}", table.qualifiedName(),
            v.version(), v.txnId().orElse(""), v.checkpointInterval());
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      metrics.failed();
      LOG.warn("mirror checkpoint failed table={} version={} attempts={} reason={}", table.qualifiedName(),
          v.version(), attempts, e.getMessage());
      return Optional.of(MirrorErrors.checkpointFailed(table, v.version(), attempts, e));
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
