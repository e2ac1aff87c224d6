package io.deltasql.core.catalog;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;

import static io.deltasql.core.catalog.CatalogTest.assertFails;
import static io.deltasql.core.catalog.TestActions.T0;
import static io.deltasql.core.catalog.TestActions.add;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.table.Snapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Unreachable, read-only and closed catalogs: clear errors, nothing half-written. */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class CatalogFailureTest {
  @Parameter
  CatalogBackend backend;

  @Test
  void anUnreachableCatalogIsAConnectionErrorThatHidesThePassword() {
    if (backend == CatalogBackend.H2) {
      try (CatalogFixture catalog = backend.fresh("unreachable")) {
        catalog.store(config -> config.withCredentials("sa", "right-pass-123"));
        catalog.closeStore();
        DeltaException e = assertFails(SqlState.CONNECTION_FAILURE,
            () -> catalog.store(config -> config.withCredentials("sa", "wrong-pass-456")),
            catalog.url(), "refused the credentials");
        assertFalse(e.getMessage().contains("pass-"), e.getMessage());
      }
    } else {
      String url = "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=hunter2";
      DeltaException e = assertFails(SqlState.CONNECTION_EXCEPTION, () -> CatalogStore.open(CatalogConfig.of(url)),
          "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=***", "unreachable");
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
  }

  @Test
  void aReadOnlyCatalogReadsButRefusesChangesAndWritesNothing() {
    try (CatalogFixture catalog = backend.fresh("readonly")) {
      TableInfo table = CatalogTest.createTable(catalog.store(), "ro");
      CatalogTest.commit(catalog.store(), table, 0, TestActions.commit(T0 + 1, "WRITE", add("a.parquet", "a", 1)));
      Snapshot before = catalog.store().snapshot(table.tableId());
      catalog.closeStore();

      try (CatalogStore readOnly = CatalogStore.open(CatalogConfig.of(backend.readOnly(catalog.url())))) {
        assertEquals(before, readOnly.snapshot(table.tableId()));
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> CatalogTest.commit(readOnly, table, 1,
            TestActions.commit(T0 + 2, "WRITE", add("b.parquet", "a", 1))), "read-only", "version 2");
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION,
            () -> readOnly.registerTable("main", "other", "/lake/main/other", Map.of()), "read-only");
        assertEquals(before, readOnly.snapshot(table.tableId()));
      }
      assertEquals(before, catalog.store().snapshot(table.tableId()));
      assertEquals(2, catalog.count("SELECT COUNT(*) FROM delta_versions WHERE table_id = ?", table.tableId()));
    }
  }

  @Test
  void aReadOnlyCatalogThatNeedsAMigrationIsRefused() throws SQLException {
    try (CatalogFixture catalog = backend.fresh("readonly")) {
      try (Connection c = catalog.rawConnection()) {
        c.setAutoCommit(false);
        new SchemaMigrator(CatalogDialect.forUrl(catalog.url()), catalog.url(), Clock.systemUTC()).migrate(c, 1);
      }
      assertFails(SqlState.READ_ONLY_SQL_TRANSACTION,
          () -> CatalogStore.open(CatalogConfig.of(backend.readOnly(catalog.url()))),
          "migrate the catalog schema to version " + SchemaMigrator.CURRENT_VERSION, "read-only");
      assertEquals(1, catalog.count("SELECT MAX(version) FROM catalog_schema_version"));
    }
  }

  /** pg_terminate_backend ends the session with 57P01: the connection is gone, a commit's outcome unknown. */
  @Test
  void aSessionEndedByTheServerIsALostConnection() {
    try (CatalogFixture catalog = backend.fresh("ended")) {
      CatalogErrors errors = new CatalogErrors(catalog.config(), CatalogDialect.forUrl(catalog.url()));
      DeltaException e = errors.translate(new SQLException("terminating connection due to administrator command",
          "57P01"), "commit version 3 of table s.t");
      assertEquals(SqlState.CONNECTION_EXCEPTION, e.state(), e.getMessage());
    }
  }

  @Test
  void aClosedCatalogRefusesWork() {
    try (CatalogFixture catalog = backend.fresh("closed")) {
      CatalogStore store = catalog.store();
      catalog.closeStore();
      assertFails(SqlState.CONNECTION_EXCEPTION, () -> store.listTables(), "closed");
    }
  }

  @Test
  void onlyH2AndPostgresqlCatalogsAreSupported() {
    assertFails(SqlState.FEATURE_NOT_SUPPORTED,
        () -> CatalogStore.open(CatalogConfig.of("jdbc:mysql://localhost/catalog")), "jdbc:mysql:");
  }
}
