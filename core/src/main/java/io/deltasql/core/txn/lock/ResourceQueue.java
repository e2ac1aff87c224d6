package io.deltasql.core.txn.lock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The holders and the waiters of one table's lock, first come first served: a request is
 * granted only when it is compatible with every holder and with every request queued
 * ahead of it, so a stream of readers cannot starve a writer. Upgrades (a holder of a
 * shared lock asking for exclusive) queue ahead of new requests: they wait only for the
 * other holders, since anything queued behind them waits for their shared lock anyway.
 * Not thread-safe: guarded by the lock manager's mutex.
 */
final class ResourceQueue<R> {
  private record Grant(LockMode mode, Instant since) {}

  private final R resource;
  private final Map<LockOwner, Grant> holders = new LinkedHashMap<>();
  private final List<LockRequest<R>> waiters = new ArrayList<>();

  ResourceQueue(R resource) {
    this.resource = Objects.requireNonNull(resource, "resource");
  }

  R resource() {
    return resource;
  }

  Optional<LockMode> heldMode(LockOwner owner) {
    return Optional.ofNullable(holders.get(owner)).map(Grant::mode);
  }

  /** Whether nobody holds or waits for this table any more. */
  boolean isUnused() {
    return holders.isEmpty() && waiters.isEmpty();
  }

  /**
   * Whether {@code owner} may have {@code mode} now without queueing: as the only holder
   * for an upgrade, else when nobody waits and every holder is compatible.
   */
  boolean canGrantAtOnce(LockOwner owner, LockMode mode) {
    if (holders.containsKey(owner)) {
      return holders.size() == 1;
    }
    return waiters.isEmpty()
        && holders.values().stream().allMatch(grant -> grant.mode().isCompatibleWith(mode));
  }

  void grant(LockOwner owner, LockMode mode, Instant now) {
    holders.put(owner, new Grant(mode, now));
  }

  /** Drops the owner's lock; returns whether it held one. */
  boolean release(LockOwner owner) {
    return holders.remove(owner) != null;
  }

  /** Turns the owner's exclusive lock back into a shared one (undo of an upgrade). */
  void downgrade(LockOwner owner, Instant now) {
    holders.computeIfPresent(owner, (o, grant) -> new Grant(LockMode.SHARED, now));
  }

  void enqueue(LockRequest<R> request) {
    if (request.isUpgrade()) {
      waiters.add(leadingUpgrades(), request);
    } else {
      waiters.add(request);
    }
  }

  void remove(LockRequest<R> request) {
    waiters.remove(request);
  }

  /**
   * Grants, in queue order, every waiter that nothing blocks any more, and returns them.
   * Granting one may block no later one that was not blocked already, so one pass is enough.
   */
  List<LockRequest<R>> grantUnblocked(Instant now) {
    List<LockRequest<R>> granted = new ArrayList<>();
    List<LockRequest<R>> ahead = new ArrayList<>();
    for (LockRequest<R> request : List.copyOf(waiters)) {
      if (edgesOf(request.owner(), request.mode(), ahead).isEmpty()) {
        grant(request.owner(), request.mode(), now);
        waiters.remove(request);
        granted.add(request);
      } else {
        ahead.add(request);
      }
    }
    return granted;
  }

  /** The wait-for edges of every waiter, in queue order. */
  Map<LockRequest<R>, List<WaitEdge<R>>> waitEdges() {
    Map<LockRequest<R>, List<WaitEdge<R>>> edges = new LinkedHashMap<>();
    for (int i = 0; i < waiters.size(); i++) {
      LockRequest<R> request = waiters.get(i);
      edges.put(request, edgesOf(request.owner(), request.mode(), waiters.subList(0, i)));
    }
    return edges;
  }

  /** Everyone but {@code owner} who holds this table. */
  List<LockInfo<R>> holdersOtherThan(LockOwner owner) {
    List<LockInfo<R>> others = new ArrayList<>();
    holders.forEach((holder, grant) -> {
      if (!holder.equals(owner)) {
        others.add(holderInfo(holder, grant));
      }
    });
    return others;
  }

  private LockInfo<R> holderInfo(LockOwner holder, Grant grant) {
    return new LockInfo<>(resource, holder, grant.mode(), LockStatus.GRANTED, grant.since());
  }

  /** The waiters queued ahead of {@code request}, which is queued here. */
  List<LockInfo<R>> waitersAhead(LockRequest<R> request) {
    return waiters.subList(0, waiters.indexOf(request)).stream().map(LockRequest::toInfo).toList();
  }

  /** The waiters that a new request would queue behind (only leading upgrades for an upgrade). */
  List<LockInfo<R>> waitersAheadOfNew(boolean upgrade) {
    return waiters.subList(0, upgrade ? leadingUpgrades() : waiters.size()).stream()
        .map(LockRequest::toInfo).toList();
  }

  /** Holders first, then waiters in queue order. */
  List<LockInfo<R>> describe() {
    List<LockInfo<R>> rows = new ArrayList<>();
    holders.forEach((holder, grant) -> rows.add(holderInfo(holder, grant)));
    waiters.forEach(request -> rows.add(request.toInfo()));
    return rows;
  }

  private int leadingUpgrades() {
    int count = 0;
    while (count < waiters.size() && waiters.get(count).isUpgrade()) {
      count++;
    }
    return count;
  }

  private List<WaitEdge<R>> edgesOf(LockOwner owner, LockMode mode, List<LockRequest<R>> ahead) {
    List<WaitEdge<R>> edges = new ArrayList<>();
    Set<LockOwner> blockers = new HashSet<>();
    holders.forEach((holder, grant) -> {
      if (!holder.equals(owner) && !grant.mode().isCompatibleWith(mode)) {
        edges.add(new WaitEdge<>(owner, resource, mode, holder, grant.mode(), LockStatus.GRANTED));
        blockers.add(holder);
      }
    });
    for (LockRequest<R> earlier : ahead) {
      if (!earlier.mode().isCompatibleWith(mode) && blockers.add(earlier.owner())) {
        edges.add(new WaitEdge<>(owner, resource, mode, earlier.owner(), earlier.mode(),
            LockStatus.WAITING));
      }
    }
    return edges;
  }
}
