package io.deltasql.core.catalog;

import java.util.Objects;

/**
 * What a committer holds of a table at the read version of its commit, so that the catalog
 * need not read the table's row before writing ({@link CatalogTransaction#commitAllHeld}):
 * typically its own previous commit to the table, whose snapshot it cached.
 *
 * @param table the table's row as the committer last read it (names and location; its
 *     current version and divergence are not used, the compare-and-set checks them)
 * @param readTimestamp the commit timestamp of the read version (the next version's
 *     in-commit timestamp is kept above it)
 */
public record HeldTable(TableInfo table, long readTimestamp) {
  public HeldTable {
    Objects.requireNonNull(table, "table");
  }
}
