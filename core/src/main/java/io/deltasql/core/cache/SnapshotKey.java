package io.deltasql.core.cache;

/**
 * The key of a cached snapshot: a table and one of its versions. A committed version never
 * changes, so a snapshot cached under its key is valid for as long as it stays cached.
 *
 * @param tableId the catalog id of the table
 * @param version the table version
 */
public record SnapshotKey(long tableId, long version) {}
