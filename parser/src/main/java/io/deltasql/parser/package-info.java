/**
 * deltasql's SQL parser: Calcite's grammar extended with the Delta statements, types and time
 * travel (see {@code src/main/codegen}). {@link io.deltasql.parser.DeltaSqlParser} is the entry
 * point: every text either parses or fails with a positioned
 * {@link org.apache.calcite.sql.parser.SqlParseException} (SQLState {@code 42601} at the SQL
 * layer), including statements nested too deeply for the stack and empty ones.
 */
package io.deltasql.parser;
