package io.deltasql.core.storage.s3;

import java.util.Optional;

/**
 * Every setting of {@link S3Storage}: its key (as written in a URL or in
 * {@link java.util.Properties}), its default and what it does. {@link S3StorageConfig} holds the
 * values; {@link S3StorageConfig#fromProperties} reads them. Durations carry their unit in the
 * key and are whole numbers; sizes are bytes.
 */
public enum S3Property {
  /** The S3 API endpoint, e.g. {@code http://127.0.0.1:9000}; unset: AWS's endpoint for the region. */
  ENDPOINT("s3.endpoint", null),
  /** The signing region; S3-compatible stores usually accept any. */
  REGION("s3.region", "us-east-1"),
  /** {@code true}: {@code endpoint/bucket/key} URLs; {@code false}: {@code bucket.endpoint/key}. */
  PATH_STYLE("s3.path-style", "false"),
  /** Access key id; unset (with the secret key): the SDK's default credentials chain. Never logged. */
  ACCESS_KEY("s3.access-key", null),
  /** Secret access key, given with the access key. Never logged. */
  SECRET_KEY("s3.secret-key", null),
  /** Session token of temporary credentials, given with both keys. Never logged. */
  SESSION_TOKEN("s3.session-token", null),
  /** Longest wait for a TCP connection to the endpoint. */
  CONNECT_TIMEOUT_MS("s3.connect-timeout-ms", "10000"),
  /** Longest wait for the next bytes of a response (socket read timeout). */
  SOCKET_TIMEOUT_MS("s3.socket-timeout-ms", "60000"),
  /** Longest one request may take, each retry included. */
  API_CALL_TIMEOUT_MS("s3.api-call-timeout-ms", "300000"),
  /** Tries of one request (1 = no retry). Throttling (503 SlowDown, 429), 5xx and I/O errors are retried. */
  MAX_ATTEMPTS("s3.max-attempts", "10"),
  /** Base of the exponential backoff between tries (full jitter). */
  RETRY_BASE_DELAY_MS("s3.retry-base-delay-ms", "100"),
  /** Longest wait between two tries. */
  RETRY_MAX_DELAY_MS("s3.retry-max-delay-ms", "20000"),
  /** Objects written by a stream larger than this go up in a multipart upload; smaller: one PUT. */
  MULTIPART_THRESHOLD("s3.multipart-threshold", "16777216"),
  /** Size of each part of a multipart upload but the last; at least 5 MiB (S3's minimum). */
  PART_SIZE("s3.part-size", "8388608"),
  /**
   * Whether put-if-absent uses conditional writes ({@code If-None-Match: *}): {@code auto}
   * probes the store at open, {@code true} trusts it, {@code false} never sends them.
   */
  CONDITIONAL_WRITES("s3.conditional-writes", "auto"),
  /**
   * Request checksums: {@code when-required} (only where S3 demands one; what most
   * S3-compatible stores accept) or {@code when-supported} (the SDK's default for AWS).
   */
  CHECKSUMS("s3.checksums", "when-required");

  private final String key;
  private final String defaultValue;

  S3Property(String key, String defaultValue) {
    this.key = key;
    this.defaultValue = defaultValue;
  }

  /** The property's name, e.g. {@code s3.endpoint}. */
  public String key() {
    return key;
  }

  /** The value used when the property is not given; empty: unset. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** Whether its value is a secret: never logged, masked in {@code toString}. */
  public boolean secret() {
    return this == ACCESS_KEY || this == SECRET_KEY || this == SESSION_TOKEN;
  }
}
