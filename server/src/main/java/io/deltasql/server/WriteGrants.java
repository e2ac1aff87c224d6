package io.deltasql.server;

import io.deltasql.planner.WritePermission;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a read-write user may change, from the {@code write:} entries of their users-file line:
 * {@code write:SCHEMA} (the schema, created or dropped, and all its tables) or
 * {@code write:SCHEMA.TABLE} (that table: created, written, altered, dropped). Names compare
 * case-insensitively. A user without entries may change everything.
 */
final class WriteGrants implements WritePermission {
  /** The prefix of a grant among a user's roles. */
  static final String PREFIX = "write:";

  private final String user;
  private final Set<String> schemas;
  private final Set<String> tables;

  private WriteGrants(String user, Set<String> schemas, Set<String> tables) {
    this.user = user;
    this.schemas = Set.copyOf(schemas);
    this.tables = Set.copyOf(tables);
  }

  /**
   * The grants of {@code user} from their {@code write:} entries.
   *
   * @throws IllegalArgumentException naming the entry, if one is not {@code schema} or {@code schema.table}
   */
  static WriteGrants of(String user, List<String> entries) {
    Set<String> schemas = new TreeSet<>();
    Set<String> tables = new TreeSet<>();
    for (String entry : entries) {
      String name = entry.substring(PREFIX.length()).trim().toLowerCase(Locale.ROOT);
      String[] parts = name.split("\\.", -1);
      boolean blank = false;
      for (String part : parts) {
        blank |= part.isBlank();
      }
      if (parts.length > 2 || blank) {
        throw new IllegalArgumentException("'" + entry + "' of user " + user
            + ": expected write:SCHEMA or write:SCHEMA.TABLE");
      }
      (parts.length == 1 ? schemas : tables).add(name);
    }
    return new WriteGrants(user, schemas, tables);
  }

  @Override
  public boolean allows(String schema, Optional<String> table) {
    String s = schema.toLowerCase(Locale.ROOT);
    return schemas.contains(s) || table.map(t -> tables.contains(s + "." + t.toLowerCase(Locale.ROOT))).orElse(false);
  }

  /** For the refusal's message: who, and what they may change. */
  @Override
  public String toString() {
    Set<String> all = new TreeSet<>(tables);
    schemas.forEach(s -> all.add(s + ".*"));
    return "user '" + user + "' may change only " + String.join(", ", all);
  }
}
