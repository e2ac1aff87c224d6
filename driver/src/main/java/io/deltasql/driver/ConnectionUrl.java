package io.deltasql.driver;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A parsed {@code jdbc:deltasql:key=value;key=value} URL merged with connection
 * properties (the URL wins). Unknown keys and malformed pairs are refused with SQLState
 * 22023 naming the key, so that a typo never silently falls back to a default.
 */
public final class ConnectionUrl {
  public static final String PREFIX = "jdbc:deltasql:";

  private final Map<ConnectionProperty, String> values;

  private ConnectionUrl(Map<ConnectionProperty, String> values) {
    this.values = values;
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
    for (String name : properties.stringPropertyNames()) {
      Optional<ConnectionProperty> property = ConnectionProperty.of(name);
      if (property.isPresent()) {
        values.put(property.get(), properties.getProperty(name));
      } else if (!isEngineProperty(name)) {
        throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
            "Unknown property '" + name + "' in deltasql URL; known properties: " + knownKeys());
      }
    }
    return new ConnectionUrl(values);
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

  /** Parses a deltasql URL; {@code info} may add properties the URL does not set. */
  public static ConnectionUrl parse(String url, Properties info) {
    if (!accepts(url)) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "Not a deltasql URL: '" + url + "'; expected " + PREFIX + "warehouse=PATH[;catalog=JDBC_URL]...");
    }
    Map<ConnectionProperty, String> values = new EnumMap<>(ConnectionProperty.class);
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        ConnectionProperty.of(name).ifPresent(p -> values.put(p, info.getProperty(name)));
      }
    }
    String rest = url.substring(PREFIX.length());
    for (String pair : rest.split(";")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
            "Malformed property '" + pair + "' in deltasql URL: expected key=value");
      }
      String key = pair.substring(0, eq).trim();
      ConnectionProperty property = ConnectionProperty.of(key).orElseThrow(() ->
          new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
              "Unknown property '" + key + "' in deltasql URL; known properties: " + knownKeys()));
      values.put(property, pair.substring(eq + 1).trim());
    }
    return new ConnectionUrl(values);
  }

  private static String knownKeys() {
    StringBuilder sb = new StringBuilder();
    for (ConnectionProperty p : ConnectionProperty.values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(p.key());
    }
    return sb.toString();
  }

  /** The value given for a property, or its default. */
  public Optional<String> get(ConnectionProperty property) {
    return Optional.ofNullable(values.get(property)).or(property::defaultValue);
  }

  /** The warehouse folder, absolute. */
  public Path warehouse() {
    return Path.of(get(ConnectionProperty.WAREHOUSE).orElseThrow()).toAbsolutePath().normalize();
  }

  /** Whether the catalog is the embedded H2 database in the warehouse. */
  public boolean embeddedCatalog() {
    return get(ConnectionProperty.CATALOG).isEmpty();
  }

  /** The folders besides the warehouse where tables may live; null for anywhere. */
  public java.util.List<Path> allowedLocations() {
    String value = get(ConnectionProperty.ALLOWED_LOCATIONS).orElse("").trim();
    if (value.equals("*")) {
      return null;
    }
    java.util.List<Path> roots = new java.util.ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        roots.add(Path.of(part.trim()).toAbsolutePath().normalize());
      }
    }
    return roots;
  }

  /** The catalog JDBC URL: the configured one, or the embedded H2 database in the warehouse. */
  public String catalogUrl() {
    return get(ConnectionProperty.CATALOG)
        .orElseGet(() -> "jdbc:h2:file:" + warehouse().resolve("_catalog").resolve("catalog"));
  }
}
