package io.deltasql.core.txn;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A {@link CatalogView} over maps: the test fixture of the interface the catalog implements. */
final class InMemoryCatalog implements CatalogView {
  private final Map<String, TableHead> heads = new HashMap<>();
  private final Map<String, Set<FileKey>> active = new HashMap<>();

  /** Puts a table at {@code version} with these active files. */
  InMemoryCatalog table(String table, long version, Protocol protocol, Metadata metadata, AddFile... files) {
    Set<FileKey> keys = new HashSet<>();
    for (AddFile f : files) {
      keys.add(f.fileKey());
    }
    active.put(table, keys);
    heads.put(table, new TableHead(table, version, protocol, metadata, keys.size(), 0, false));
    return this;
  }

  /** Puts a table of the base schema, legacy protocol, with these active files. */
  InMemoryCatalog table(String table, long version, AddFile... files) {
    return table(table, version, TxnFixtures.LEGACY, TxnFixtures.metadata(TxnFixtures.BASE_SCHEMA), files);
  }

  InMemoryCatalog unmirrored(String table, long versions) {
    TableHead h = heads.get(table);
    heads.put(table, new TableHead(table, h.version(), h.protocol(), h.metadata(), h.activeFileCount(), versions,
        h.diverged()));
    return this;
  }

  InMemoryCatalog diverged(String table) {
    TableHead h = heads.get(table);
    heads.put(table, new TableHead(table, h.version(), h.protocol(), h.metadata(), h.activeFileCount(),
        h.unmirroredVersions(), true));
    return this;
  }

  @Override
  public Optional<TableHead> head(String table) {
    return Optional.ofNullable(heads.get(table));
  }

  @Override
  public boolean isActive(String table, FileKey file) {
    return active.getOrDefault(table, Set.of()).contains(file);
  }

  @Override
  public SchemaResolver schemaResolver() {
    return TxnFixtures.RESOLVER;
  }
}
