package io.deltasql.core.mirror;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one storage operation of the mirror, trying again after transient failures with
 * exponential backoff (equal jitter: half the delay fixed, half random, so that several
 * engines hitting the same outage do not retry in step). Only storage I/O errors
 * ({@code 58030}) and retryable states are transient; anything else fails at once.
 * Every operation given here must be safe to repeat: the mirror's are (put-if-absent
 * followed by a content check, whole-object overwrites of state that does not change).
 */
final class StorageRetry {
  private static final Logger LOG = LoggerFactory.getLogger(StorageRetry.class);

  private final MirrorConfig config;
  private final MirrorMetrics metrics;

  StorageRetry(MirrorConfig config, MirrorMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * Runs {@code operation} up to {@code attempts} times.
   *
   * @param what the operation, for logs ("write _delta_log/…json of main.t")
   * @throws RuntimeException the last failure, once the tries are used up, the failure is
   *     not transient, or the thread is interrupted while waiting (its flag stays set)
   */
  <T> T call(String what, int attempts, Supplier<T> operation) {
    for (int attempt = 1; ; attempt++) {
      try {
        return operation.get();
      } catch (RuntimeException e) {
        if (!isTransient(e) || attempt >= attempts) {
          throw e;
        }
        Duration delay = delay(attempt);
        LOG.debug("mirror retrying operation={} attempt={} of={} delayMs={} reason={}", what, attempt, attempts,
            delay.toMillis(), e.getMessage());
        metrics.retried();
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The wait after failed try number {@code attempt} (1-based). */
  Duration delay(int attempt) {
    long initial = config.initialBackoff().toMillis();
    long max = config.maxBackoff().toMillis();
    long ceiling = attempt >= 31 ? max : Math.min(max, initial << (attempt - 1));
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }

  /** Whether trying the same operation again may succeed. */
  static boolean isTransient(RuntimeException e) {
    if (e instanceof DeltaException delta) {
      return delta.state() == SqlState.IO_ERROR || delta.isRetryable();
    }
    return e instanceof UncheckedIOException;
  }
}
