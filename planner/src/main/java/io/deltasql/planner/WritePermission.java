package io.deltasql.planner;

import java.util.Optional;

/**
 * Which tables and schemas a connection may change, asked by every statement that writes
 * (INSERT, UPDATE, DELETE, CREATE, ALTER and DROP TABLE, CREATE and DROP SCHEMA, OPTIMIZE,
 * VACUUM) once it knows its target, before anything is staged. An embedded connection may
 * change everything ({@link #ALL}); the server sets one per connection from its user's grants.
 * A read-only connection is refused before this is asked.
 */
@FunctionalInterface
public interface WritePermission {
  /** Everything may be changed. */
  WritePermission ALL = (schema, table) -> true;

  /**
   * Whether table {@code table} of {@code schema} may be changed (created, written, altered or
   * dropped); with no table, the schema itself (created or dropped, tables and all).
   */
  boolean allows(String schema, Optional<String> table);
}
