/**
 * Caches of what the catalog answers (DESIGN.md, "Caching").
 *
 * <ul>
 *   <li>{@link io.deltasql.core.cache.SnapshotCache}: snapshots keyed by (table, version),
 *       advanced from an older cached version by reading only the newer versions, and
 *       parsed schemas; "latest" is always checked against the catalog's current version,
 *       so several JVMs never read stale data as latest.
 *   <li>{@link io.deltasql.core.cache.SnapshotSource}: the catalog reads the cache makes,
 *       through one catalog transaction.
 *   <li>{@link io.deltasql.core.cache.TableMetadata}: protocol, metadata and schema of a
 *       table version.
 * </ul>
 */
package io.deltasql.core.cache;
