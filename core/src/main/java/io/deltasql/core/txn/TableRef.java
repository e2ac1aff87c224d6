package io.deltasql.core.txn;

import io.deltasql.core.catalog.TableInfo;
import java.util.Objects;

/**
 * A catalog table as a transaction names it. The transaction model identifies tables by
 * {@link #key()}, the qualified name {@code schema.table}: it is what lock listings, logs
 * and error messages show, and the order of keys is the canonical order of locks. The
 * catalog identifies them by {@link #tableId()}; {@link MultiTableWriter} keeps both, so
 * that a table dropped and re-created under the same name is never mistaken for the one a
 * transaction read.
 *
 * @param tableId the catalog id, stable for the table's life and never reused
 * @param schemaName the schema holding the table (no dot in it)
 * @param tableName the table's name
 * @param location the table root (where its {@code _delta_log} is mirrored)
 */
public record TableRef(long tableId, String schemaName, String tableName, String location) {
  public TableRef {
    Checks.notNull(schemaName, "schema name");
    Checks.notNull(tableName, "table name");
    Checks.notNull(location, "location");
  }

  /** The reference of a registered table. */
  public static TableRef of(TableInfo info) {
    Objects.requireNonNull(info, "info");
    return new TableRef(info.tableId(), info.schemaName(), info.tableName(), info.location());
  }

  /** The transaction model's identifier of this table: {@code schema.table}. */
  public String key() {
    return key(schemaName, tableName);
  }

  /** The transaction model's identifier of {@code schema.table}. */
  public static String key(String schemaName, String tableName) {
    return Checks.notNull(schemaName, "schema name") + "." + Checks.notNull(tableName, "table name");
  }

  /**
   * The schema and table names of a key: split at its first dot.
   *
   * @throws io.deltasql.core.errors.DeltaException {@code 22023} for a key without a dot
   */
  static String[] split(String key) {
    int dot = Checks.tableName(key).indexOf('.');
    if (dot <= 0 || dot == key.length() - 1) {
      throw TxnErrors.invalidArgument("table '" + key + "' is not a qualified name: the writer names tables"
          + " 'schema.table'");
    }
    return new String[] {key.substring(0, dot), key.substring(dot + 1)};
  }

  @Override
  public String toString() {
    return key() + " (id " + tableId + ")";
  }
}
