package io.deltasql.core.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/** One empty catalog database of a backend, with a store opened on demand. */
final class CatalogFixture implements AutoCloseable {
  private final CatalogBackend backend;
  private final String url;
  private final Runnable cleanup;
  private CatalogStore store;

  CatalogFixture(CatalogBackend backend, String url, Runnable cleanup) {
    this.backend = backend;
    this.url = url;
    this.cleanup = cleanup;
  }

  CatalogBackend backend() {
    return backend;
  }

  String url() {
    return url;
  }

  CatalogConfig config() {
    return CatalogConfig.of(url).withPoolSize(4);
  }

  /** The store, opened with the default test configuration on first use. */
  CatalogStore store() {
    if (store == null) {
      store = CatalogStore.open(config());
    }
    return store;
  }

  /** Opens the store with a changed configuration (closing the current one). */
  CatalogStore store(UnaryOperator<CatalogConfig> change) {
    closeStore();
    store = CatalogStore.open(change.apply(config()));
    return store;
  }

  void closeStore() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  /** A plain JDBC connection to the catalog database, for checks below the store. */
  Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(url);
  }

  /** {@code SELECT COUNT(*)} of a query with long parameters, straight from the database. */
  long count(String sql, long... parameters) {
    try (Connection c = rawConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setLong(i + 1, parameters[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new AssertionError("Cannot run " + sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      closeStore();
    } finally {
      cleanup.run();
    }
  }

  @Override
  public String toString() {
    return backend.name();
  }
}
