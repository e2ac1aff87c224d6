package io.deltasql.core.imports;

/**
 * What an import registered: the table, and the range of versions now in the catalog.
 *
 * @param millis wall time of the import
 */
public record ImportResult(
    long tableId, String schema, String name, String location, long oldestVersion, long latestVersion, long millis) {}
