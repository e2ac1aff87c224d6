package io.deltasql.driver;

import java.util.Optional;

/**
 * Every property of a {@code jdbc:deltasql:} URL (or of the {@link java.util.Properties}
 * passed with it), with its default. Names are case-insensitive.
 */
public enum ConnectionProperty {
  /** Root folder of table data; tables live in {@code WAREHOUSE/<schema>/<table>/}. */
  WAREHOUSE("warehouse", "./lake"),
  /**
   * JDBC URL of the catalog database that holds the log. Default: an embedded H2 file
   * database in {@code WAREHOUSE/_catalog/}.
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
   * Folders (comma-separated) where {@code CREATE TABLE ... LOCATION} may create or import
   * tables, besides the warehouse; {@code *} allows any local folder.
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
  MIRROR("mirror", "sync");

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
