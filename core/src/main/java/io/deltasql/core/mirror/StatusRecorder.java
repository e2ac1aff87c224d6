package io.deltasql.core.mirror;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.catalog.MirrorState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the outcomes of handed-over versions in the catalog, many turns and tables per
 * catalog transaction: a worker's turn hands its {@code DONE} range (and any {@code FAILED}
 * version) over and goes on, and the recorder writes what was handed over within a delay
 * ({@link #DELAY} in the engine) in one transaction, consecutive ranges of a table merged into one
 * statement. With turns of one to three versions, one status transaction per turn cost the
 * mirror about as much as writing the commit files.
 *
 * <p><b>Order.</b> Outcomes are written in the order they were handed over, and flushes run
 * one at a time, so a checkpoint's {@code FAILED}, handed over after its version's
 * {@code DONE}, is never overwritten by it. {@link #flush()} returns once everything handed
 * over before the call is written (or given up): callers that read the mirror status, or
 * promise it (a synchronous publish, {@code awaitMirrored}, a catalog-driven pass), flush
 * first.
 *
 * <p><b>Failures.</b> When the one transaction fails (a dropped table's range, whose rows are
 * gone, or the catalog unreachable), each outcome is tried in a transaction of its own; one
 * that still fails is logged and left: its versions stay {@code PENDING}, and the reconciler
 * finds their commit files in place and records them, as after a crash between a write and
 * its status.
 *
 * <p>The thread is named {@code deltasql-mirror-status-N}, so that CPU counted by the
 * mirror's thread names includes it.
 */
final class StatusRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(StatusRecorder.class);
  /** How long an outcome waits for others to share its transaction, in the engine. */
  static final Duration DELAY = Duration.ofMillis(100);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final CatalogStore catalog;
  private final Duration delay;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread t = new Thread(task, "deltasql-mirror-status-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  /** Held while writing, so that flushes run one at a time, in order. */
  private final Object writing = new Object();
  /** Outcomes handed over and not yet taken by a flush, in order. Guarded by {@code this}. */
  private List<Outcome> outcomes = new ArrayList<>();
  /** Each table's last outcome in {@link #outcomes}, when it is a range that a next one may extend. Guarded by {@code this}. */
  private final Map<Long, Done> open = new HashMap<>();
  /** Whether a background flush is scheduled. Guarded by {@code this}. */
  private boolean scheduled;

  /** A recorder that writes what is handed over within {@code delay}, or when {@link #flush() flushed}. */
  StatusRecorder(CatalogStore catalog, Duration delay) {
    this.catalog = catalog;
    this.delay = delay;
  }

  /** One status write. */
  private sealed interface Outcome {
    long tableId();
  }

  /** Versions {@code from..to} of a table written to its log. */
  private static final class Done implements Outcome {
    final long tableId;
    final long from;
    long to;

    Done(long tableId, long from, long to) {
      this.tableId = tableId;
      this.from = from;
      this.to = to;
    }

    @Override
    public long tableId() {
      return tableId;
    }
  }

  /** A version left {@code FAILED}, with why. */
  private record Failed(long tableId, long version, String reason) implements Outcome {}

  /** Hands over versions {@code from..to} of a table, now in its log. */
  void done(long tableId, long from, long to) {
    synchronized (this) {
      Done last = open.get(tableId);
      if (last != null && last.to + 1 == from) {
        last.to = to;
      } else {
        Done done = new Done(tableId, from, to);
        outcomes.add(done);
        open.put(tableId, done);
      }
    }
    scheduleFlush();
  }

  /** Hands over a version to be left {@code FAILED} with {@code reason}, after the outcomes handed over before. */
  void failed(long tableId, long version, String reason) {
    synchronized (this) {
      outcomes.add(new Failed(tableId, version, reason));
      open.remove(tableId);
    }
    scheduleFlush();
  }

  private void scheduleFlush() {
    synchronized (this) {
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    try {
      thread.schedule(this::backgroundFlush, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        scheduled = false;
      }
      flush(); // closing: write it now
    }
  }

  private void backgroundFlush() {
    synchronized (this) {
      scheduled = false;
    }
    flush();
  }

  /**
   * Writes every outcome handed over before this call, in this thread unless a flush that
   * took them is running (then waits for it). Never throws: what cannot be written is logged.
   */
  void flush() {
    synchronized (writing) {
      List<Outcome> batch;
      synchronized (this) {
        if (outcomes.isEmpty()) {
          return;
        }
        batch = outcomes;
        outcomes = new ArrayList<>();
        open.clear();
      }
      write(batch);
    }
  }

  /**
   * Writes {@code batch} in one transaction, grouped by table (a stable sort: each table's
   * outcomes keep their order), so that two engines' flushes lock rows in the same order.
   */
  private void write(List<Outcome> batch) {
    batch.sort(Comparator.comparingLong(Outcome::tableId));
    try {
      catalog.inTransaction(tx -> {
        batch.forEach(o -> record(tx, o));
        return null;
      });
    } catch (RuntimeException e) {
      LOG.debug("mirror status batch failed, recording one by one outcomes={} reason={}", batch.size(),
          e.getMessage());
      for (Outcome o : batch) {
        try {
          catalog.inTransaction(tx -> {
            record(tx, o);
            return null;
          });
        } catch (RuntimeException each) {
          LOG.warn("mirror status not recorded, the reconciler will table id={} outcome={} reason={}", o.tableId(),
              describe(o), each.getMessage());
        }
      }
    }
  }

  private static void record(CatalogTransaction tx, Outcome o) {
    if (o instanceof Done d) {
      tx.recordMirrored(d.tableId, d.from, d.to);
    } else if (o instanceof Failed f) {
      tx.recordMirrorAttempt(f.tableId(), f.version(), MirrorState.FAILED, Optional.of(f.reason()));
    }
  }

  private static String describe(Outcome o) {
    return o instanceof Done d ? "DONE " + d.from + ".." + d.to
        : "FAILED " + ((Failed) o).version();
  }

  /** Writes what is handed over, then stops the thread. */
  void close() {
    thread.shutdown();
    flush();
    try {
      thread.awaitTermination(MirrorEngine.CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
