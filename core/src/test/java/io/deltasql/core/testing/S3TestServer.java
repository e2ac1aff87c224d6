package io.deltasql.core.testing;

import io.deltasql.core.storage.s3.S3Property;
import io.deltasql.core.storage.s3.S3Storage;
import io.deltasql.core.storage.s3.S3StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A real S3 API server on loopback for the tests: S3Proxy 2.6.0 with jclouds' in-memory
 * ({@code transient}) back end (or {@code -Ddeltasql.s3.backend=filesystem}, in a temporary
 * folder), SigV4 authentication with test keys, and an
 * {@link S3Gateway} in front (conditional writes, injected faults). One per JVM, started on
 * first use (about 5-10 s) and stopped at exit; each test takes buckets of its own.
 */
public final class S3TestServer {
  public static final String ACCESS_KEY = "deltasql-test-access";
  public static final String SECRET_KEY = "deltasql-test-secret-d0n7-l0g-m3";
  public static final String REGION = "us-east-1";

  private static S3TestServer instance;

  private final S3Proxy proxy;
  private final S3Gateway gateway;
  private final S3Client direct;
  private final Path dir;

  private S3TestServer() throws Exception {
    dir = Files.createTempDirectory("deltasql-s3-");
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toString());
    BlobStoreContext context = ContextBuilder.newBuilder(System.getProperty("deltasql.s3.backend", "transient")).overrides(properties)
        .build(BlobStoreContext.class);
    proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(5);
    }
    URI directEndpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    direct = S3Client.builder()
        .endpointOverride(directEndpoint)
        .region(Region.of(REGION))
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
    gateway = new S3Gateway(new InetSocketAddress("127.0.0.1", proxy.getPort()), this::exists);
  }

  /** The server, started on first call. */
  public static synchronized S3TestServer get() {
    if (instance == null) {
      try {
        long started = System.nanoTime();
        instance = new S3TestServer();
        System.err.printf("S3 test server (S3Proxy 2.6.0) started in %d ms at port %d, gateway %d%n",
            (System.nanoTime() - started) / 1_000_000, instance.proxy.getPort(), instance.gateway.port());
        Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
      } catch (Exception e) {
        throw new IllegalStateException("Cannot start the S3 test server: " + e, e);
      }
    }
    return instance;
  }

  private boolean exists(String bucket, String key) {
    try {
      direct.headObject(r -> r.bucket(bucket).key(key));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** The gateway, for faults and conditional writes. */
  public S3Gateway gateway() {
    return gateway;
  }

  /** A client straight to S3Proxy, past the gateway: a foreign writer, and checks below the storage. */
  public S3Client direct() {
    return direct;
  }

  /** The gateway's endpoint. */
  public String endpoint() {
    return "http://127.0.0.1:" + gateway.port();
  }

  /** S3Proxy's own endpoint (which ignores conditional writes). */
  public String directEndpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** Settings for an {@link S3Storage} through the gateway: test keys, path style, quick retries. */
  public S3StorageConfig config() {
    return S3StorageConfig.fromProperties(Map.of(
        S3Property.ENDPOINT.key(), endpoint(),
        S3Property.REGION.key(), REGION,
        S3Property.PATH_STYLE.key(), "true",
        S3Property.ACCESS_KEY.key(), ACCESS_KEY,
        S3Property.SECRET_KEY.key(), SECRET_KEY,
        S3Property.MAX_ATTEMPTS.key(), "5",
        S3Property.RETRY_BASE_DELAY_MS.key(), "5",
        S3Property.RETRY_MAX_DELAY_MS.key(), "100"));
  }

  /** A new, empty bucket; returns {@code s3://bucket}. */
  public String newBucket(String prefix) {
    String bucket = prefix.toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
    direct.createBucket(r -> r.bucket(bucket));
    return "s3://" + bucket;
  }

  /** A storage through the gateway, probed at {@code root}. */
  public S3Storage storage(String root) {
    return S3Storage.open(config(), root);
  }

  /** Copies every file under {@code local} to {@code s3Root} (same relative keys), straight to the server. */
  public void upload(Path local, String s3Root) {
    String[] bk = bucketAndKey(s3Root);
    try (Stream<Path> files = Files.walk(local)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          String rel = local.relativize(p).toString().replace('\\', '/');
          String key = bk[1].isEmpty() ? rel : bk[1] + "/" + rel;
          direct.putObject(r -> r.bucket(bk[0]).key(key), RequestBody.fromFile(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies every object under {@code s3Root} into {@code local} (same relative paths). */
  public void download(String s3Root, Path local) {
    String[] bk = bucketAndKey(s3Root);
    String prefix = bk[1].isEmpty() ? "" : bk[1] + "/";
    direct.listObjectsV2Paginator(r -> r.bucket(bk[0]).prefix(prefix)).contents().forEach(o -> {
      if (o.key().endsWith("/")) {
        return;
      }
      Path target = local.resolve(o.key().substring(prefix.length()));
      try {
        Files.createDirectories(target.getParent());
        Files.write(target, direct.getObjectAsBytes(r -> r.bucket(bk[0]).key(o.key())).asByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Multipart uploads started and neither completed nor aborted under a location. */
  public int pendingUploads(String s3Root) {
    String[] bk = bucketAndKey(s3Root);
    return direct.listMultipartUploads(r -> r.bucket(bk[0]).prefix(bk[1])).uploads().size();
  }

  private static String[] bucketAndKey(String s3) {
    String rest = s3.substring(s3.indexOf("://") + 3);
    int slash = rest.indexOf('/');
    return slash < 0 ? new String[] {rest, ""} : new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
  }

  private void stop() {
    try {
      gateway.close();
      direct.close();
      proxy.stop();
    } catch (Exception e) {
      // exiting anyway
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
