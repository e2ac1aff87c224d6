package io.deltasql.core.catalog;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach and use a catalog database.
 *
 * @param jdbcUrl JDBC URL of the catalog database ({@code jdbc:h2:…} or {@code jdbc:postgresql:…})
 * @param user user name, if the URL does not carry it
 * @param password password, if the URL does not carry it; never logged or put in messages
 * @param poolSize maximum number of pooled catalog connections (default {@value #DEFAULT_POOL_SIZE})
 * @param batchSize rows per JDBC batch when a commit writes many actions
 *     (default {@value #DEFAULT_BATCH_SIZE})
 * @param connectTimeout how long to wait for a catalog connection (default 10 s)
 * @param lockTimeout how long a catalog statement waits for a row lock held by another
 *     commit before failing with {@code 55P03} (default 10 s)
 * @param maxAttempts how many times a catalog transaction is tried when the catalog database
 *     reports a transient conflict ({@code 40001}, {@code 40P01}, {@code 23505})
 *     (default {@value #DEFAULT_MAX_ATTEMPTS})
 */
public record CatalogConfig(
    String jdbcUrl,
    Optional<String> user,
    Optional<String> password,
    int poolSize,
    int batchSize,
    Duration connectTimeout,
    Duration lockTimeout,
    int maxAttempts) {

  public static final int DEFAULT_POOL_SIZE = 4;
  public static final int DEFAULT_BATCH_SIZE = 1000;
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&;]*");

  public CatalogConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    require(poolSize >= 1, "poolSize must be at least 1, got " + poolSize);
    require(batchSize >= 1, "batchSize must be at least 1, got " + batchSize);
    require(maxAttempts >= 1, "maxAttempts must be at least 1, got " + maxAttempts);
    require(connectTimeout.toMillis() >= 250, "connectTimeout must be at least 250 ms, got " + connectTimeout);
    require(!lockTimeout.isNegative(), "lockTimeout must not be negative, got " + lockTimeout);
  }

  /** A configuration with every default for this URL. */
  public static CatalogConfig of(String jdbcUrl) {
    return new CatalogConfig(jdbcUrl, Optional.empty(), Optional.empty(), DEFAULT_POOL_SIZE,
        DEFAULT_BATCH_SIZE, DEFAULT_CONNECT_TIMEOUT, DEFAULT_LOCK_TIMEOUT, DEFAULT_MAX_ATTEMPTS);
  }

  /** The default catalog of a warehouse: an embedded H2 file in {@code warehouse/_catalog/}. */
  public static CatalogConfig embedded(Path warehouse) {
    Path file = warehouse.toAbsolutePath().normalize().resolve("_catalog").resolve("catalog");
    return of("jdbc:h2:file:" + file);
  }

  public CatalogConfig withCredentials(String newUser, String newPassword) {
    return new CatalogConfig(jdbcUrl, Optional.of(newUser), Optional.ofNullable(newPassword), poolSize,
        batchSize, connectTimeout, lockTimeout, maxAttempts);
  }

  public CatalogConfig withPoolSize(int newPoolSize) {
    return new CatalogConfig(jdbcUrl, user, password, newPoolSize, batchSize, connectTimeout,
        lockTimeout, maxAttempts);
  }

  public CatalogConfig withBatchSize(int newBatchSize) {
    return new CatalogConfig(jdbcUrl, user, password, poolSize, newBatchSize, connectTimeout,
        lockTimeout, maxAttempts);
  }

  public CatalogConfig withConnectTimeout(Duration newTimeout) {
    return new CatalogConfig(jdbcUrl, user, password, poolSize, batchSize, newTimeout, lockTimeout,
        maxAttempts);
  }

  public CatalogConfig withLockTimeout(Duration newTimeout) {
    return new CatalogConfig(jdbcUrl, user, password, poolSize, batchSize, connectTimeout, newTimeout,
        maxAttempts);
  }

  public CatalogConfig withMaxAttempts(int newMaxAttempts) {
    return new CatalogConfig(jdbcUrl, user, password, poolSize, batchSize, connectTimeout, lockTimeout,
        newMaxAttempts);
  }

  /** The URL with any {@code password=…} parameter masked: safe for messages and logs. */
  public String redactedUrl() {
    return PASSWORD_IN_URL.matcher(jdbcUrl).replaceAll("$1***");
  }

  /** Removes the password from a text that may quote it (a driver's error message). */
  String redact(String text) {
    if (text == null) {
      return "";
    }
    String result = text.replace(jdbcUrl, redactedUrl());
    if (password.isPresent() && !password.get().isEmpty()) {
      result = result.replace(password.get(), "***");
    }
    return result;
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "CatalogConfig[url=" + redactedUrl() + ", user=" + user.orElse("") + ", poolSize=" + poolSize
        + ", batchSize=" + batchSize + ", connectTimeout=" + connectTimeout + ", lockTimeout="
        + lockTimeout + ", maxAttempts=" + maxAttempts + "]";
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "Invalid catalog configuration: " + message);
    }
  }
}
