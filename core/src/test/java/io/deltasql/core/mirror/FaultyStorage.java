package io.deltasql.core.mirror;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StorageOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The local file system with injected faults, for the paths a predicate selects:
 * <ul>
 *   <li>{@link #failNextWrites}: the next writes fail before writing anything;</li>
 *   <li>{@link #loseNextAcknowledgements}: the next writes succeed, then report a failure
 *       (a timeout after the object store accepted the request);</li>
 *   <li>{@link #down}: every operation fails, reads included, until {@link #heal};</li>
 *   <li>{@link #failRandomly}: each write fails (before or after writing) with a probability;</li>
 *   <li>{@link #holdWritesUntil}: writes wait until a latch opens (a slow store).</li>
 * </ul>
 * It counts, per path, the objects {@link #putIfAbsent} created and the overwrites of
 * {@link #write}, so that tests can prove a commit file was created exactly once.
 */
final class FaultyStorage implements Storage {
  private final Storage delegate = LocalStorage.INSTANCE;
  private final Map<String, AtomicInteger> created = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> overwritten = new ConcurrentHashMap<>();
  private final AtomicInteger writeCalls = new AtomicInteger();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger loseNext = new AtomicInteger();
  private volatile Predicate<String> scope = path -> true;
  private volatile boolean down;
  private volatile double failureRate;
  private volatile Random random = new Random(0);
  private volatile CountDownLatch gate = new CountDownLatch(0);

  /** Faults apply only to paths that {@code selected} accepts (all paths by default). */
  FaultyStorage scope(Predicate<String> selected) {
    this.scope = selected;
    return this;
  }

  FaultyStorage failNextWrites(int count) {
    failNext.set(count);
    return this;
  }

  FaultyStorage loseNextAcknowledgements(int count) {
    loseNext.set(count);
    return this;
  }

  FaultyStorage down() {
    down = true;
    return this;
  }

  FaultyStorage failRandomly(double rate, long seed) {
    random = new Random(seed);
    failureRate = rate;
    return this;
  }

  /** Writes in scope wait until {@code opened} counts down to zero. */
  FaultyStorage holdWritesUntil(CountDownLatch opened) {
    gate = opened;
    return this;
  }

  /** Ends every fault. */
  FaultyStorage heal() {
    down = false;
    failureRate = 0;
    failNext.set(0);
    loseNext.set(0);
    return this;
  }

  /** How many times {@link #putIfAbsent} created {@code path}. */
  int created(String path) {
    AtomicInteger n = created.get(path);
    return n == null ? 0 : n.get();
  }

  /** How many times {@link #write} replaced or created {@code path}. */
  int overwritten(String path) {
    AtomicInteger n = overwritten.get(path);
    return n == null ? 0 : n.get();
  }

  /** Write calls in scope (put-if-absent, write, create), failed or not. */
  int writeCalls() {
    return writeCalls.get();
  }

  @Override
  public boolean putIfAbsent(String path, byte[] data) {
    boolean lose = beforeWrite(path);
    boolean won = delegate.putIfAbsent(path, data);
    if (won) {
      created.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    }
    afterWrite(path, lose);
    return won;
  }

  @Override
  public void write(String path, byte[] data) {
    boolean lose = beforeWrite(path);
    delegate.write(path, data);
    overwritten.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    afterWrite(path, lose);
  }

  @Override
  public StorageOutputStream create(String path) {
    beforeWrite(path);
    return delegate.create(path);
  }

  @Override
  public byte[] readAll(String path) {
    beforeRead(path);
    return delegate.readAll(path);
  }

  @Override
  public byte[] readRange(String path, long offset, int length) {
    beforeRead(path);
    return delegate.readRange(path, offset, length);
  }

  @Override
  public InputStream open(String path) {
    beforeRead(path);
    return delegate.open(path);
  }

  @Override
  public Optional<FileStatus> status(String path) {
    beforeRead(path);
    return delegate.status(path);
  }

  @Override
  public List<FileStatus> list(String prefix) {
    beforeRead(prefix);
    return delegate.list(prefix);
  }

  @Override
  public List<FileStatus> listRecursively(String prefix) {
    beforeRead(prefix);
    return delegate.listRecursively(prefix);
  }

  @Override
  public boolean delete(String path) {
    beforeWrite(path);
    return delegate.delete(path);
  }

  /** Fails now, or returns whether the write should report a failure after succeeding. */
  private boolean beforeWrite(String path) {
    if (!scope.test(path)) {
      return false;
    }
    writeCalls.incrementAndGet();
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fault("write", path);
    }
    if (down || decrement(failNext)) {
      throw fault("write", path);
    }
    if (failureRate > 0) {
      double draw;
      boolean afterwards;
      synchronized (this) {
        draw = random.nextDouble();
        afterwards = random.nextBoolean();
      }
      if (draw < failureRate) {
        if (!afterwards) {
          throw fault("write", path);
        }
        return true;
      }
    }
    return decrement(loseNext);
  }

  private static void afterWrite(String path, boolean lose) {
    if (lose) {
      throw new DeltaException(SqlState.IO_ERROR, "injected fault: the write of '" + path
          + "' succeeded but its acknowledgement was lost");
    }
  }

  private void beforeRead(String path) {
    if (down && scope.test(path)) {
      throw fault("read", path);
    }
  }

  private static boolean decrement(AtomicInteger counter) {
    return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  private static DeltaException fault(String what, String path) {
    return new DeltaException(SqlState.IO_ERROR, "injected fault: cannot " + what + " '" + path + "'");
  }
}
