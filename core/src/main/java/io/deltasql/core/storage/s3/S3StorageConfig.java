package io.deltasql.core.storage.s3;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of an {@link S3Storage}, one per {@link S3Property}. Immutable; read them with
 * {@link #fromProperties} and change one with {@link #with}. {@link #toString()} masks the
 * credentials.
 */
public final class S3StorageConfig {
  /** S3's smallest part of a multipart upload (but the last). */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  /** How put-if-absent is done. */
  public enum ConditionalWrites {
    /** Probe the store at open: conditional writes if it honours them, else HEAD then PUT. */
    AUTO,
    /** Conditional writes, without a probe. */
    ON,
    /** HEAD then PUT: not atomic against other writers. */
    OFF
  }

  /** Every setting with its default. */
  public static final S3StorageConfig DEFAULTS = fromProperties(Map.of());

  private final Map<S3Property, String> values;

  private S3StorageConfig(Map<S3Property, String> values) {
    this.values = values;
    validate();
  }

  /**
   * The settings among {@code properties} (keys {@code s3.*}, see {@link S3Property}); other keys
   * are ignored, missing ones take their default.
   *
   * @throws DeltaException {@code 22023} naming a setting whose value is not valid
   */
  public static S3StorageConfig fromProperties(Map<String, String> properties) {
    Objects.requireNonNull(properties, "properties");
    Map<S3Property, String> values = new EnumMap<>(S3Property.class);
    for (S3Property p : S3Property.values()) {
      String given = properties.get(p.key());
      Optional<String> value = given != null && !given.isBlank() ? Optional.of(given.trim()) : p.defaultValue();
      value.ifPresent(v -> values.put(p, v));
    }
    return new S3StorageConfig(values);
  }

  /** A copy with one setting changed ({@code null}: back to unset or its default). */
  public S3StorageConfig with(S3Property property, String value) {
    Map<S3Property, String> changed = new EnumMap<>(values);
    Optional<String> v = value != null ? Optional.of(value) : property.defaultValue();
    v.ifPresentOrElse(x -> changed.put(property, x), () -> changed.remove(property));
    return new S3StorageConfig(changed);
  }

  /** The value of a setting as given (or its default), if set. */
  public Optional<String> get(S3Property property) {
    return Optional.ofNullable(values.get(property));
  }

  public Optional<URI> endpoint() {
    return get(S3Property.ENDPOINT).map(URI::create);
  }

  public String region() {
    return values.get(S3Property.REGION);
  }

  public boolean pathStyle() {
    return bool(S3Property.PATH_STYLE);
  }

  /** Whether explicit credentials are given (else the SDK's default chain is used). */
  public boolean hasStaticCredentials() {
    return values.containsKey(S3Property.ACCESS_KEY);
  }

  public Duration connectTimeout() {
    return millis(S3Property.CONNECT_TIMEOUT_MS);
  }

  public Duration socketTimeout() {
    return millis(S3Property.SOCKET_TIMEOUT_MS);
  }

  public Duration apiCallTimeout() {
    return millis(S3Property.API_CALL_TIMEOUT_MS);
  }

  public int maxAttempts() {
    return (int) number(S3Property.MAX_ATTEMPTS);
  }

  public Duration retryBaseDelay() {
    return millis(S3Property.RETRY_BASE_DELAY_MS);
  }

  public Duration retryMaxDelay() {
    return millis(S3Property.RETRY_MAX_DELAY_MS);
  }

  public long multipartThreshold() {
    return number(S3Property.MULTIPART_THRESHOLD);
  }

  public int partSize() {
    return (int) number(S3Property.PART_SIZE);
  }

  public ConditionalWrites conditionalWrites() {
    return switch (values.get(S3Property.CONDITIONAL_WRITES).toLowerCase(Locale.ROOT)) {
      case "true", "on" -> ConditionalWrites.ON;
      case "false", "off" -> ConditionalWrites.OFF;
      default -> ConditionalWrites.AUTO;
    };
  }

  /** Whether request checksums are computed only where S3 requires them. */
  public boolean checksumsWhenRequired() {
    return "when-required".equalsIgnoreCase(values.get(S3Property.CHECKSUMS));
  }

  /** The secret settings, for building the client only. */
  String secret(S3Property property) {
    return values.get(property);
  }

  private void validate() {
    get(S3Property.ENDPOINT).ifPresent(e -> {
      URI uri;
      try {
        uri = URI.create(e);
      } catch (IllegalArgumentException ex) {
        throw invalid(S3Property.ENDPOINT, e, "a URL such as http://127.0.0.1:9000");
      }
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw invalid(S3Property.ENDPOINT, e, "a URL such as http://127.0.0.1:9000");
      }
    });
    boolean access = values.containsKey(S3Property.ACCESS_KEY);
    boolean secret = values.containsKey(S3Property.SECRET_KEY);
    if (access != secret) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "S3 setting '"
          + (access ? S3Property.SECRET_KEY : S3Property.ACCESS_KEY).key() + "' is missing: give "
          + S3Property.ACCESS_KEY.key() + " and " + S3Property.SECRET_KEY.key()
          + " together, or neither to use the default credentials chain");
    }
    if (values.containsKey(S3Property.SESSION_TOKEN) && !access) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "S3 setting '" + S3Property.SESSION_TOKEN.key()
          + "' is given without " + S3Property.ACCESS_KEY.key() + " and " + S3Property.SECRET_KEY.key());
    }
    bool(S3Property.PATH_STYLE);
    atLeast(S3Property.CONNECT_TIMEOUT_MS, 1);
    atLeast(S3Property.SOCKET_TIMEOUT_MS, 1);
    atLeast(S3Property.API_CALL_TIMEOUT_MS, 1);
    atLeast(S3Property.MAX_ATTEMPTS, 1);
    atLeast(S3Property.RETRY_BASE_DELAY_MS, 1);
    atLeast(S3Property.RETRY_MAX_DELAY_MS, number(S3Property.RETRY_BASE_DELAY_MS));
    atLeast(S3Property.MULTIPART_THRESHOLD, 0);
    atLeast(S3Property.PART_SIZE, MIN_PART_SIZE);
    if (number(S3Property.PART_SIZE) > Integer.MAX_VALUE - 8) {
      throw invalid(S3Property.PART_SIZE, values.get(S3Property.PART_SIZE), "at most 2 GiB");
    }
    String cw = values.get(S3Property.CONDITIONAL_WRITES).toLowerCase(Locale.ROOT);
    if (!cw.matches("auto|true|on|false|off")) {
      throw invalid(S3Property.CONDITIONAL_WRITES, cw, "auto, true or false");
    }
    String checksums = values.get(S3Property.CHECKSUMS).toLowerCase(Locale.ROOT);
    if (!checksums.equals("when-required") && !checksums.equals("when-supported")) {
      throw invalid(S3Property.CHECKSUMS, checksums, "when-required or when-supported");
    }
  }

  private boolean bool(S3Property p) {
    String v = values.get(p);
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw invalid(p, v, "true or false");
    }
    return Boolean.parseBoolean(v);
  }

  private long number(S3Property p) {
    String v = values.get(p);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw invalid(p, v, "a whole number");
    }
  }

  private Duration millis(S3Property p) {
    return Duration.ofMillis(number(p));
  }

  private void atLeast(S3Property p, long min) {
    if (number(p) < min) {
      throw invalid(p, values.get(p), "at least " + min);
    }
  }

  private static DeltaException invalid(S3Property p, String value, String expected) {
    String shown = p.secret() ? "****" : value;
    return new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
        "S3 setting '" + p.key() + "' is '" + shown + "'; it must be " + expected);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof S3StorageConfig other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** Every setting; credentials appear as {@code ****}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("S3StorageConfig{");
    String sep = "";
    for (Map.Entry<S3Property, String> e : values.entrySet()) {
      s.append(sep).append(e.getKey().key()).append('=').append(e.getKey().secret() ? "****" : e.getValue());
      sep = ", ";
    }
    return s.append('}').toString();
  }
}
