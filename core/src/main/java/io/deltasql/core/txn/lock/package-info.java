/**
 * Table locks for the local transactions of one JVM, with deadlock detection.
 *
 * <p>{@link io.deltasql.core.txn.lock.LockManager} grants {@link
 * io.deltasql.core.txn.lock.LockMode#SHARED SHARED} and {@link
 * io.deltasql.core.txn.lock.LockMode#EXCLUSIVE EXCLUSIVE} locks on tables to {@link
 * io.deltasql.core.txn.lock.LockOwner transactions}, first come first served. Waits are
 * edges of a wait-for graph; a wait that closes a cycle is resolved at once by failing
 * the lowest-priority, then youngest, transaction of the cycle with SQLState {@code
 * 40P01}. A wait that lasts longer than its timeout fails with {@code 55P03}. There is
 * one lock manager per catalog; correctness across JVMs comes from the catalog
 * database, not from these locks.
 */
package io.deltasql.core.txn.lock;
