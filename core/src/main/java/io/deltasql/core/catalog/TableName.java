package io.deltasql.core.catalog;

import java.util.Objects;

/** A table's name in the catalog: its schema and its name in the schema. */
public record TableName(String schemaName, String tableName) {
  public TableName {
    Objects.requireNonNull(schemaName, "schemaName");
    Objects.requireNonNull(tableName, "tableName");
  }
}
