package io.deltasql.core.storage.s3;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The failures of {@link S3Storage}: {@code 58030} with the operation, the {@code s3://bucket/key},
 * the HTTP status and S3's error code, and what to check. Messages come from S3's error
 * responses and the SDK, which carry no credentials; none are added here.
 */
final class S3Errors {
  private S3Errors() {}

  static DeltaException failure(String what, S3Location at, SdkException e) {
    StringBuilder m = new StringBuilder("Cannot ").append(what).append(" '").append(at).append("': ");
    if (e instanceof S3Exception s3) {
      m.append("HTTP ").append(s3.statusCode());
      String code = code(s3);
      if (code != null) {
        m.append(' ').append(code);
      }
      String detail = s3.awsErrorDetails() != null ? s3.awsErrorDetails().errorMessage() : null;
      if (detail != null) {
        m.append(": ").append(detail);
      }
      m.append(hint(s3.statusCode(), code, at));
      if (s3.requestId() != null) {
        m.append(" (request id ").append(s3.requestId()).append(')');
      }
    } else {
      m.append(e.getClass().getSimpleName()).append(": ").append(e.getMessage())
          .append(". The store did not answer in time or the connection failed, after every retry; "
              + "check the endpoint and the network, or raise s3.max-attempts and the timeouts.");
    }
    return new S3Failure(m.toString(), e, e instanceof S3Exception s3 ? s3.statusCode() : -1);
  }

  private static String hint(int status, String code, S3Location at) {
    if (status == 404 && "NoSuchBucket".equals(code)) {
      return ". Bucket '" + at.bucket() + "' does not exist; create it or fix the location";
    }
    if (status == 404) {
      return ". No such object";
    }
    if (status == 403 || status == 401) {
      return ". Access denied: check the credentials (s3.access-key/s3.secret-key or the default chain) "
          + "and the bucket policy";
    }
    if (status == 503 || status == 429) {
      return ". The store is throttling requests and every retry was used; retry later or raise s3.max-attempts";
    }
    if (status >= 500) {
      return ". The store failed on every retry; retry later";
    }
    return "";
  }

  /** S3's error code ({@code NoSuchKey}, {@code SlowDown}, ...), if the response had one. */
  static String code(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  /** The HTTP status behind a failure of this class, or -1. */
  static int status(DeltaException e) {
    return e instanceof S3Failure f ? f.status : -1;
  }

  /** A storage failure that remembers the HTTP status, for the callers in this package. */
  private static final class S3Failure extends DeltaException {
    private static final long serialVersionUID = 1L;
    private final int status;

    S3Failure(String message, Throwable cause, int status) {
      super(SqlState.IO_ERROR, message, cause);
      this.status = status;
    }
  }
}
