package io.deltasql.core.catalog;

import io.deltasql.core.table.FileMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes file images in the background, one at a time, each in a catalog transaction of its
 * own: never inside the transaction that read the files (a reader or a commit does not wait
 * for the encoding or the write), and only after that transaction committed. At most one
 * image per table is queued; a failure is logged and costs nothing but the next reader's
 * speed.
 */
final class FileImageWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileImageWriter.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** Below this many files the rows are read about as fast as an image: none is written. */
  static final int MIN_FILES = 1000;
  /** An image is (re)written when a read took more rows than this fraction of the files. */
  static final int STALE_DIVISOR = 20;

  /**
   * The files of a committed version, to be written as an image; {@code unusableImage} is the
   * version of an image that the read could not decode, deleted by the same write.
   */
  record Candidate(long tableId, long version, FileMap files, OptionalLong unusableImage) {}

  private final Function<CatalogWork<Boolean>, Boolean> inTransaction;
  private final String url;
  private final ThreadPoolExecutor executor;
  private final Set<Long> queued = ConcurrentHashMap.newKeySet();

  FileImageWriter(Function<CatalogWork<Boolean>, Boolean> inTransaction, String redactedUrl) {
    this.inTransaction = inTransaction;
    this.url = redactedUrl;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread thread = new Thread(r, "deltasql-file-images-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Whether a read that materialised {@code files} files, {@code rowsRead} of them from rows
   * (all of them without an image, the changes after it with one), should leave an image.
   */
  static boolean worthWriting(int files, long rowsRead) {
    return files >= MIN_FILES && rowsRead >= Math.max(MIN_FILES, files / STALE_DIVISOR);
  }

  /**
   * Queues the image unless one of the same table is queued already; an image that replaces an
   * unusable one is always queued (the one queued may not replace it, and then every reader
   * would read the rows until a later read queued one again).
   */
  void offer(Candidate candidate) {
    if (!queued.add(candidate.tableId()) && candidate.unusableImage().isEmpty()) {
      return;
    }
    try {
      executor.execute(() -> {
        try {
          write(candidate);
        } finally {
          queued.remove(candidate.tableId());
        }
      });
    } catch (RejectedExecutionException e) {
      queued.remove(candidate.tableId());
    }
  }

  private void write(Candidate candidate) {
    long started = System.nanoTime();
    try {
      List<byte[]> chunks = FileImageCodec.encode(FileImageCodec.inImageOrder(candidate.files().values()));
      long bytes = chunks.stream().mapToLong(c -> c.length).sum();
      boolean written = inTransaction.apply(tx -> tx.writeFileImage(candidate.tableId(), candidate.version(),
          candidate.files().size(), chunks, candidate.unusableImage()));
      LOG.info("catalog file image tableId={} version={} files={} bytes={} chunks={} written={} ms={}",
          candidate.tableId(), candidate.version(), candidate.files().size(), bytes, chunks.size(), written,
          (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      LOG.warn("catalog file image not written url={} tableId={} version={} reason={}", url, candidate.tableId(),
          candidate.version(), e.toString());
    }
  }

  /** Waits until every image queued before this call is written or given up (tests, probes). */
  void awaitIdle() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    try {
      executor.execute(done::countDown);
    } catch (RejectedExecutionException e) {
      return;
    }
    done.await();
  }

  /** Lets a write in progress finish (a few seconds at most), drops the queued ones. */
  @Override
  public void close() {
    executor.getQueue().clear();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
