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
 *       deltasql honours; {@link io.deltasql.core.txn.InCommitTimestamps}: how a created
 *       table gets in-commit timestamps.
 *   <li>{@link io.deltasql.core.txn.MultiTableWriter}: the commit engine over the catalog
 *       (one per catalog and JVM): begin, reads ({@link io.deltasql.core.txn.TransactionSnapshot}),
 *       table locks, commit ({@link io.deltasql.core.txn.MultiTableCommitResult}) and rollback.
 *       Inside it: {@code CommitEngine} (validate, check conflicts, rebase, {@code commitAll}),
 *       {@code ConflictChecker} (Delta's logical conflict rules), {@code CatalogTransactionView}
 *       (the {@code CatalogView} of one catalog transaction and one cut), {@code CommitPlan}
 *       and {@code CommitInfoFactory} (what each table's commit holds), {@code TransactionReader}
 *       (the cut of each isolation level).
 *   <li>{@link io.deltasql.core.txn.TableRef} and {@link io.deltasql.core.txn.NewTable}: how the
 *       writer names catalog tables ({@code schema.table} keys bound to catalog ids).
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
 * <h2>Consistent cuts and the catalog database</h2>
 * Catalog connections run at READ COMMITTED. On PostgreSQL and on H2 2.x alike, one
 * statement reads one snapshot: H2 takes, at the start of each statement, the roots of
 * every map the statement uses together with the set of committed transactions, in a
 * "moment of silence" loop, so a statement never sees half of a transaction
 * ({@code Transaction.markStatementStart}; {@code AtomicityTest} hammers it). Two statements
 * of one catalog transaction are not one snapshot (a test shows a multi-table commit seen
 * between them). Hence every cut is one statement: {@code currentVersions} for the tables of
 * a statement or a validation, the listing of every table for the pinned cut of a
 * REPEATABLE READ or SERIALIZABLE transaction; every other read names a version of that cut.
 *
 * <h2>Memory</h2>
 * File actions live once, in append-only chunked stores; built actions, merged actions
 * and their statements are immutable views of prefixes of those stores. Nothing is copied
 * when a builder hands over its files or when statements are merged, so a transaction of
 * a million adds holds a million references, not several copies of them.
 */
package io.deltasql.core.txn;
