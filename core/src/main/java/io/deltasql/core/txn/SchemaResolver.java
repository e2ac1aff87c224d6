package io.deltasql.core.txn;

import io.deltasql.core.actions.Metadata;
import io.deltasql.core.types.StructType;

/**
 * Parses a table's schema from its metadata ({@code schemaString}). The catalog provides
 * one (through its schema JSON parser, perhaps cached by metadata id); validation only
 * needs this much of it.
 */
@FunctionalInterface
public interface SchemaResolver {
  /**
   * The schema of {@code metadata}.
   *
   * @throws io.deltasql.core.errors.DeltaException when the schema string is not a valid schema
   */
  StructType schemaOf(Metadata metadata);
}
