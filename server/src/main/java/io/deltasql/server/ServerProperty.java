package io.deltasql.server;

import java.util.Locale;
import java.util.Optional;

/**
 * Every setting of {@code bin/deltasql server}, as written in its configuration file (a Java
 * properties file given with {@code --config}); the command line's {@code -u}, {@code --host},
 * {@code --port} and {@code --serialization} override the file. Names are case-insensitive.
 */
public enum ServerProperty {
  /** The deltasql URL whose connections the server serves; each remote connection is one of them. */
  URL("url", "jdbc:deltasql:warehouse=./lake"),
  /** Address to listen on; loopback unless told otherwise ({@code 0.0.0.0} for every interface). */
  HOST("host", "127.0.0.1"),
  /** Port to listen on; 0 picks a free one (logged). */
  PORT("port", "8765"),
  /** Wire format: {@code protobuf} or {@code json}; clients must ask for the same. */
  SERIALIZATION("serialization", "protobuf"),
  /** HTTP authentication: {@code none}, {@code basic} or {@code digest} (needs {@link #USERS}). */
  AUTHENTICATION("authentication", "none"),
  /**
   * Users file, Jetty's {@code user: MD5:hash, role} format with hashed passwords only
   * ({@code MD5:} or {@code CRYPT:} for basic, {@code MD5:} of {@code user:Avatica:password} for
   * digest; {@code bin/deltasql server --hash-password USER} prints them). Roles: {@code read-write}
   * or {@code read-only}; a user with neither is refused (403). A read-write user may be limited
   * to some schemas and tables with {@code write:SCHEMA} and {@code write:SCHEMA.TABLE} entries
   * after the role ({@code alice: MD5:…, read-write, write:sales, write:default.orders}); other
   * changes are refused with 42501 (docs/runbook.md, "Server users").
   */
  USERS("users", null),
  /** Keystore (JKS or PKCS12) holding the server's key and certificate: serves HTTPS when set. */
  TLS_KEYSTORE("tls.keystore", null),
  /** Password of {@link #TLS_KEYSTORE}. */
  TLS_KEYSTORE_PASSWORD("tls.keystorePassword", null),
  /** Truststore for TLS; default: the keystore. */
  TLS_TRUSTSTORE("tls.truststore", null),
  /** Password of {@link #TLS_TRUSTSTORE}; default: the keystore's. */
  TLS_TRUSTSTORE_PASSWORD("tls.truststorePassword", null),
  /** Remote connections open at once; one more is refused with SQLState 53300. */
  MAX_CONNECTIONS("maxConnections", "100"),
  /**
   * Seconds a connection may stay idle before the server closes it, rolling back its open
   * transaction; the client then gets SQLState 25P03 instead of a silent new connection.
   */
  CONNECTION_IDLE_TIMEOUT("connectionIdleTimeout", "600"),
  /** Seconds an unused statement (and its open result set) is kept. */
  STATEMENT_IDLE_TIMEOUT("statementIdleTimeout", "300"),
  /** Most rows sent in one frame; a client that asks for more fetches again. */
  MAX_ROWS_PER_FETCH("maxRowsPerFetch", "10000");

  private final String key;
  private final String defaultValue;

  ServerProperty(String key, String defaultValue) {
    this.key = key;
    this.defaultValue = defaultValue;
  }

  /** The name in the configuration file. */
  public String key() {
    return key;
  }

  /** The default, if there is one. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The property of this name, ignoring case. */
  public static Optional<ServerProperty> of(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (ServerProperty p : values()) {
      if (p.key.toLowerCase(Locale.ROOT).equals(wanted)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
