package io.deltasql.core.catalog;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalog schema and migrates it forward on open. Each schema version is one
 * DDL script per dialect, {@code io/deltasql/core/catalog/<dialect>/V<n>.sql}; the
 * {@code catalog_schema_version} table records which were applied. A catalog written by
 * a newer deltasql (a higher schema version) is refused rather than misread.
 */
final class SchemaMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

  /** A schema version and what it adds. */
  record Migration(int version, String description) {
    String resource(CatalogDialect dialect) {
      return "/io/deltasql/core/catalog/" + dialect.name() + "/V" + version + ".sql";
    }
  }

  /** Every schema version, in order; the last one is what this code reads and writes. */
  static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "Delta log tables: tables, versions, files, actions"),
      new Migration(2, "mirror status and diverged tables"),
      new Migration(3, "schemas created by CREATE SCHEMA"),
      new Migration(4, "file images: the files of a version in a few compressed values"),
      new Migration(5, "H2: table_id columns declared of low selectivity, for H2's choice of index"),
      new Migration(6, "file images: a chunk's stats columns and stats JSON in columns of their own"));
  static final int CURRENT_VERSION = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

  static final String SCHEMA_VERSION_TABLE = "catalog_schema_version";
  static final String SELECT_VERSION = "SELECT MAX(version) FROM catalog_schema_version";
  static final String INSERT_VERSION =
      "INSERT INTO catalog_schema_version (version, description, applied_at) VALUES (?, ?, ?)";

  /** Serializes migrations inside this JVM (H2's DDL is not transactional). */
  private static final Object LOCK = new Object();

  private final CatalogDialect dialect;
  private final String url;
  private final Clock clock;

  SchemaMigrator(CatalogDialect dialect, String redactedUrl, Clock clock) {
    this.dialect = dialect;
    this.url = redactedUrl;
    this.clock = clock;
  }

  /**
   * Brings the catalog to {@code target} (normally {@link #CURRENT_VERSION}) and returns
   * the version it was at. Reads only when the schema is already current, so read-only
   * catalogs open.
   */
  int migrate(Connection connection, int target) throws SQLException {
    int found = schemaVersion(connection);
    connection.commit();
    checkNotNewer(found);
    if (found >= target) {
      return found;
    }
    synchronized (LOCK) {
      try {
        dialect.lockSchemaForMigration(connection);
        int current = schemaVersion(connection);
        checkNotNewer(current);
        for (Migration migration : MIGRATIONS) {
          if (migration.version() > current && migration.version() <= target) {
            apply(connection, migration);
            if (!dialect.transactionalDdl()) {
              connection.commit();
            }
          }
        }
        connection.commit();
        return found;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /** The schema version of the catalog, {@code 0} for an empty database. */
  static int schemaVersion(Connection connection) throws SQLException {
    if (!tableExists(connection, SCHEMA_VERSION_TABLE)) {
      return 0;
    }
    try (PreparedStatement ps = connection.prepareStatement(SELECT_VERSION); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private void apply(Connection connection, Migration migration) throws SQLException {
    LOG.info("catalog schema migration url={} dialect={} version={} description={}", url, dialect.name(),
        migration.version(), migration.description());
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements(migration.resource(dialect))) {
        statement.execute(sql);
      }
    }
    try (PreparedStatement ps = connection.prepareStatement(INSERT_VERSION)) {
      ps.setInt(1, migration.version());
      ps.setString(2, migration.description());
      ps.setLong(3, clock.millis());
      ps.executeUpdate();
    }
  }

  private void checkNotNewer(int version) {
    if (version > CURRENT_VERSION) {
      throw CatalogErrors.schemaTooNew(url, version, CURRENT_VERSION);
    }
  }

  /** Whether a table exists in the connection's current schema (names in the database's case). */
  private static boolean tableExists(Connection connection, String name) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String stored = meta.storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name;
    String escape = meta.getSearchStringEscape();
    String pattern = escape == null ? stored : stored.replace("_", escape + "_");
    try (ResultSet rs = meta.getTables(connection.getCatalog(), connection.getSchema(), pattern,
        new String[] {"TABLE", "BASE TABLE"})) {
      return rs.next();
    }
  }

  /** The statements of a script: {@code --} comment lines dropped, split at a final {@code ;}. */
  static List<String> statements(String resource) {
    String script;
    try (InputStream in = SchemaMigrator.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new DeltaException(SqlState.INTERNAL_ERROR, "Catalog DDL script " + resource
            + " is missing from the deltasql jar");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DeltaException(SqlState.INTERNAL_ERROR, "Cannot read catalog DDL script " + resource
          + " from the deltasql jar: " + e.getMessage(), e);
    }
    List<String> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        result.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new DeltaException(SqlState.INTERNAL_ERROR, "Catalog DDL script " + resource
          + " ends with an unterminated statement");
    }
    return result;
  }
}
