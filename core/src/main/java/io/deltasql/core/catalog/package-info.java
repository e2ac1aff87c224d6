/**
 * The catalog: the authoritative Delta log of every table, kept in a SQL database (an
 * embedded H2 file by default, PostgreSQL for several hosts). {@link
 * io.deltasql.core.catalog.CatalogStore} is the entry point; {@link
 * io.deltasql.core.catalog.CatalogTransaction} groups operations into one catalog
 * transaction.
 *
 * <h2>Schema</h2>
 *
 * One DDL script per schema version and dialect ({@code io/deltasql/core/catalog/<dialect>/V<n>.sql}),
 * applied on open and recorded in {@code catalog_schema_version}; a catalog from a newer
 * deltasql is refused. Versions and timestamps are {@code BIGINT} (ms, as Delta), maps and
 * lists are JSON text, and every action row keeps its position ({@code seq}) in its commit.
 *
 * <ul>
 *   <li>{@code delta_tables}: id, schema and name, location, {@code current_version} (the
 *       compare-and-set target), {@code oldest_version}, the versions holding the latest
 *       protocol and metadata, properties, and (V2) the diverged flag and reason.
 *   <li>{@code delta_versions}: one row per (table, version): commit timestamp (the in-commit
 *       timestamp, strictly increasing), transaction id (unique per table: idempotent
 *       retries), committer, operation and parameters, commitInfo, whether it is an
 *       imported checkpoint base.
 *   <li>{@code delta_protocols}, {@code delta_metadata}: the protocol and metadata set by a
 *       version, in force until the next such row.
 *   <li>{@code delta_files}: one row per logical file (path, deletion vector id) and
 *       interval of versions in force: {@code add_version} to {@code remove_version}
 *       (exclusive, NULL while active), with every field of the add action.
 *   <li>{@code delta_removes}, {@code delta_cdc_files}: the remove and cdc actions of each
 *       version, kept only to regenerate the exact commit for the mirror.
 *   <li>{@code delta_app_txns}, {@code delta_domains}: {@code txn} and {@code domainMetadata}
 *       actions, also as intervals ({@code from_version}, {@code to_version}).
 *   <li>{@code delta_mirror_status} (V2): per (table, version) PENDING, DONE or FAILED, with
 *       attempts and last error.
 * </ul>
 *
 * <h2>Why there is no separate active-files table</h2>
 *
 * The file table is the maintained active-files table: the active files of a table are the
 * rows with {@code remove_version IS NULL}, an index range of {@code delta_files_live_idx}
 * ({@code table_id, remove_version, add_version}), and a unique index enforces one active row
 * per logical file. The same rows answer a snapshot at any version v (added by v, not removed
 * by v) with two index ranges and no replay. A second, narrow {@code active_files} table would
 * double every add and remove write and could drift from the history; what it would buy,
 * denser pages for the latest snapshot, can be had later by purging intervals older than the
 * retained history into an archive table, without changing any query.
 *
 * <h2>Consistency</h2>
 *
 * Catalog connections run at READ COMMITTED. Every read names the version it reads ("added by
 * v and not removed by v"), so a snapshot is consistent while other writers commit, without
 * relying on the database's snapshot isolation. A commit is a compare-and-set of
 * {@code delta_tables.current_version} that holds the table's row lock until the catalog
 * transaction ends; several tables' commits in one transaction are taken in table id order.
 * A commit that also depends on tables it does not write (SERIALIZABLE reads) first locks
 * the rows of all its tables, in the same order and with the same lock
 * ({@code lockCurrentVersions}), so that no other process can commit to a table it read
 * between its validation and its commit.
 * A transaction that the database aborts with {@code 40001}, {@code 40P01} or {@code 23505},
 * or whose compare-and-set meets a commit that landed after its checks, runs again in a new
 * transaction: its first checks then tell an already recorded copy of the commit (returned as
 * is) from another writer's commit (a lost race, {@code 40001} to the caller).
 */
package io.deltasql.core.catalog;
