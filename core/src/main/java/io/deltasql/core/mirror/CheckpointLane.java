package io.deltasql.core.mirror;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the checkpoints that the mirror's workers find due, on a thread of its own, so that
 * no table's commit files wait behind a checkpoint: the first checkpoint in a JVM loads
 * Parquet (seconds on a loaded machine, with every worker that reached a due version
 * waiting for it), and each one rewrites the table's whole file list.
 *
 * <p>Per table, only the newest checkpoint handed over and not yet started is kept: when
 * checkpoints fall behind the commits, older ones would be superseded at once (a reader
 * starts from the newest checkpoint at or before its version). Checkpoints of one table are
 * written one at a time, in the order handed over. A checkpoint not written when the engine
 * stops is simply missing: the log is complete without it, readers replay the commit files
 * since the previous one, and the next due one is written. The thread is named
 * {@code deltasql-mirror-checkpoint-N}, so that CPU counted by the mirror's thread names
 * includes it.
 */
final class CheckpointLane {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointLane.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
    Thread t = new Thread(task, "deltasql-mirror-checkpoint-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  /** The newest checkpoint of each table not yet started. Guarded by {@code this}. */
  private final Map<Long, Runnable> pending = new HashMap<>();
  /** Tables with a checkpoint pending or being written. Guarded by {@code this}. */
  private final Set<Long> active = new HashSet<>();

  /** Queues {@code checkpoint} of the table, replacing one of the table not yet started. */
  void submit(long tableId, Runnable checkpoint) {
    synchronized (this) {
      pending.put(tableId, checkpoint);
      if (!active.add(tableId)) {
        return; // the table's task takes the newest one when it gets to it
      }
    }
    try {
      thread.execute(() -> writeAll(tableId));
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        pending.remove(tableId);
        active.remove(tableId);
        notifyAll();
      }
      LOG.debug("mirror checkpoint not written, the engine is closing table id={}", tableId);
    }
  }

  private void writeAll(long tableId) {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = pending.remove(tableId);
        if (next == null) {
          active.remove(tableId);
          notifyAll();
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException | LinkageError e) {
        // LinkageError: Parquet missing or broken on the class path fails this checkpoint, not the lane
        LOG.warn("mirror checkpoint task failed table id={} reason={}", tableId, e.toString(), e);
      } catch (Error e) {
        synchronized (this) {
          // the table must not stay active: commits waiting for its checkpoints would wait their full timeout
          pending.remove(tableId);
          active.remove(tableId);
          notifyAll();
        }
        throw e;
      }
    }
  }

  /**
   * Waits until the table has no checkpoint pending or being written, or {@code deadline}
   * ({@link System#nanoTime()}) passes; returns whether it has none.
   */
  synchronized boolean await(long tableId, long deadline) {
    while (active.contains(tableId)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Lets the queued checkpoints be written for at most {@code grace}, then stops the thread. */
  void close(Duration grace) {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("mirror checkpoints not written within {} ms are left out", grace.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.shutdownNow();
  }
}
