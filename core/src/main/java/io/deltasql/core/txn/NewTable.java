package io.deltasql.core.txn;

import java.util.Map;

/**
 * A table a transaction creates: where the catalog registers it. Its first version (the
 * protocol, the metadata and any files) is staged like every other write, under
 * {@link #key()} with read version {@link TableActions#NEW_TABLE}; the catalog row and
 * version 0 are written in the transaction's catalog commit, atomically with its other
 * tables.
 *
 * @param schemaName the schema to create it in (no dot in it)
 * @param tableName its name
 * @param location the table root, where its {@code _delta_log} will be mirrored
 * @param properties catalog-side properties of the table (not its Delta configuration)
 */
public record NewTable(String schemaName, String tableName, String location, Map<String, String> properties) {
  public NewTable {
    Checks.tableName(schemaName);
    Checks.tableName(tableName);
    Checks.tableName(location);
    if (schemaName.contains(".")) {
      throw TxnErrors.invalidArgument("schema name '" + schemaName + "' contains a dot; the writer names tables"
          + " 'schema.table', so a schema name cannot contain one");
    }
    properties = Map.copyOf(Checks.notNull(properties, "properties"));
  }

  /** A new table without catalog-side properties. */
  public static NewTable of(String schemaName, String tableName, String location) {
    return new NewTable(schemaName, tableName, location, Map.of());
  }

  /** The transaction model's identifier of the table: {@code schema.table}. */
  public String key() {
    return TableRef.key(schemaName, tableName);
  }
}
