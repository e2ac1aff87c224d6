package io.deltasql.core.txn;

import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.types.StructType;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog as transaction validation sees it: each table's latest version and which
 * files are active in it. The catalog implements it; all answers of one validation must
 * come from one consistent cut of the catalog (one catalog snapshot), or validation may
 * compare a table before a commit with another after it.
 */
public interface CatalogView {

  /** The latest committed state of {@code table}, or empty if there is no such table. */
  Optional<TableHead> head(String table);

  /** Whether {@code file} is an active file of {@code table} at its latest version. */
  boolean isActive(String table, FileKey file);

  /**
   * Those of {@code files} that are not active in {@code table}. Validation asks in
   * batches of {@link MultiTableConfig#batchSize()}; a catalog should answer a batch with
   * one query.
   */
  default Set<FileKey> inactive(String table, Collection<FileKey> files) {
    Set<FileKey> inactive = new LinkedHashSet<>();
    for (FileKey f : files) {
      if (!isActive(table, f)) {
        inactive.add(f);
      }
    }
    return inactive;
  }

  /** How schemas of this catalog's metadata are parsed. */
  SchemaResolver schemaResolver();

  /** The latest version of {@code table}, or empty if there is no such table. */
  default Optional<Long> currentVersion(String table) {
    return head(table).map(TableHead::version);
  }

  /** The protocol in force for {@code table}. */
  default Optional<Protocol> protocol(String table) {
    return head(table).map(TableHead::protocol);
  }

  /** The metadata in force for {@code table}. */
  default Optional<Metadata> metadata(String table) {
    return head(table).map(TableHead::metadata);
  }

  /** The schema in force for {@code table}. */
  default Optional<StructType> schema(String table) {
    return metadata(table).map(m -> schemaResolver().schemaOf(m));
  }
}
