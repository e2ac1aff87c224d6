package io.deltasql.core.storage.s3;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StorageOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link Storage} on S3 or an S3-compatible object store, through the AWS SDK v2's sync client
 * (over the JDK's HTTP client). Paths are {@code s3://bucket/key}.
 *
 * <ul>
 *   <li>Reads: {@link #readRange} is one ranged GET, so Parquet readers fetch the footer and
 *       then only the column chunks they need.</li>
 *   <li>Writes: whole objects are one PUT, visible only when complete; {@link #create} buffers
 *       up to {@link S3Property#MULTIPART_THRESHOLD} and then switches to a multipart upload,
 *       aborted on failure, so a failed write never leaves a visible object.</li>
 *   <li>{@link #putIfAbsent}: a PUT with {@code If-None-Match: *} (412 means the object exists)
 *       when the store honours it, which {@link #open} probes; otherwise HEAD then PUT, with a
 *       warning, and {@link #atomicPutIfAbsent()} is false.</li>
 *   <li>Folders: {@link #list} of {@code s3://b/t/_delta_log} lists the keys under
 *       {@code t/_delta_log/} down to the next slash, as a directory listing would;
 *       {@link #listRecursively} all keys under it. Keys ending in a slash (folder markers) are
 *       not objects. Both follow every page of the listing.</li>
 *   <li>Failures: throttling (503 SlowDown, 429), 5xx and I/O errors are retried by the SDK with
 *       exponential backoff and full jitter ({@link S3Property#MAX_ATTEMPTS}); what still fails
 *       is a {@link DeltaException} {@code 58030} naming the bucket and key, never the
 *       credentials.</li>
 * </ul>
 *
 * <p>Thread-safe; one instance serves every bucket of one endpoint. Close it to release the
 * HTTP client.
 */
public final class S3Storage implements Storage, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);
  /** Where the conditional-write probe puts its object, under the location given to {@link #open}. */
  static final String PROBE_FOLDER = "_deltasql_probe";

  private final S3Client client;
  private final S3StorageConfig config;
  private final boolean conditionalWrites;

  private S3Storage(S3Client client, S3StorageConfig config, boolean conditionalWrites) {
    this.client = client;
    this.config = config;
    this.conditionalWrites = conditionalWrites;
  }

  /**
   * Connects to the store of {@code config}. With {@link S3StorageConfig.ConditionalWrites#AUTO}
   * it probes whether the store honours conditional writes: it puts an object under
   * {@code root/_deltasql_probe/} twice with {@code If-None-Match: *} and deletes it; if the
   * second put succeeds, the store ignores the condition, and a warning says what that means.
   *
   * @param root a location of the store this storage will serve (a warehouse or table root,
   *     {@code s3://bucket/prefix}), where the probe may write
   * @throws DeltaException {@code 58030} if the probe cannot reach the store, {@code 22023}
   *     for a root that is not an S3 location
   */
  public static S3Storage open(S3StorageConfig config, String root) {
    Objects.requireNonNull(config, "config");
    S3Location probeAt = S3Location.parse(Objects.requireNonNull(root, "root"));
    S3Client client = client(config);
    try {
      boolean conditional = switch (config.conditionalWrites()) {
        case ON -> true;
        case OFF -> false;
        case AUTO -> probe(client, probeAt);
      };
      String endpoint = config.endpoint().map(Object::toString).orElse("aws:" + config.region());
      if (conditional) {
        LOG.info("s3 storage opened endpoint={} conditionalWrites=true mode={}", endpoint,
            config.conditionalWrites());
      } else {
        LOG.warn("s3 storage opened endpoint={} conditionalWrites=false mode={}: {}, so put-if-absent is HEAD "
            + "then PUT and not atomic. The catalog stays the source of truth, but the mirror cannot detect a "
            + "foreign writer that writes a commit file at the same moment as deltasql (one written before is "
            + "still detected). Use a store with conditional writes (AWS S3, MinIO, ...) if other engines write "
            + "these tables.", endpoint, config.conditionalWrites(),
            config.conditionalWrites() == S3StorageConfig.ConditionalWrites.OFF
                ? S3Property.CONDITIONAL_WRITES.key() + " is false"
                : "the store does not honour If-None-Match: * (probed)");
      }
      return new S3Storage(client, config, conditional);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private static S3Client client(S3StorageConfig config) {
    RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(config.maxAttempts())
        .backoffStrategy(BackoffStrategy.exponentialDelay(config.retryBaseDelay(), config.retryMaxDelay()))
        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(config.retryBaseDelay(), config.retryMaxDelay()))
        .circuitBreakerEnabled(false)
        .build();
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(config.connectTimeout())
            .socketTimeout(config.socketTimeout()))
        .region(Region.of(config.region()))
        .forcePathStyle(config.pathStyle())
        .credentialsProvider(credentials(config))
        .requestChecksumCalculation(config.checksumsWhenRequired()
            ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
        .responseChecksumValidation(config.checksumsWhenRequired()
            ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
        .overrideConfiguration(o -> o.apiCallTimeout(config.apiCallTimeout()).retryStrategy(retries));
    config.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(S3StorageConfig config) {
    if (!config.hasStaticCredentials()) {
      return DefaultCredentialsProvider.builder().build();
    }
    String access = config.secret(S3Property.ACCESS_KEY);
    String secret = config.secret(S3Property.SECRET_KEY);
    String token = config.secret(S3Property.SESSION_TOKEN);
    return StaticCredentialsProvider.create(token == null
        ? AwsBasicCredentials.create(access, secret)
        : AwsSessionCredentials.create(access, secret, token));
  }

  /** Puts one object twice with {@code If-None-Match: *}: the second must fail with 412. */
  private static boolean probe(S3Client client, S3Location root) {
    String folder = root.folderKey() + PROBE_FOLDER + "/";
    S3Location probe = root.withKey(folder + UUID.randomUUID());
    byte[] content = "deltasql conditional-write probe".getBytes(StandardCharsets.UTF_8);
    try {
      try {
        client.putObject(r -> r.bucket(probe.bucket()).key(probe.key()).ifNoneMatch("*"),
            RequestBody.fromBytes(content));
      } catch (S3Exception e) {
        if (e.statusCode() == 501 || e.statusCode() == 400) {
          LOG.debug("s3 conditional-write probe refused location={} status={}", probe, e.statusCode());
          return false; // the store refuses the header outright
        }
        throw e;
      }
      try {
        client.putObject(r -> r.bucket(probe.bucket()).key(probe.key()).ifNoneMatch("*"),
            RequestBody.fromBytes(content));
        return false;
      } catch (S3Exception e) {
        if (e.statusCode() == 412) {
          return true;
        }
        throw e;
      }
    } catch (SdkException e) {
      throw S3Errors.failure("probe conditional writes at", probe, e);
    } finally {
      try {
        client.deleteObject(r -> r.bucket(probe.bucket()).key(probe.key()));
      } catch (SdkException e) {
        LOG.warn("s3 conditional-write probe object left behind location={} reason={}", probe, e.getMessage());
      }
    }
  }

  /** Whether the store honours {@code If-None-Match: *} (probed at open, or as configured). */
  public boolean supportsConditionalWrites() {
    return conditionalWrites;
  }

  @Override
  public boolean atomicPutIfAbsent() {
    return conditionalWrites;
  }

  /** The settings this storage runs with (credentials masked in its {@code toString}). */
  public S3StorageConfig config() {
    return config;
  }

  S3Client client() {
    return client;
  }

  @Override
  public byte[] readAll(String path) {
    S3Location at = S3Location.parse(path);
    try {
      return client.getObjectAsBytes(r -> r.bucket(at.bucket()).key(at.key())).asByteArray();
    } catch (SdkException e) {
      throw S3Errors.failure("read", at, e);
    }
  }

  /**
   * 8 MiB: each GET waits for a first byte (tens of milliseconds on S3), so a Parquet file of a
   * few megabytes costs less read whole than as a footer and a request per column chunk.
   */
  @Override
  public long wholeReadLimit(String path) {
    return 8L * 1024 * 1024;
  }

  @Override
  public byte[] readRange(String path, long offset, int length) {
    S3Location at = S3Location.parse(path);
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset " + offset + " and length " + length + " of " + path);
    }
    if (length == 0) {
      return new byte[0];
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    try {
      ResponseBytes<GetObjectResponse> bytes =
          client.getObjectAsBytes(r -> r.bucket(at.bucket()).key(at.key()).range(range));
      return bytes.asByteArray();
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        return new byte[0]; // the range starts at or after the end of the object
      }
      throw S3Errors.failure("read", at, e);
    } catch (SdkException e) {
      throw S3Errors.failure("read", at, e);
    }
  }

  @Override
  public InputStream open(String path) {
    S3Location at = S3Location.parse(path);
    try {
      return client.getObject(r -> r.bucket(at.bucket()).key(at.key()));
    } catch (SdkException e) {
      throw S3Errors.failure("open", at, e);
    }
  }

  @Override
  public void write(String path, byte[] data) {
    S3Location at = S3Location.parse(path);
    if (data.length > config.multipartThreshold()) {
      S3OutputStream out = new S3OutputStream(this, at);
      out.writeAll(data);
      return;
    }
    putObject(at, data, false);
  }

  /**
   * With conditional writes, one PUT with {@code If-None-Match: *}. If the SDK retries that PUT
   * after a lost response, the retry may find the object this call wrote and return
   * {@code false}: callers compare the content, as the mirror does.
   */
  @Override
  public boolean putIfAbsent(String path, byte[] data) {
    S3Location at = S3Location.parse(path);
    if (!conditionalWrites) {
      if (status(path).isPresent()) {
        return false;
      }
      putObject(at, data, false);
      return true;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        putObject(at, data, true);
        return true;
      } catch (DeltaException e) {
        int status = S3Errors.status(e);
        if (status == 412) {
          return false;
        }
        // 409 ConditionalRequestConflict: another conditional write of the key was in flight.
        if (status != 409 || attempt >= config.maxAttempts()) {
          throw e;
        }
        LOG.debug("s3 conditional put conflict, trying again location={} attempt={}", at, attempt);
        pause(attempt);
      }
    }
  }

  void putObject(S3Location at, byte[] data, boolean ifAbsent) {
    try {
      client.putObject(r -> {
        r.bucket(at.bucket()).key(at.key()).contentLength((long) data.length);
        if (ifAbsent) {
          r.ifNoneMatch("*");
        }
      }, RequestBody.fromBytes(data));
    } catch (SdkException e) {
      throw S3Errors.failure("write", at, e);
    }
  }

  private void pause(int attempt) {
    long ceiling = Math.min(config.retryMaxDelay().toMillis(), config.retryBaseDelay().toMillis() << Math.min(attempt, 20));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeltaException(SqlState.IO_ERROR, "Interrupted while writing to S3", e);
    }
  }

  /** A stream whose object appears when it is closed; abort discards the upload. */
  @Override
  public StorageOutputStream create(String path) {
    return new S3OutputStream(this, S3Location.parse(path));
  }

  @Override
  public Optional<FileStatus> status(String path) {
    S3Location at = S3Location.parse(path);
    if (at.key().isEmpty() || at.key().endsWith("/")) {
      return Optional.empty();
    }
    try {
      HeadObjectResponse head = client.headObject(r -> r.bucket(at.bucket()).key(at.key()));
      return Optional.of(new FileStatus(path, head.contentLength(), head.lastModified().toEpochMilli()));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw S3Errors.failure("stat", at, e);
    } catch (SdkException e) {
      throw S3Errors.failure("stat", at, e);
    }
  }

  @Override
  public List<FileStatus> list(String prefix) {
    return list(S3Location.parse(prefix), true);
  }

  @Override
  public List<FileStatus> listRecursively(String prefix) {
    return list(S3Location.parse(prefix), false);
  }

  private List<FileStatus> list(S3Location folder, boolean oneLevel) {
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
        .bucket(folder.bucket())
        .prefix(folder.folderKey());
    if (oneLevel) {
      request.delimiter("/");
    }
    List<FileStatus> result = new ArrayList<>();
    try {
      for (S3Object object : client.listObjectsV2Paginator(request.build()).contents()) {
        if (object.key().endsWith("/")) {
          continue; // a folder marker, not an object
        }
        result.add(new FileStatus(folder.withKey(object.key()).toString(), object.size(),
            object.lastModified().toEpochMilli()));
      }
    } catch (SdkException e) {
      throw S3Errors.failure("list", folder, e);
    }
    result.sort(Comparator.comparing(FileStatus::path));
    return result;
  }

  /** Deletes the object; a HEAD first says whether it existed (S3's DELETE does not). */
  @Override
  public boolean delete(String path) {
    S3Location at = S3Location.parse(path);
    if (status(path).isEmpty()) {
      return false;
    }
    try {
      client.deleteObject(r -> r.bucket(at.bucket()).key(at.key()));
      return true;
    } catch (SdkException e) {
      throw S3Errors.failure("delete", at, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** The endpoint and whether conditional writes are used; never the credentials. */
  @Override
  public String toString() {
    return "S3Storage{conditionalWrites=" + conditionalWrites + ", " + config + "}";
  }
}
