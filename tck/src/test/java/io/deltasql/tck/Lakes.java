package io.deltasql.tck;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A fresh lake for one test: an empty warehouse folder and an empty catalog of a backend (the
 * embedded H2 database inside the warehouse, or a new PostgreSQL schema), reached through
 * {@code jdbc:deltasql:} with the shared Delta tables allowed as import locations.
 */
public final class Lakes implements ScriptTarget, AutoCloseable {
  private final CatalogBackend backend;
  private final Path warehouse;
  private final CatalogFixture catalog;
  private final List<Path> allowed;

  private Lakes(CatalogBackend backend, Path warehouse, CatalogFixture catalog, List<Path> allowed) {
    this.backend = backend;
    this.warehouse = warehouse;
    this.catalog = catalog;
    this.allowed = List.copyOf(allowed);
  }

  /** A new lake on {@code backend}. */
  public static Lakes fresh(CatalogBackend backend, String prefix) {
    CatalogFixture catalog = backend == CatalogBackend.POSTGRESQL ? backend.fresh(prefix) : null;
    try {
      return new Lakes(backend, Files.createTempDirectory("deltasql-tck-" + prefix + "-"), catalog, List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new lake on {@code backend} in the (new or empty) folder {@code warehouse}, which may also
   * create and import tables under {@code allowed} besides the shared tables.
   */
  public static Lakes at(CatalogBackend backend, String prefix, Path warehouse, List<Path> allowed) {
    CatalogFixture catalog = backend == CatalogBackend.POSTGRESQL ? backend.fresh(prefix) : null;
    return new Lakes(backend, warehouse, catalog, allowed);
  }

  public CatalogBackend backend() {
    return backend;
  }

  /** The connection URL of this lake, with extra {@code ;key=value} properties. */
  public String url(String extra) {
    StringBuilder url = new StringBuilder("jdbc:deltasql:warehouse=").append(warehouse);
    if (catalog != null) {
      url.append(";catalog='").append(catalog.url()).append("'");
    }
    url.append(";allowedLocations=").append(SharedTables.root());
    allowed.forEach(root -> url.append(',').append(root));
    return url.append(extra).toString();
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(""));
  }

  @Override
  public Connection connect(String name) throws SQLException {
    return connect();
  }

  /**
   * A plain JDBC connection to this lake's catalog database, below deltasql: the PostgreSQL
   * schema, or the embedded H2 database (shared in process with the driver's own connections).
   */
  public Connection rawCatalog() throws SQLException {
    return catalog != null ? catalog.rawConnection()
        : DriverManager.getConnection("jdbc:h2:file:" + warehouse.resolve("_catalog").resolve("catalog"));
  }

  @Override
  public Optional<Path> warehouse() {
    return Optional.of(warehouse);
  }

  @Override
  public Map<String, String> variables() {
    return Map.of("warehouse", warehouse.toString(), "shared", SharedTables.root().toString());
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(warehouse)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    } finally {
      if (catalog != null) {
        catalog.close();
      }
    }
  }

  @Override
  public String toString() {
    return backend.name();
  }
}
