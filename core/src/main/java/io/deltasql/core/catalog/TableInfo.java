package io.deltasql.core.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A table registered in the catalog.
 *
 * @param tableId the catalog's id of the table, stable for its life
 * @param schemaName the schema (namespace) holding it
 * @param tableName its name in the schema
 * @param location the table root (the folder holding {@code _delta_log})
 * @param currentVersion the latest committed version, {@code -1} before version 0 exists
 * @param oldestVersion the oldest version the catalog holds: {@code 0}, or the base version
 *     of a table imported from a checkpoint
 * @param properties catalog-side properties of the table (not the Delta configuration)
 * @param divergence why the table's {@code _delta_log} diverged from the catalog, if it did
 */
public record TableInfo(
    long tableId,
    String schemaName,
    String tableName,
    String location,
    long currentVersion,
    long oldestVersion,
    Map<String, String> properties,
    Optional<String> divergence) {

  public TableInfo {
    Objects.requireNonNull(schemaName, "schemaName");
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(location, "location");
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    Objects.requireNonNull(divergence, "divergence");
  }

  /** {@code schema.table}, for messages. */
  public String qualifiedName() {
    return schemaName + "." + tableName;
  }

  /** Whether version 0 (or an imported base version) exists. */
  public boolean hasVersions() {
    return currentVersion >= 0;
  }

  /** Whether writes are refused because the table's log diverged. */
  public boolean diverged() {
    return divergence.isPresent();
  }
}
