/**
 * Multi-table transactions: the model the commit engine drives (seed
 * {@code multi-table-transactions.md}; DESIGN.md, "Commit protocol" steps 1 and 2).
 *
 * <h2>Roles</h2>
 * <ul>
 *   <li>{@link io.deltasql.core.txn.MultiTableTransaction}: id, isolation level, priority,
 *       life cycle ({@link io.deltasql.core.txn.TransactionState}), the actions staged per
 *       table, the versions read, and {@code validate}.
 *   <li>{@link io.deltasql.core.txn.TableActions}, built by
 *       {@link io.deltasql.core.txn.TableActionsBuilder}: one table's staged actions.
 *   <li>{@link io.deltasql.core.txn.ConsistencyViolation} and
 *       {@link io.deltasql.core.txn.ValidationResult}: what validation finds, all at once.
 *   <li>{@link io.deltasql.core.txn.CatalogView}, {@link io.deltasql.core.txn.TableHead} and
 *       {@link io.deltasql.core.txn.SchemaResolver}: the little validation needs of the
 *       catalog, which implements them.
 *   <li>{@link io.deltasql.core.txn.MultiTableConfig} and its keys
 *       {@link io.deltasql.core.txn.MultiTableProperty}.
 *   <li>{@link io.deltasql.core.txn.WriterFeatureSupport}: which Delta writer features
 *       deltasql honours.
 * </ul>
 *
 * <h2>Flow</h2>
 * A statement stages {@code TableActions} for each table it writes (merged with earlier
 * statements on the same table) and records the versions it reads. At commit the engine
 * moves the transaction to {@code COMMITTING}, validates it against one consistent cut of
 * the catalog, and on {@link io.deltasql.core.txn.ConsistencyViolation.VersionMismatch}
 * alone checks logical conflicts and rebases
 * ({@link io.deltasql.core.txn.TableActions#withReadVersion}) before validating again.
 * It writes each table's {@link io.deltasql.core.txn.TableActions#netChanges() net changes}.
 *
 * <h2>Memory</h2>
 * File actions live once, in append-only chunked stores; built actions, merged actions
 * and their statements are immutable views of prefixes of those stores. Nothing is copied
 * when a builder hands over its files or when statements are merged, so a transaction of
 * a million adds holds a million references, not several copies of them.
 */
package io.deltasql.core.txn;
