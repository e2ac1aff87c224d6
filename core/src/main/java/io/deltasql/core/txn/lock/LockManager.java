package io.deltasql.core.txn.lock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table locks for the local transactions of one catalog in this JVM: shared for reads
 * under SERIALIZABLE, exclusive for writes, held until {@link #releaseAll} at commit or
 * rollback (strict two-phase locking).
 *
 * <p><b>Granting.</b> Locks are re-entrant, and a shared lock is upgraded to exclusive by
 * asking for exclusive. Requests are granted first come first served, so that readers
 * cannot starve a writer; upgrades queue ahead of new requests.
 *
 * <p><b>Deadlocks.</b> Every wait is a set of edges of a wait-for graph, updated whenever
 * a table's queue changes. A new cycle can only appear when some transaction starts to
 * wait for one it did not wait for before, so that is exactly when the graph is searched,
 * from that transaction: a deadlock is found at the moment it forms, with no background
 * thread, and no cycle ever survives in the graph. The victim is the cycle's lowest
 * priority, then youngest, transaction ({@link LockOwner#VICTIM_ORDER}), whether it is the
 * transaction that just asked or one already waiting (which is woken up): its {@code
 * acquire} fails with SQLState {@code 40P01} naming the cycle, and its locks stay held
 * until its transaction rolls back. Lock timeouts ({@code 55P03}) remain the bound on
 * every other wait.
 *
 * <p><b>Concurrency.</b> One mutex guards the whole lock table: lock operations are short
 * and per table, and one consistent view is what cycle detection needs. Each waiting
 * thread sleeps on its own condition and is woken only when its request is granted or
 * failed. The deadlock listener and the WARN log run after the mutex is released, on the
 * thread that found the deadlock.
 *
 * @param <R> the type of table ids; their natural order is the canonical order of
 *     {@link #acquireAll}
 */
public final class LockManager<R extends Comparable<? super R>> {
  private static final Logger LOG = LoggerFactory.getLogger(LockManager.class);

  /** What one request did to the lock table. */
  private enum Acquired { ALREADY_HELD, NEW, UPGRADED }

  private final ReentrantLock mutex = new ReentrantLock();
  private final Map<R, ResourceQueue<R>> queues = new TreeMap<>();
  private final Map<LockOwner, Set<R>> heldBy = new HashMap<>();
  private final Map<LockOwner, LockRequest<R>> waiting = new HashMap<>();
  private final WaitForGraph<R> graph = new WaitForGraph<>();
  private final LockMetrics metrics;
  private final Clock clock;
  private final Consumer<? super Deadlock<R>> deadlockListener;

  private LockManager(Builder<R> builder) {
    MeterRegistry registry = builder.meterRegistry != null
        ? builder.meterRegistry : new SimpleMeterRegistry();
    this.metrics = new LockMetrics(registry, builder.tags);
    this.clock = builder.clock;
    this.deadlockListener = builder.deadlockListener;
  }

  /** A lock manager with its own in-memory meter registry and the system clock. */
  public static <R extends Comparable<? super R>> LockManager<R> create() {
    return LockManager.<R>builder().build();
  }

  /** A builder to choose the meter registry, its tags, the clock and a deadlock listener. */
  public static <R extends Comparable<? super R>> Builder<R> builder() {
    return new Builder<>();
  }

  /**
   * Takes a lock on {@code resource} for {@code owner}, waiting up to {@code timeout}.
   *
   * @return {@code true} if this call took or upgraded a lock, {@code false} if the owner
   *     already held one that covers {@code mode}
   * @throws io.deltasql.core.errors.DeltaException {@code 55P03} on timeout (a zero
   *     timeout never waits) or interrupt (the thread's interrupt status is restored),
   *     {@code 40P01} if the owner was chosen as a deadlock victim, {@code 25000} if the
   *     owner already waits in another thread or released its locks while waiting; in
   *     every case the request is withdrawn and the locks held before are kept. An
   *     interrupt that comes as the lock is granted does not undo the grant: the call
   *     returns normally with the interrupt status set.
   */
  public boolean acquire(LockOwner owner, R resource, LockMode mode, Duration timeout) {
    return acquireOne(owner, resource, mode, toNanos(timeout)) != Acquired.ALREADY_HELD;
  }

  /**
   * Takes all the given locks, one table at a time in the tables' natural order, so that
   * transactions which take their whole set this way cannot deadlock with each other.
   * The timeout bounds the whole call. If one lock fails, the locks that this call took
   * are released (and its upgrades undone) before the exception propagates.
   *
   * @throws io.deltasql.core.errors.DeltaException as {@link #acquire}
   */
  public void acquireAll(LockOwner owner, Map<R, LockMode> locks, Duration timeout) {
    Objects.requireNonNull(owner, "owner");
    long timeoutNanos = toNanos(timeout);
    long start = System.nanoTime();
    Map<R, Acquired> taken = new LinkedHashMap<>();
    try {
      for (R resource : new TreeSet<>(locks.keySet())) {
        long elapsed = System.nanoTime() - start;
        long remaining = timeoutNanos == Long.MAX_VALUE ? timeoutNanos
            : Math.max(0, timeoutNanos - elapsed);
        taken.put(resource, acquireOne(owner, resource, locks.get(resource), remaining));
      }
    } catch (RuntimeException e) {
      undo(owner, taken);
      throw e;
    }
  }

  /**
   * Releases every lock of {@code owner} and withdraws its pending request if another
   * thread is waiting for one (that wait fails with {@code 25000}); then grants what can
   * now be granted. Called once a transaction commits or rolls back.
   *
   * @return how many tables the owner held locks on
   */
  public int releaseAll(LockOwner owner) {
    Objects.requireNonNull(owner, "owner");
    List<Deadlock<R>> found = new ArrayList<>();
    mutex.lock();
    try {
      Set<LockOwner> gained = new LinkedHashSet<>();
      LockRequest<R> pending = waiting.get(owner);
      if (pending != null) {
        pending.fail(() -> LockErrors.releasedWhileWaiting(owner, pending.resource(), pending.mode()));
        withdraw(pending, gained);
      }
      Set<R> held = Optional.ofNullable(heldBy.remove(owner)).orElse(Set.of());
      for (R resource : held) {
        ResourceQueue<R> queue = queues.get(resource);
        queue.release(owner);
        refresh(queue, gained);
      }
      resolveDeadlocks(gained, found);
      LOG.debug("Released locks: txn={} tables={}", owner.transactionId(), held);
      return held.size();
    } finally {
      mutex.unlock();
      report(found);
    }
  }

  /** The locks {@code owner} holds, by table in canonical order. */
  public Map<R, LockMode> locksHeldBy(LockOwner owner) {
    Objects.requireNonNull(owner, "owner");
    mutex.lock();
    try {
      Map<R, LockMode> held = new TreeMap<>();
      heldBy.getOrDefault(owner, Set.of())
          .forEach(resource -> held.put(resource, queues.get(resource).heldMode(owner).orElseThrow()));
      return Collections.unmodifiableMap(held);
    } finally {
      mutex.unlock();
    }
  }

  /**
   * Every lock held or waited for, for {@code sys.locks}: one consistent instant, tables
   * in canonical order, for each table its holders and then its waiters in queue order.
   */
  public List<LockInfo<R>> snapshot() {
    mutex.lock();
    try {
      return snapshotLocked();
    } finally {
      mutex.unlock();
    }
  }

  /**
   * Grants at once or queues the request, reporting any deadlock its wait closes; then,
   * with the mutex released in between so that the report is not held back by the wait,
   * waits for the outcome.
   */
  private Acquired acquireOne(LockOwner owner, R resource, LockMode mode, long timeoutNanos) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(mode, "mode");
    LockRequest<R> request;
    List<Deadlock<R>> found = new ArrayList<>();
    mutex.lock();
    try {
      Optional<Acquired> atOnce = tryWithoutWaiting(owner, resource, mode, timeoutNanos);
      if (atOnce.isPresent()) {
        return atOnce.get();
      }
      request = enqueue(owner, resource, mode, found);
    } finally {
      mutex.unlock();
      report(found);
    }
    List<Deadlock<R>> foundWhileWaiting = new ArrayList<>();
    mutex.lock();
    try {
      awaitOutcome(request, timeoutNanos, foundWhileWaiting);
      return request.isUpgrade() ? Acquired.UPGRADED : Acquired.NEW;
    } finally {
      mutex.unlock();
      report(foundWhileWaiting);
    }
  }

  /**
   * The outcome if the request needs no wait (already held, or grantable now); empty if
   * it must queue.
   *
   * @throws io.deltasql.core.errors.DeltaException {@code 55P03} if it must queue but the
   *     timeout is zero, {@code 25000} if the owner already waits
   */
  private Optional<Acquired> tryWithoutWaiting(LockOwner owner, R resource, LockMode mode,
      long timeoutNanos) {
    LockRequest<R> pending = waiting.get(owner);
    if (pending != null) {
      throw LockErrors.alreadyWaiting(owner, pending.resource(), pending.mode());
    }
    ResourceQueue<R> queue = queues.computeIfAbsent(resource, ResourceQueue::new);
    Optional<LockMode> held = queue.heldMode(owner);
    if (held.isPresent() && held.get().covers(mode)) {
      return Optional.of(Acquired.ALREADY_HELD);
    }
    if (queue.canGrantAtOnce(owner, mode)) {
      queue.grant(owner, mode, clock.instant());
      heldBy.computeIfAbsent(owner, o -> new LinkedHashSet<>()).add(resource);
      metrics.acquired();
      return Optional.of(held.isPresent() ? Acquired.UPGRADED : Acquired.NEW);
    }
    if (timeoutNanos == 0) {
      metrics.timedOut();
      RuntimeException failure = LockErrors.timeout(owner, resource, mode, Duration.ZERO,
          queue.holdersOtherThan(owner), queue.waitersAheadOfNew(held.isPresent()));
      dropIfUnused(queue);
      throw failure;
    }
    return Optional.empty();
  }

  /** Queues a request that must wait, and breaks any deadlock that its wait closes. */
  private LockRequest<R> enqueue(LockOwner owner, R resource, LockMode mode,
      List<Deadlock<R>> found) {
    ResourceQueue<R> queue = queues.get(resource);
    LockRequest<R> request = new LockRequest<>(owner, resource, mode,
        queue.heldMode(owner).isPresent(), clock.instant(), mutex.newCondition());
    queue.enqueue(request);
    waiting.put(owner, request);
    metrics.waited();
    LOG.debug("Waiting for lock: txn={} table={} mode={}", owner.transactionId(), resource, mode);
    Set<LockOwner> gained = new LinkedHashSet<>();
    refresh(queue, gained);
    resolveDeadlocks(gained, found);
    return request;
  }

  /** Sleeps until {@code request} is granted or failed, withdrawing it on timeout or interrupt. */
  private void awaitOutcome(LockRequest<R> request, long timeoutNanos, List<Deadlock<R>> found) {
    long remaining = timeoutNanos == Long.MAX_VALUE ? timeoutNanos
        : timeoutNanos - request.waited().toNanos();
    while (request.isWaiting()) {
      if (remaining <= 0) {
        ResourceQueue<R> queue = queues.get(request.resource());
        RuntimeException failure = LockErrors.timeout(request.owner(), request.resource(),
            request.mode(), request.waited(), queue.holdersOtherThan(request.owner()),
            queue.waitersAhead(request));
        withdrawAndResolve(request, found);
        metrics.timedOut();
        LOG.debug("Lock wait timed out: txn={} table={} mode={}",
            request.owner().transactionId(), request.resource(), request.mode());
        throw failure;
      }
      try {
        remaining = request.awaitNanos(remaining);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (request.isWaiting()) {
          withdrawAndResolve(request, found);
          throw LockErrors.interrupted(request.owner(), request.resource(), request.mode(),
              request.waited(), e);
        }
      }
    }
    if (request.isFailed()) {
      throw request.failure();
    }
  }

  /** Releases the locks that a failed {@link #acquireAll} took, and undoes its upgrades. */
  private void undo(LockOwner owner, Map<R, Acquired> taken) {
    List<Deadlock<R>> found = new ArrayList<>();
    mutex.lock();
    try {
      Set<LockOwner> gained = new LinkedHashSet<>();
      taken.forEach((resource, acquired) -> {
        ResourceQueue<R> queue = queues.get(resource);
        if (queue == null || queue.heldMode(owner).isEmpty()) {
          return;
        }
        if (acquired == Acquired.NEW) {
          queue.release(owner);
          heldBy.get(owner).remove(resource);
        } else if (acquired == Acquired.UPGRADED) {
          queue.downgrade(owner, clock.instant());
        }
        refresh(queue, gained);
      });
      if (heldBy.containsKey(owner) && heldBy.get(owner).isEmpty()) {
        heldBy.remove(owner);
      }
      resolveDeadlocks(gained, found);
    } finally {
      mutex.unlock();
      report(found);
    }
  }

  /**
   * Grants what can be granted on {@code queue}, then updates the wait-for edges of its
   * remaining waiters, adding to {@code gained} each waiter that waits for someone new.
   */
  private void refresh(ResourceQueue<R> queue, Set<LockOwner> gained) {
    for (LockRequest<R> granted : queue.grantUnblocked(clock.instant())) {
      waiting.remove(granted.owner());
      graph.remove(granted.owner());
      heldBy.computeIfAbsent(granted.owner(), o -> new LinkedHashSet<>()).add(queue.resource());
      metrics.acquired();
      granted.grant();
    }
    queue.waitEdges().forEach((request, edges) -> {
      if (graph.update(request.owner(), edges)) {
        gained.add(request.owner());
      }
    });
    dropIfUnused(queue);
  }

  /** Takes a waiting request off its queue and out of the graph, then refreshes the queue. */
  private void withdraw(LockRequest<R> request, Set<LockOwner> gained) {
    ResourceQueue<R> queue = queues.get(request.resource());
    queue.remove(request);
    waiting.remove(request.owner());
    graph.remove(request.owner());
    refresh(queue, gained);
  }

  private void withdrawAndResolve(LockRequest<R> request, List<Deadlock<R>> found) {
    Set<LockOwner> gained = new LinkedHashSet<>();
    withdraw(request, gained);
    resolveDeadlocks(gained, found);
  }

  /**
   * Looks for a cycle through each transaction that started waiting for someone new, and
   * breaks each cycle found by failing its victim's wait. The graph had no cycle before
   * these new edges, so every cycle passes through one of {@code candidates} (or through a
   * waiter that gains an edge while a victim is withdrawn, which joins the work list).
   */
  private void resolveDeadlocks(Collection<LockOwner> candidates, List<Deadlock<R>> found) {
    Deque<LockOwner> work = new ArrayDeque<>(candidates);
    while (!work.isEmpty()) {
      LockOwner start = work.pop();
      if (!waiting.containsKey(start)) {
        continue;
      }
      Optional<List<WaitEdge<R>>> cycle = graph.findCycle(start);
      if (cycle.isPresent()) {
        Deadlock<R> deadlock = breakCycle(cycle.get(), work);
        found.add(deadlock);
        work.push(start);
      }
    }
  }

  private Deadlock<R> breakCycle(List<WaitEdge<R>> cycle, Deque<LockOwner> work) {
    LockOwner victim = cycle.stream().map(WaitEdge::waiter)
        .min(LockOwner.VICTIM_ORDER).orElseThrow();
    Deadlock<R> deadlock = new Deadlock<>(victim, cycle, snapshotLocked(), clock.instant());
    LockRequest<R> request = waiting.get(victim);
    request.fail(() -> LockErrors.deadlock(deadlock));
    metrics.deadlock();
    Set<LockOwner> gained = new LinkedHashSet<>();
    withdraw(request, gained);
    work.addAll(gained);
    return deadlock;
  }

  private void dropIfUnused(ResourceQueue<R> queue) {
    if (queue.isUnused()) {
      queues.remove(queue.resource());
    }
  }

  private List<LockInfo<R>> snapshotLocked() {
    List<LockInfo<R>> rows = new ArrayList<>();
    queues.values().forEach(queue -> rows.addAll(queue.describe()));
    return List.copyOf(rows);
  }

  /** Logs and publishes the deadlocks found by one call, outside the mutex. */
  private void report(List<Deadlock<R>> found) {
    for (Deadlock<R> deadlock : found) {
      LOG.atWarn()
          .addKeyValue("victimTxn", deadlock.victim().transactionId())
          .addKeyValue("victimPriority", deadlock.victim().priority())
          .addKeyValue("cycle", deadlock.transactions().stream()
              .map(owner -> owner.transactionId().toString()).collect(Collectors.joining(",")))
          .addKeyValue("resources", deadlock.resources().stream().distinct().toList())
          .log("{}", deadlock.describe());
      try {
        deadlockListener.accept(deadlock);
      } catch (RuntimeException e) {
        LOG.error("Deadlock listener failed: victimTxn={}", deadlock.victim().transactionId(), e);
      }
    }
  }

  private static long toNanos(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("lock timeout must not be negative: " + timeout);
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** Options of a {@link LockManager}; every one has a default. */
  public static final class Builder<R extends Comparable<? super R>> {
    private MeterRegistry meterRegistry;
    private Iterable<Tag> tags = Tags.empty();
    private Clock clock = Clock.systemUTC();
    private Consumer<? super Deadlock<R>> deadlockListener = deadlock -> { };

    private Builder() {}

    /** Where the lock counters go; default: a private {@link SimpleMeterRegistry}. */
    public Builder<R> meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Tags added to every counter, e.g. the catalog's name; default: none. */
    public Builder<R> tags(Iterable<Tag> tags) {
      this.tags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    /** The clock of the {@code since} times of {@code sys.locks}; default: the system clock. */
    public Builder<R> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Called once per deadlock broken, after it is logged, on the thread that found it
     * and outside the lock manager's mutex; default: nothing.
     */
    public Builder<R> deadlockListener(Consumer<? super Deadlock<R>> listener) {
      this.deadlockListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public LockManager<R> build() {
      return new LockManager<>(this);
    }
  }
}
