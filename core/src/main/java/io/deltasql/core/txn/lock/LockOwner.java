package io.deltasql.core.txn.lock;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transaction on whose behalf locks are held and waited for.
 *
 * <p>One transaction is one owner value for its whole life: two owners are the same
 * transaction when all their components are equal. {@link #start(UUID, int)} gives each
 * new transaction a sequence number from a JVM-wide counter, so a larger {@code sequence}
 * always means a younger transaction, even when two start in the same millisecond.
 *
 * @param transactionId the transaction's id, as in {@code sys.transactions} and {@code commitInfo}
 * @param priority higher is more important; the lowest priority is chosen as deadlock victim
 * @param sequence start order: larger is younger; breaks ties between equal priorities
 * @param startedAt when the transaction started, for introspection
 */
public record LockOwner(UUID transactionId, int priority, long sequence, Instant startedAt) {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  /**
   * The order in which deadlock victims are preferred: lowest priority first, then the
   * youngest (largest sequence), then the transaction id so that the order is total.
   */
  public static final Comparator<LockOwner> VICTIM_ORDER =
      Comparator.comparingInt(LockOwner::priority)
          .thenComparing(Comparator.comparingLong(LockOwner::sequence).reversed())
          .thenComparing(LockOwner::transactionId);

  public LockOwner {
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /** A transaction starting now, younger than every transaction started before it in this JVM. */
  public static LockOwner start(UUID transactionId, int priority) {
    return new LockOwner(transactionId, priority, SEQUENCE.incrementAndGet(), Instant.now());
  }

  /** A new transaction with a random id, starting now. */
  public static LockOwner start(int priority) {
    return start(UUID.randomUUID(), priority);
  }

  /** How messages name this transaction: its id and priority. */
  String describe() {
    return "transaction " + transactionId + " (priority " + priority + ")";
  }
}
