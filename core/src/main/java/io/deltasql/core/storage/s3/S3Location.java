package io.deltasql.core.storage.s3;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.Locale;
import java.util.Objects;

/**
 * An object's place in S3: {@code s3://bucket/key} (also {@code s3a://} and {@code s3n://},
 * as Hadoop writes them). The key is the path after the bucket, as is: no percent-decoding, so
 * a key holds exactly the characters of the path.
 *
 * @param scheme {@code s3}, {@code s3a} or {@code s3n}, as given (paths made from this one keep it)
 * @param bucket the bucket
 * @param key the key, without a leading slash; empty for the bucket's root
 */
public record S3Location(String scheme, String bucket, String key) {
  public S3Location {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
  }

  /** Whether {@code location} names an S3 object or prefix ({@code s3://}, {@code s3a://}, {@code s3n://}). */
  public static boolean isS3(String location) {
    int colon = location.indexOf("://");
    if (colon <= 0) {
      return false;
    }
    String scheme = location.substring(0, colon).toLowerCase(Locale.ROOT);
    return scheme.equals("s3") || scheme.equals("s3a") || scheme.equals("s3n");
  }

  /** @throws DeltaException {@code 22023} if {@code location} is not {@code s3://bucket[/key]} */
  public static S3Location parse(String location) {
    if (!isS3(location)) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "'" + location + "' is not an S3 location; write it as s3://bucket/prefix");
    }
    int sep = location.indexOf("://");
    String scheme = location.substring(0, sep).toLowerCase(Locale.ROOT);
    String rest = location.substring(sep + 3);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "S3 location '" + location + "' names no bucket; write it as s3://bucket/prefix");
    }
    return new S3Location(scheme, bucket, key);
  }

  /** The key as a folder: empty, or ending with one slash. */
  public String folderKey() {
    return key.isEmpty() || key.endsWith("/") ? key : key + "/";
  }

  /** The location of another key in the same bucket, with the same scheme. */
  public S3Location withKey(String newKey) {
    return new S3Location(scheme, bucket, newKey);
  }

  /** {@code scheme://bucket/key}. */
  @Override
  public String toString() {
    return scheme + "://" + bucket + "/" + key;
  }
}
