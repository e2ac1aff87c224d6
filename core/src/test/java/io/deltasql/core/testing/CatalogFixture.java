package io.deltasql.core.testing;

import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/** One empty catalog database of a backend, with a store opened on demand. */
public final class CatalogFixture implements AutoCloseable {
  private final CatalogBackend backend;
  private final String url;
  private final Runnable cleanup;
  private CatalogStore store;

  public CatalogFixture(CatalogBackend backend, String url, Runnable cleanup) {
    this.backend = backend;
    this.url = url;
    this.cleanup = cleanup;
  }

  public CatalogBackend backend() {
    return backend;
  }

  public String url() {
    return url;
  }

  public CatalogConfig config() {
    return CatalogConfig.of(url).withPoolSize(4);
  }

  /** The store, opened with the default test configuration on first use. */
  public CatalogStore store() {
    if (store == null) {
      store = CatalogStore.open(config());
    }
    return store;
  }

  /** Opens the store with a changed configuration (closing the current one). */
  public CatalogStore store(UnaryOperator<CatalogConfig> change) {
    closeStore();
    store = CatalogStore.open(change.apply(config()));
    return store;
  }

  public void closeStore() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  /** A plain JDBC connection to the catalog database, for checks below the store. */
  public Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(url);
  }

  /** {@code SELECT COUNT(*)} of a query with long parameters, straight from the database. */
  public long count(String sql, long... parameters) {
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
