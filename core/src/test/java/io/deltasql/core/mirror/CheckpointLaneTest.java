package io.deltasql.core.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint lane after a checkpoint fails: the table is no longer active (a synchronous
 * commit waiting for its checkpoints returns at once instead of after its timeout) and the
 * table's next checkpoint is written, whether the failure was an exception, a class that does
 * not link (Parquet missing from the class path) or another {@link Error}.
 */
class CheckpointLaneTest {
  private final CheckpointLane lane = new CheckpointLane();

  @AfterEach
  void close() {
    lane.close(Duration.ofSeconds(5));
  }

  private void failsThenTheNextOneIsWritten(Runnable failing) throws InterruptedException {
    CountDownLatch failed = new CountDownLatch(1);
    lane.submit(7, () -> {
      failed.countDown();
      failing.run();
    });
    assertTrue(failed.await(10, TimeUnit.SECONDS));
    assertTrue(lane.await(7, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)), "table 7 still active");
    AtomicInteger written = new AtomicInteger();
    lane.submit(7, written::incrementAndGet);
    assertTrue(lane.await(7, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
    assertEquals(1, written.get());
  }

  @Test
  void aFailingCheckpointLeavesTheTableInactiveAndTheLaneWorking() throws InterruptedException {
    failsThenTheNextOneIsWritten(() -> {
      throw new IllegalStateException("disk full");
    });
  }

  @Test
  void aCheckpointThatCannotLinkParquetLeavesTheTableInactive() throws InterruptedException {
    failsThenTheNextOneIsWritten(() -> {
      throw new NoClassDefFoundError("org/apache/parquet/hadoop/ParquetWriter");
    });
  }

  @Test
  void anErrorLeavesTheTableInactiveAndTheLaneGetsANewThread() throws InterruptedException {
    failsThenTheNextOneIsWritten(() -> {
      throw new StackOverflowError("deep");
    });
  }
}
