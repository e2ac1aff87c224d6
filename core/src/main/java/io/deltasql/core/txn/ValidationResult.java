package io.deltasql.core.txn;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Every {@link ConsistencyViolation} one validation found, in a stable order: the
 * transaction's own (state, age, size) first, then per table in canonical table order.
 *
 * @param transactionId the transaction validated; empty for the checks of a single
 *     statement ({@link TableActionsBuilder#buildAndValidate()})
 * @param violations what was found; empty when the transaction may commit
 */
public record ValidationResult(Optional<UUID> transactionId, List<ConsistencyViolation> violations) {
  /** Violations listed in an exception message before the rest are only counted. */
  static final int MAX_LISTED = 50;

  public ValidationResult {
    Objects.requireNonNull(transactionId, "transactionId");
    violations = List.copyOf(violations);
  }

  /** Whether nothing was found. */
  public boolean isValid() {
    return violations.isEmpty();
  }

  /** The violations of one kind. */
  public <T extends ConsistencyViolation> List<T> violationsOf(Class<T> kind) {
    Checks.notNull(kind, "kind");
    return violations.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** The violations about one table. */
  public List<ConsistencyViolation> violationsFor(String table) {
    Checks.notNull(table, "table");
    return violations.stream().filter(v -> v.affectedTable().filter(table::equals).isPresent()).toList();
  }

  /** Whether there are violations and retrying the whole transaction may clear all of them. */
  public boolean isRetryable() {
    return !violations.isEmpty() && violations.stream().allMatch(ConsistencyViolation::isRetryable);
  }

  /**
   * The SQLState of a commit failing with these violations: that of the first one which
   * retrying cannot clear, so that a caller never retries in vain; else (all retryable)
   * that of the first one.
   */
  public Optional<SqlState> sqlState() {
    return violations.stream().filter(v -> !v.isRetryable()).findFirst()
        .or(() -> violations.stream().findFirst())
        .map(ConsistencyViolation::sqlState);
  }

  /** Every violation, numbered, with its SQLState (the first {@value #MAX_LISTED}, then a count). */
  public String message() {
    if (violations.isEmpty()) {
      return transactionId.map(id -> "transaction " + id + " is valid").orElse("the actions are valid");
    }
    StringBuilder b = new StringBuilder()
        .append(transactionId.map(id -> "transaction " + id + " cannot commit").orElse("the actions are not valid"))
        .append(": ").append(violations.size()).append(violations.size() == 1 ? " violation" : " violations");
    for (int i = 0; i < Math.min(MAX_LISTED, violations.size()); i++) {
      ConsistencyViolation v = violations.get(i);
      b.append("\n  ").append(i + 1).append(". [").append(v.sqlState().code()).append("] ").append(v.message());
    }
    if (violations.size() > MAX_LISTED) {
      b.append("\n  ... and ").append(violations.size() - MAX_LISTED).append(" more");
    }
    return b.toString();
  }

  /** The exception a commit failing with these violations throws; empty when valid. */
  public Optional<DeltaException> toException() {
    return sqlState().map(state -> new DeltaException(state, message()));
  }

  /** Throws {@link #toException()} if there are violations. */
  public void throwIfInvalid() {
    Optional<DeltaException> e = toException();
    if (e.isPresent()) {
      throw e.get();
    }
  }
}
