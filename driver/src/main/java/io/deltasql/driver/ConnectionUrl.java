package io.deltasql.driver;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.Storages;
import io.deltasql.core.storage.s3.S3Location;
import io.deltasql.core.storage.s3.S3Property;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A parsed {@code jdbc:deltasql:key=value;key=value} URL merged with connection
 * properties (the URL wins): the {@link ConnectionProperty} keys, and the {@code s3.*} keys of
 * S3 storage ({@link S3Property}; matched ignoring case and dashes, so {@code s3.pathStyle} is
 * {@code s3.path-style}). Unknown keys and malformed pairs are refused with SQLState 22023
 * naming the key, so that a typo never silently falls back to a default. Credentials
 * ({@code catalog.password}, {@code s3.access-key}, {@code s3.secret-key},
 * {@code s3.session-token}) never appear in messages; {@link #redact} masks them in a URL.
 */
public final class ConnectionUrl {
  public static final String PREFIX = "jdbc:deltasql:";
  private static final Pattern SECRET_IN_URL = Pattern.compile(
      "(?i)((?:^|[;:&?])\\s*(?:[\\w.]*password|s3\\.access-?key[\\w-]*|s3\\.secret[\\w-]*|s3\\.session-?token)\\s*=)('[^']*'|[^;&']*)");

  private final Map<ConnectionProperty, String> values;
  private final Map<String, String> storage;

  private ConnectionUrl(Map<ConnectionProperty, String> values, Map<String, String> storage) {
    this.values = values;
    this.storage = storage;
  }

  /** A URL (or any {@code key=value;...} text) with every credential masked as {@code ***}. */
  public static String redact(String url) {
    return url == null ? null : SECRET_IN_URL.matcher(url).replaceAll("$1***");
  }

  /** The {@link S3Property} of a key, ignoring case and dashes ({@code s3.pathStyle}, {@code S3.PATH-STYLE}). */
  static Optional<S3Property> storageProperty(String name) {
    String wanted = name.trim().replace("-", "").toLowerCase(Locale.ROOT);
    for (S3Property p : S3Property.values()) {
      if (p.key().replace("-", "").equals(wanted)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether this URL is one for deltasql. */
  public static boolean accepts(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  /**
   * The deltasql properties among a connection's properties (a URL already parsed by Avatica,
   * which allows quoted values such as {@code catalog='jdbc:h2:mem:x;MODE=x'}). Calcite's and
   * Avatica's own connection properties are allowed and left to them; any other key is refused.
   */
  public static ConnectionUrl of(Properties properties) {
    Map<ConnectionProperty, String> values = new EnumMap<>(ConnectionProperty.class);
    Map<String, String> storage = new TreeMap<>();
    for (String name : properties.stringPropertyNames()) {
      Optional<ConnectionProperty> property = ConnectionProperty.of(name);
      Optional<S3Property> s3 = storageProperty(name);
      if (property.isPresent()) {
        values.put(property.get(), properties.getProperty(name));
      } else if (s3.isPresent()) {
        storage.put(s3.get().key(), properties.getProperty(name));
      } else if (!isEngineProperty(name)) {
        throw unknown(name);
      }
    }
    return new ConnectionUrl(values, storage);
  }

  private static DeltaException unknown(String name) {
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
        "Unknown property '" + name + "' in deltasql URL; known properties: " + knownKeys());
  }

  private static boolean isEngineProperty(String name) {
    for (org.apache.calcite.config.CalciteConnectionProperty p : org.apache.calcite.config.CalciteConnectionProperty.values()) {
      if (p.camelName().equalsIgnoreCase(name)) {
        return true;
      }
    }
    for (org.apache.calcite.avatica.BuiltInConnectionProperty p : org.apache.calcite.avatica.BuiltInConnectionProperty.values()) {
      if (p.camelName().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return name.equalsIgnoreCase("user") || name.equalsIgnoreCase("password");
  }

  /**
   * Parses a deltasql URL as the driver does (Avatica's connect-string rules: a value in quotes
   * may hold {@code ;}, e.g. {@code catalog='jdbc:h2:file:/x;TRACE_LEVEL_FILE=0'}), for the
   * command line's commands that open the catalog without a JDBC connection; {@code info} may
   * add properties the URL does not set.
   */
  public static ConnectionUrl parse(String url, Properties info) {
    if (!accepts(url)) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "Not a deltasql URL: '" + url + "'; expected " + PREFIX + "warehouse=PATH[;catalog=JDBC_URL]...");
    }
    Properties properties = new Properties();
    if (info != null) {
      properties.putAll(info);
    }
    String rest = url.substring(PREFIX.length());
    try {
      return of(org.apache.calcite.avatica.ConnectStringParser.parse(rest, properties));
    } catch (java.sql.SQLException e) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "Malformed deltasql URL: " + e.getMessage(), e);
    }
  }

  private static String knownKeys() {
    StringBuilder sb = new StringBuilder();
    for (ConnectionProperty p : ConnectionProperty.values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(p.key());
    }
    for (S3Property p : S3Property.values()) {
      sb.append(", ").append(p.key());
    }
    return sb.toString();
  }

  /** The value given for a property, or its default. */
  public Optional<String> get(ConnectionProperty property) {
    return Optional.ofNullable(values.get(property)).or(property::defaultValue);
  }

  /**
   * A true/false property, or its default.
   *
   * @throws DeltaException {@code 22023} for any other value (a typo must not read as false)
   */
  public boolean flag(ConnectionProperty property) {
    String value = get(property).orElse("false").trim();
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
        "URL property " + property.key() + "='" + value + "' must be true or false");
  }

  /** The {@code s3.*} settings given (canonical keys, values as given): for the storage only. */
  public Map<String, String> storageProperties() {
    return Map.copyOf(storage);
  }

  /**
   * The warehouse: an absolute, normalised local folder (a {@code file:} URI decoded), or
   * {@code s3://bucket/prefix} without a trailing slash.
   *
   * @throws DeltaException {@code 0A000} for another scheme, {@code 22023} for an S3 location
   *     without a bucket
   */
  public String warehouse() {
    String given = get(ConnectionProperty.WAREHOUSE).orElseThrow().trim();
    if (given.isEmpty()) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "URL property warehouse is empty: give the folder (or s3://bucket/prefix) that holds the tables");
    }
    if (S3Location.isS3(given)) {
      S3Location at = S3Location.parse(given);
      return at.withKey(at.key().replaceAll("/+$", "")).toString().replaceAll("/$", "");
    }
    try {
      return Path.of(Storages.localPath(given)).toAbsolutePath().normalize().toString();
    } catch (java.nio.file.InvalidPathException e) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "URL property warehouse='" + given.replace("\u0000", "\\0") + "' is not a valid path: " + e.getReason());
    }
  }

  /** Whether the warehouse is on an object store (S3). */
  public boolean warehouseOnObjectStore() {
    return Storages.isObjectStore(get(ConnectionProperty.WAREHOUSE).orElseThrow().trim());
  }

  /** Whether the catalog is the embedded H2 database in the warehouse. */
  public boolean embeddedCatalog() {
    return get(ConnectionProperty.CATALOG).isEmpty();
  }

  /**
   * The locations besides the warehouse where tables may live (absolute local folders and
   * {@code s3://} prefixes); null for anywhere.
   */
  public List<String> allowedLocations() {
    String value = get(ConnectionProperty.ALLOWED_LOCATIONS).orElse("").trim();
    if (value.equals("*")) {
      return null;
    }
    List<String> roots = new ArrayList<>();
    for (String part : value.split(",")) {
      String root = part.trim();
      if (root.isEmpty()) {
        continue;
      }
      roots.add(S3Location.isS3(root) ? root.replaceAll("/+$", "")
          : Path.of(Storages.localPath(root)).toAbsolutePath().normalize().toString());
    }
    return roots;
  }

  /**
   * The catalog JDBC URL: the configured one, or the embedded H2 database in a local warehouse.
   *
   * @throws DeltaException {@code 22023} for a warehouse on S3 without {@code catalog=}: the
   *     embedded database needs a local folder, and one inside the warehouse cannot be
   */
  public String catalogUrl() {
    Optional<String> given = get(ConnectionProperty.CATALOG);
    if (given.isPresent()) {
      return given.get();
    }
    if (warehouseOnObjectStore()) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "The warehouse " + warehouse()
          + " is on S3, where the embedded catalog database cannot live; give the catalog's JDBC URL with"
          + " catalog=..., e.g. catalog='jdbc:postgresql://host/db' (shared by every process that uses the"
          + " warehouse) or catalog='jdbc:h2:file:/local/folder/catalog' (one process only)");
    }
    return "jdbc:h2:file:" + Path.of(warehouse()).resolve("_catalog").resolve("catalog");
  }
}
