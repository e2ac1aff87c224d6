package io.deltasql.core.catalog;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;

import static io.deltasql.core.catalog.CatalogTest.assertFails;
import static io.deltasql.core.catalog.TestActions.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.table.Snapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Catalog schema creation, forward migration, and refusal of catalogs from a newer deltasql. */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class SchemaMigrationTest {
  @Parameter
  CatalogBackend backend;

  private static final String INSERT_V1_TABLE = "INSERT INTO delta_tables (schema_name, table_name, location, "
      + "current_version, oldest_version, protocol_version, metadata_version, properties, created_at) "
      + "VALUES ('main', 'old', '/lake/main/old', 0, 0, 0, 0, '{}', 0)";
  private static final String SELECT_TABLE_ID = "SELECT table_id FROM delta_tables WHERE table_name = 'old'";

  @Test
  void createsTheCurrentSchemaOnceAndReopensWithoutChanges() {
    try (CatalogFixture catalog = backend.fresh("schema")) {
      assertEquals(SchemaMigrator.CURRENT_VERSION, catalog.store().schemaVersion());
      catalog.closeStore();
      assertEquals(SchemaMigrator.CURRENT_VERSION, catalog.store().schemaVersion());
      assertEquals(SchemaMigrator.MIGRATIONS.size(), catalog.count("SELECT COUNT(*) FROM catalog_schema_version"));
    }
  }

  @Test
  void migratesAVersion1CatalogForwardKeepingItsTables() throws SQLException {
    try (CatalogFixture catalog = backend.fresh("schema")) {
      long tableId;
      try (Connection c = catalog.rawConnection()) {
        c.setAutoCommit(false);
        new SchemaMigrator(CatalogDialect.forUrl(catalog.url()), catalog.url(), Clock.systemUTC()).migrate(c, 1);
        tableId = writeVersion1Table(c);
        c.commit();
      }
      assertEquals(1, catalog.count("SELECT MAX(version) FROM catalog_schema_version"));

      CatalogStore store = catalog.store();
      assertEquals(SchemaMigrator.CURRENT_VERSION, store.schemaVersion());
      TableInfo table = store.findTable("main", "old").orElseThrow();
      assertFalse(table.diverged());
      Snapshot snapshot = store.snapshot(tableId);
      assertEquals(TestActions.metadata(List.of("p")), snapshot.metadata());
      // Versions from before mirror tracking are queued for the reconciler to verify.
      assertEquals(MirrorState.PENDING, store.inTransaction(tx -> tx.mirrorStatus(tableId, 0)).orElseThrow().state());
      CatalogTest.commit(store, table, 0, TestActions.commit(T0 + 1, "WRITE", TestActions.add("a.parquet", "a", 1)));
      assertEquals(1, store.currentVersion(tableId));
    }
  }

  /**
   * A catalog at schema version 5 holding a file image of format 3 (data only) opens at the
   * current version: the old image is dropped, the table reads as before, and the next large
   * read leaves an image of the current format, read back through its three columns.
   */
  @Test
  void migratesAVersion5CatalogWithAFileImage() throws SQLException, InterruptedException {
    try (CatalogFixture catalog = backend.fresh("schema")) {
      long tableId;
      List<AddFile> files = new ArrayList<>();
      try (CatalogStore v5 = CatalogStore.open(catalog.config(), Clock.systemUTC(), 5)) {
        assertEquals(5, v5.schemaVersion());
        TableInfo table = CatalogTest.createTable(v5, "imaged");
        tableId = table.tableId();
        for (int i = 0; i < FileImageWriter.MIN_FILES + 10; i++) {
          files.add(TestActions.add("f-" + i + ".parquet", "a", i));
        }
        CatalogTest.commit(v5, table, 0, TestActions.commit(T0 + 1, "WRITE", files.toArray(new Action[0])));
      }
      byte[] format3 = FileImageCodec.encode(files).get(0);
      format3[4] = 3;
      try (Connection c = catalog.rawConnection(); PreparedStatement ps = c.prepareStatement(
          "INSERT INTO delta_file_images (table_id, version, chunk, chunk_count, file_count, data) "
              + "VALUES (?, 1, 0, 1, ?, ?)")) {
        ps.setLong(1, tableId);
        ps.setInt(2, files.size());
        ps.setBytes(3, format3);
        ps.executeUpdate();
      }
      assertEquals(5, catalog.count("SELECT MAX(version) FROM catalog_schema_version"));

      CatalogStore store = catalog.store();
      assertEquals(SchemaMigrator.CURRENT_VERSION, store.schemaVersion());
      assertEquals(0, catalog.count("SELECT COUNT(*) FROM delta_file_images"), "the format 3 image is dropped");
      Snapshot fromRows = store.snapshot(tableId);
      assertEquals(files.size(), fromRows.files().size());
      for (AddFile file : files) {
        assertEquals(file.stats(), fromRows.files().get(file.fileKey()).stats());
      }
      store.awaitFileImages();
      assertEquals(1, catalog.count("SELECT COUNT(*) FROM delta_file_images WHERE table_id = ? "
          + "AND stats IS NOT NULL AND stats_columns IS NOT NULL", tableId));
      Snapshot fromImage = store.snapshot(tableId);
      assertEquals(fromRows, fromImage);
    }
  }

  @Test
  void finishesAMigrationThatWasInterruptedHalfWay() throws SQLException {
    try (CatalogFixture catalog = backend.fresh("schema")) {
      try (Connection c = catalog.rawConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        new SchemaMigrator(CatalogDialect.forUrl(catalog.url()), catalog.url(), Clock.systemUTC()).migrate(c, 1);
        // The first statements of version 2 ran, then the process died before recording it.
        List<String> v2 = SchemaMigrator.statements(SchemaMigrator.MIGRATIONS.get(1).resource(CatalogDialect.forUrl(catalog.url())));
        s.execute(v2.get(0));
        s.execute(v2.get(1));
        c.commit();
      }
      assertEquals(SchemaMigrator.CURRENT_VERSION, catalog.store().schemaVersion());
      CatalogTest.createTable(catalog.store(), "after");
    }
  }

  @Test
  void refusesACatalogWrittenByANewerDeltasql() throws SQLException {
    try (CatalogFixture catalog = backend.fresh("schema")) {
      TableInfo table = CatalogTest.createTable(catalog.store(), "future");
      catalog.closeStore();
      try (Connection c = catalog.rawConnection();
          PreparedStatement ps = c.prepareStatement(SchemaMigrator.INSERT_VERSION)) {
        ps.setInt(1, 99);
        ps.setString(2, "from the future");
        ps.setLong(3, 0);
        ps.executeUpdate();
      }
      assertFails(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, catalog::store,
          "schema version 99", "newer than the version " + SchemaMigrator.CURRENT_VERSION, "Upgrade deltasql");
      assertEquals(1, catalog.count("SELECT COUNT(*) FROM delta_tables WHERE table_id = ?", table.tableId()));
    }
  }

  /** A table at version 0 as schema version 1 stored it, written with plain SQL. */
  private static long writeVersion1Table(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate(INSERT_V1_TABLE);
    }
    long tableId;
    try (Statement s = c.createStatement(); var rs = s.executeQuery(SELECT_TABLE_ID)) {
      rs.next();
      tableId = rs.getLong(1);
    }
    try (PreparedStatement ps = c.prepareStatement(CommitWriter.INSERT_VERSION)) {
      ps.setLong(1, tableId);
      ps.setLong(2, 0);
      ps.setLong(3, T0);
      ps.setString(4, "v1-txn");
      ps.setString(5, "old deltasql");
      ps.setString(6, "CREATE TABLE");
      ps.setString(7, "{}");
      ps.setString(8, "{\"operation\":\"CREATE TABLE\"}");
      ps.setInt(9, 0);
      ps.setInt(10, 3);
      ps.setBoolean(11, false);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(ActionRows.INSERT_PROTOCOL)) {
      ActionRows.bindProtocol(ps, tableId, 0, 1, TestActions.protocol());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(ActionRows.INSERT_METADATA)) {
      ActionRows.bindMetadata(ps, tableId, 0, 2, TestActions.metadata(List.of("p")));
      ps.executeUpdate();
    }
    return tableId;
  }
}
