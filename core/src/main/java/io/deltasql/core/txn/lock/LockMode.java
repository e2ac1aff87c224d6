package io.deltasql.core.txn.lock;

/**
 * How a transaction locks a table: {@link #SHARED} to read it (under SERIALIZABLE),
 * {@link #EXCLUSIVE} to write it. Shared locks are compatible with each other; an
 * exclusive lock is compatible with nothing.
 */
public enum LockMode {
  /** Read lock: any number of transactions may hold it together. */
  SHARED,
  /** Write lock: one transaction holds it, and no other holds any lock on the table. */
  EXCLUSIVE;

  /** Whether a lock in this mode and one in {@code other}, held by two transactions, may coexist. */
  public boolean isCompatibleWith(LockMode other) {
    return this == SHARED && other == SHARED;
  }

  /** Whether holding this mode already grants what {@code requested} asks for. */
  public boolean covers(LockMode requested) {
    return this == EXCLUSIVE || requested == SHARED;
  }
}
