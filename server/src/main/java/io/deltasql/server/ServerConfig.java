package io.deltasql.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.calcite.avatica.remote.Driver.Serialization;

/**
 * The server's settings ({@link ServerProperty}): immutable, with typed accessors that name
 * the setting at fault when a value is malformed.
 */
public final class ServerConfig {
  /** Authentication schemes; the users file says who may connect and what they may do. */
  public enum Authentication { NONE, BASIC, DIGEST }

  private final Map<ServerProperty, String> values;

  private ServerConfig(Map<ServerProperty, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** Every setting at its default. */
  public static ServerConfig defaults() {
    return new ServerConfig(new EnumMap<>(ServerProperty.class));
  }

  /** The settings of a properties file; an unknown key is refused, naming it. */
  public static ServerConfig load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read the server configuration " + file + ": " + e.getMessage(), e);
    }
    ServerConfig config = defaults();
    for (String name : properties.stringPropertyNames()) {
      ServerProperty property = ServerProperty.of(name).orElseThrow(() -> new IllegalArgumentException(
          "Unknown setting '" + name + "' in " + file + "; known settings: " + knownKeys()));
      config = config.with(property, properties.getProperty(name).trim());
    }
    return config;
  }

  /** A copy with one setting changed. */
  public ServerConfig with(ServerProperty property, String value) {
    Map<ServerProperty, String> copy = new EnumMap<>(ServerProperty.class);
    copy.putAll(values);
    copy.put(property, value);
    return new ServerConfig(copy);
  }

  /** Whether a value was given for the property (which may equal its default). */
  public boolean given(ServerProperty property) {
    return values.containsKey(property);
  }

  /** The value given, or the default. */
  public Optional<String> get(ServerProperty property) {
    return Optional.ofNullable(values.get(property)).or(property::defaultValue);
  }

  /** The value, which must be given. */
  public String require(ServerProperty property) {
    return get(property).orElseThrow(() -> new IllegalArgumentException(
        "Setting '" + property.key() + "' is required here"));
  }

  /** A whole number setting. */
  public int integer(ServerProperty property) {
    String value = require(property);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Setting '" + property.key() + "' must be a whole number, not '" + value + "'");
    }
  }

  /** A setting in seconds. */
  public Duration seconds(ServerProperty property) {
    return Duration.ofSeconds(integer(property));
  }

  public Serialization serialization() {
    return Serialization.valueOf(choice(ServerProperty.SERIALIZATION, "protobuf", "json"));
  }

  public Authentication authentication() {
    return Authentication.valueOf(choice(ServerProperty.AUTHENTICATION, "none", "basic", "digest"));
  }

  private String choice(ServerProperty property, String... allowed) {
    String value = require(property).trim();
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(value)) {
        return candidate.toUpperCase(Locale.ROOT);
      }
    }
    throw new IllegalArgumentException("Setting '" + property.key() + "' must be one of "
        + String.join(", ", allowed) + ", not '" + value + "'");
  }

  private static String knownKeys() {
    StringBuilder sb = new StringBuilder();
    for (ServerProperty p : ServerProperty.values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(p.key());
    }
    return sb.toString();
  }
}
