package io.deltasql.core.mirror;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconcile rounds on one daemon thread: the first at once (the reconcile on open),
 * then each {@code period} after the previous one ended. A round that throws is logged
 * and the next one still runs. {@link #close()} lets a running round finish (the engine
 * tells it to stop between versions), then interrupts it if it takes too long.
 */
final class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final Duration period;
  private final Runnable round;
  private final ScheduledExecutorService executor;

  Reconciler(Duration period, Runnable round) {
    this.period = period;
    this.round = round;
    this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "deltasql-mirror-reconciler-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts the rounds: the first now, the next {@code period} after each. */
  void start() {
    executor.scheduleWithFixedDelay(this::runRound, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("mirror reconciler started periodMs={}", period.toMillis());
  }

  private void runRound() {
    try {
      round.run();
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again: keep the reconciler alive
      LOG.warn("mirror reconcile round failed reason={}", e.getMessage(), e);
    }
  }

  /** Whether the background thread has stopped. */
  boolean terminated() {
    return executor.isTerminated();
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("mirror reconciler did not stop within {} ms, interrupting it", GRACE.toMillis());
        executor.shutdownNow();
        executor.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    LOG.info("mirror reconciler stopped");
  }
}
