package io.deltasql.core.mirror;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.parquet.CheckpointWriter;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StorageOutputStream;
import io.deltasql.core.table.SnapshotBuilder;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first checkpoint of the JVM, of a one-file table, written to nowhere, on a daemon
 * thread of its own ({@code deltasql-mirror-warmup}) when the first version is handed over:
 * loading and initialising Parquet's writer (about 1,950 classes, 0.5 s of CPU, 4 to 6 s of
 * wall time at load 15 to 20 on two cores, 2026-12-03) is then not paid by the first
 * checkpoint a table needs, which otherwise came that much late. A process that never
 * commits (a reader, a CLI query) never pays it; {@code close} does not wait for it. Once per
 * JVM ({@link #PARQUET}).
 *
 * <p>A failure (Parquet's classes missing or failing to initialise, say) is logged at WARN
 * with the table and version whose hand-over started it, and the cause: mirroring goes on (the
 * commit files need no Parquet), and the first real checkpoint pays the start-up itself or, if
 * the cause persists, fails and is recorded on its version for the reconciler like any
 * checkpoint failure.
 */
final class CheckpointWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointWarmUp.class);
  private static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}";
  /** The JVM's warm-up of Parquet's checkpoint writer. */
  static final CheckpointWarmUp PARQUET = new CheckpointWarmUp(CheckpointWarmUp::writeOneCheckpoint);

  private final Runnable work;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile Throwable failure;

  /** A warm-up that runs {@code work} once (tests give one that fails). */
  CheckpointWarmUp(Runnable work) {
    this.work = work;
  }

  /** Starts the warm-up, unless it was started before; {@code tableId} and {@code version} are for its log. */
  void startOnce(long tableId, long version) {
    if (started.get() || !started.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(() -> run(tableId, version), "deltasql-mirror-warmup");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  private void run(long tableId, long version) {
    long start = System.nanoTime();
    try {
      work.run();
      LOG.debug("mirror checkpoint writer warmed up ms={}", (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException | LinkageError e) {
      failure = e;
      LOG.warn("mirror checkpoint warm-up failed, started by table id={} version={}: commit files go on; the first "
          + "checkpoint pays the writer's start-up, or fails for the same cause reason={}", tableId, version,
          e.toString(), e);
    } finally {
      finished.countDown();
    }
  }

  /** Waits at most {@code timeout} for a started warm-up to end (else throws); how it failed, if it did. */
  Optional<Throwable> awaitFailure(Duration timeout) throws InterruptedException {
    if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the checkpoint warm-up did not end within " + timeout);
    }
    return Optional.ofNullable(failure);
  }

  private static void writeOneCheckpoint() {
    SnapshotBuilder table = new SnapshotBuilder()
        .apply(new Protocol(1, 2))
        .apply(new Metadata("warm-up", Optional.empty(), Optional.empty(), Format.PARQUET, SCHEMA, List.of(), Map.of(),
            Optional.of(0L)))
        .apply(AddFile.of("warm-up.parquet", Map.of(), 1, 0, Optional.of("{\"numRecords\":1}")));
    new CheckpointWriter(Nowhere.INSTANCE).write("warm-up", table.build(1, 0));
  }

  /** A storage whose objects are written to nowhere; nothing else is asked of it. */
  private static final class Nowhere implements Storage {
    static final Nowhere INSTANCE = new Nowhere();

    @Override
    public StorageOutputStream create(String path) {
      return new StorageOutputStream() {
        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}

        @Override
        public void abort() {}

        @Override
        public void close() {}
      };
    }

    @Override
    public Optional<FileStatus> status(String path) {
      return Optional.empty();
    }

    @Override
    public byte[] readAll(String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] readRange(String path, long offset, int length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InputStream open(String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void write(String path, byte[] data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean putIfAbsent(String path, byte[] data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<FileStatus> list(String prefix) {
      return List.of();
    }

    @Override
    public List<FileStatus> listRecursively(String prefix) {
      return List.of();
    }

    @Override
    public boolean delete(String path) {
      return false;
    }
  }
}
