package io.deltasql.driver;

import io.deltasql.core.mirror.MirrorConfig;
import java.util.Optional;

/**
 * Every property of a {@code jdbc:deltasql:} URL (or of the {@link java.util.Properties}
 * passed with it), with its default. Names are case-insensitive.
 *
 * <p>A URL may also give the settings of S3 storage, the keys of
 * {@link io.deltasql.core.storage.s3.S3Property} ({@code s3.endpoint}, {@code s3.region},
 * {@code s3.path-style}, {@code s3.access-key}, {@code s3.secret-key}, ...; case and dashes
 * ignored, so {@code s3.pathStyle} works too). They serve every {@code s3://} location of the
 * connection: the warehouse and {@code LOCATION}s; like {@link #MIRROR}, the first connection of
 * the JVM to a catalog fixes them. Any other key is refused with 22023.
 * Credentials ({@code catalog.password}, {@code s3.access-key}, {@code s3.secret-key},
 * {@code s3.session-token}) are never logged and appear as {@code ***} in
 * {@link java.sql.DatabaseMetaData#getURL()}, the shell and the server's logs.
 */
public enum ConnectionProperty {
  /**
   * Root of table data; tables live in {@code WAREHOUSE/<schema>/<table>/}. A local folder (or
   * {@code file:} URI), or an S3 location {@code s3://bucket/prefix} configured by the
   * {@code s3.*} keys (endpoint, region, path style, credentials).
   */
  WAREHOUSE("warehouse", "./lake"),
  /**
   * JDBC URL of the catalog database that holds the log. Default, for a local warehouse: an
   * embedded H2 file database in {@code WAREHOUSE/_catalog/}. A warehouse on S3 has no default
   * (an embedded database needs a local folder, and a catalog private to one machine would
   * split the warehouse's history between the processes using it): give
   * {@code catalog='jdbc:postgresql://...'}, or {@code catalog='jdbc:h2:file:/local/folder/catalog'}
   * for one process; without it the connection is refused with 22023.
   */
  CATALOG("catalog", null),
  /** User name for the catalog database. */
  CATALOG_USER("catalog.user", null),
  /** Password for the catalog database; never logged. */
  CATALOG_PASSWORD("catalog.password", null),
  /** Default isolation level of transactions: READ_COMMITTED, REPEATABLE_READ or SERIALIZABLE. */
  ISOLATION("isolation", "READ_COMMITTED"),
  /**
   * Longest wait, in milliseconds, of a statement or {@code COMMIT} for a table lock that
   * another transaction holds; a longer wait fails with {@code 55P03} (0: fail at once).
   * Default: 30000, the transaction configuration's {@code lockTimeoutMs}.
   */
  LOCK_TIMEOUT("lockTimeout", null),
  /** Schema used for unqualified table names. */
  SCHEMA("schema", "default"),
  /**
   * Locations (comma-separated local folders and {@code s3://bucket/prefix}) where
   * {@code CREATE TABLE ... LOCATION} may create or import tables, besides the warehouse;
   * {@code *} allows any. Each table's files are reached through the storage of its own
   * location, so an S3 warehouse may import local tables and the other way round.
   */
  ALLOWED_LOCATIONS("allowedLocations", ""),
  /** Whether the connection starts read-only (writes fail with 25006). */
  READ_ONLY("readOnly", "false"),
  /**
   * Whether {@code VACUUM ... RETAIN n HOURS} refuses a retention shorter than the table's
   * {@code delta.deletedFileRetentionDuration} (7 days by default). Turn off only when no reader
   * needs older versions and no writer is running.
   */
  VACUUM_RETENTION_CHECK("vacuumRetentionCheck", "true"),
  /**
   * When commits reach the tables' {@code _delta_log}: {@code sync} (a statement returns once
   * its versions are mirrored, so other Delta readers see them at once) or {@code async} (a
   * statement returns after the catalog commit; the mirror follows in the background, see
   * {@code sys.mirror_status}). Fixed per catalog by the first connection of the JVM.
   */
  MIRROR("mirror", "sync"),
  /**
   * The least time, in milliseconds, between two checkpoints the mirror writes of a table with
   * more than {@link #MIRROR_CHECKPOINT_SPACING_FILES} active files (it grows to four times
   * what the table's previous checkpoint took); a checkpoint due sooner is left out and readers
   * replay a few more commit files. {@code 0} writes every due checkpoint. Default (1000) from
   * {@link MirrorConfig#DEFAULTS}, as are the next two. Fixed per catalog by the first
   * connection of the JVM, like {@link #MIRROR}.
   */
  MIRROR_CHECKPOINT_SPACING("mirror.checkpointSpacing", Long.toString(MirrorConfig.DEFAULTS.checkpointSpacing().toMillis())),
  /**
   * Tables whose last checkpoint held at most this many active files get every due
   * checkpoint, however soon ({@code 0}: the spacing applies to every table). Default 100.
   * Fixed per catalog by the first connection of the JVM.
   */
  MIRROR_CHECKPOINT_SPACING_FILES("mirror.checkpointSpacingFiles",
      Long.toString(MirrorConfig.DEFAULTS.checkpointSpacingFiles())),
  /**
   * Backpressure: commits to a table with more versions than this not yet mirrored are
   * refused with {@code 53000} (retryable) until the mirror catches up; at least 1.
   * Default 1000. Fixed per catalog by the first connection of the JVM.
   */
  MIRROR_MAX_UNMIRRORED("mirror.maxUnmirrored", Long.toString(MirrorConfig.DEFAULTS.maxUnmirroredVersions()));

  private final String key;
  private final String defaultValue;

  ConnectionProperty(String key, String defaultValue) {
    this.key = key;
    this.defaultValue = defaultValue;
  }

  /** The property name as written in a URL. */
  public String key() {
    return key;
  }

  /** The default, if the property has one. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The property of this name, ignoring case. */
  public static Optional<ConnectionProperty> of(String name) {
    for (ConnectionProperty p : values()) {
      if (p.key.equalsIgnoreCase(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
