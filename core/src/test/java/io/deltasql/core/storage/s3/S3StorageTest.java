package io.deltasql.core.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.Storages;
import io.deltasql.core.testing.S3Gateway;
import io.deltasql.core.testing.S3Gateway.Fault;
import io.deltasql.core.testing.S3TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only S3 has: the conditional-write probe, retries of throttling, 5xx and dropped
 * connections (injected by the gateway), multipart uploads that fail or are aborted leaving
 * neither an object nor pending parts, credentials that never show, and the factory.
 */
class S3StorageTest {
  private final S3TestServer server = S3TestServer.get();
  private final S3Gateway gateway = server.gateway();
  private String bucket;
  private S3Storage storage;

  @BeforeEach
  void open() {
    gateway.clearFaults();
    bucket = server.newBucket("s3test");
    storage = server.storage(bucket + "/lake");
  }

  @AfterEach
  void close() {
    gateway.clearFaults();
    gateway.honourConditionalWrites(true);
    storage.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static S3StorageConfig direct(S3StorageConfig config) {
    return config.with(S3Property.ENDPOINT, S3TestServer.get().directEndpoint());
  }

  // ---- conditional writes -----------------------------------------------------------------

  @Test
  void theProbeFindsThatTheGatewayHonoursConditionalWritesAndLeavesNothing() {
    assertTrue(storage.supportsConditionalWrites());
    assertTrue(storage.atomicPutIfAbsent());
    assertEquals(List.of(), storage.listRecursively(bucket), "the probe object is deleted");
  }

  /** S3Proxy 2.6.0 on its own ignores If-None-Match: the probe says so, and put-if-absent checks first. */
  @Test
  void theProbeFindsThatS3ProxyAloneIgnoresConditionalWrites() {
    try (S3Storage plain = S3Storage.open(direct(server.config()), bucket + "/lake")) {
      assertFalse(plain.supportsConditionalWrites());
      assertFalse(plain.atomicPutIfAbsent());
      assertTrue(plain.putIfAbsent(bucket + "/lake/_delta_log/00000000000000000000.json", bytes("mine")));
      assertFalse(plain.putIfAbsent(bucket + "/lake/_delta_log/00000000000000000000.json", bytes("theirs")),
          "an object written before is still seen (HEAD)");
      assertArrayEquals(bytes("mine"), plain.readAll(bucket + "/lake/_delta_log/00000000000000000000.json"));
      assertEquals(List.of(bucket + "/lake/_delta_log/00000000000000000000.json"),
          plain.listRecursively(bucket).stream().map(f -> f.path()).toList());
    }
    gateway.honourConditionalWrites(false);
    try (S3Storage passedThrough = server.storage(bucket + "/lake")) {
      assertFalse(passedThrough.supportsConditionalWrites());
    }
  }

  @Test
  void conditionalWritesCanBeSetWithoutAProbe() {
    try (S3Storage off = S3Storage.open(server.config().with(S3Property.CONDITIONAL_WRITES, "false"), bucket)) {
      assertFalse(off.supportsConditionalWrites());
    }
    int before = gateway.requests();
    try (S3Storage on = S3Storage.open(server.config().with(S3Property.CONDITIONAL_WRITES, "true"), bucket)) {
      assertTrue(on.supportsConditionalWrites());
    }
    assertEquals(before, gateway.requests(), "no probe request");
  }

  // ---- retries ----------------------------------------------------------------------------

  @Test
  void throttlingAnd5xxAreRetried() {
    String path = bucket + "/lake/_delta_log/00000000000000000001.json";
    gateway.inject("PUT", "/00000000000000000001.json", Fault.SLOW_DOWN_503, 2);
    gateway.inject("PUT", "/00000000000000000001.json", Fault.TOO_MANY_REQUESTS_429, 1);
    assertTrue(storage.putIfAbsent(path, bytes("v1")));
    gateway.inject("GET", "/00000000000000000001.json", Fault.INTERNAL_ERROR_500, 3);
    assertArrayEquals(bytes("v1"), storage.readAll(path));
    gateway.inject("GET", "list-type=2", Fault.SLOW_DOWN_503, 2);
    assertEquals(1, storage.list(bucket + "/lake/_delta_log").size());
    assertEquals(8, gateway.faultsFired());
  }

  @Test
  void aConnectionDroppedMidUploadIsRetriedWithTheWholeBody() {
    String path = bucket + "/lake/part-0.parquet";
    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    gateway.inject("PUT", "/part-0.parquet", Fault.DROP_MID_BODY, 2);
    storage.write(path, data);
    assertEquals(2, gateway.faultsFired());
    assertArrayEquals(data, storage.readAll(path));
  }

  @Test
  void failuresThatOutlastTheRetriesAre58030NamingBucketAndKeyButNoCredentials() {
    String path = bucket + "/lake/_delta_log/00000000000000000002.json";
    gateway.inject("PUT", "/00000000000000000002.json", Fault.SLOW_DOWN_503, 100);
    DeltaException e = assertThrows(DeltaException.class, () -> storage.putIfAbsent(path, bytes("v2")));
    assertEquals(SqlState.IO_ERROR, e.state());
    assertTrue(e.getMessage().contains(path), e.getMessage());
    assertTrue(e.getMessage().contains("503 SlowDown"), e.getMessage());
    assertFalse(e.getMessage().contains(S3TestServer.SECRET_KEY));
    assertEquals(5, gateway.faultsFired(), "s3.max-attempts tries");
    gateway.clearFaults();
    assertTrue(storage.status(path).isEmpty(), "no torn object");
  }

  @Test
  void wrongCredentialsAre58030WithoutTheSecret() {
    String wrong = "wrong-secret-7f3a9c";
    S3StorageConfig config = server.config().with(S3Property.SECRET_KEY, wrong)
        .with(S3Property.CONDITIONAL_WRITES, "true");
    try (S3Storage bad = S3Storage.open(config, bucket)) {
      DeltaException e = assertThrows(DeltaException.class, () -> bad.readAll(bucket + "/lake/x"));
      assertEquals(SqlState.IO_ERROR, e.state());
      assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
      assertTrue(e.getMessage().contains("check the credentials"), e.getMessage());
      assertFalse(e.getMessage().contains(wrong), e.getMessage());
      assertFalse(bad.toString().contains(wrong), bad.toString());
      assertFalse(bad.toString().contains(S3TestServer.ACCESS_KEY), bad.toString());
      assertTrue(bad.toString().contains("s3.secret-key=****"), bad.toString());
    }
  }

  // ---- multipart --------------------------------------------------------------------------

  @Test
  void aPartThatKeepsFailingAbortsTheUploadLeavingNothing() throws IOException {
    S3StorageConfig small = server.config().with(S3Property.MULTIPART_THRESHOLD, "0")
        .with(S3Property.PART_SIZE, String.valueOf(S3StorageConfig.MIN_PART_SIZE));
    String path = bucket + "/lake/part-big.parquet";
    try (S3Storage multipart = S3Storage.open(small, bucket)) {
      gateway.inject("PUT", "partNumber=2", Fault.DROP_MID_BODY, 100);
      OutputStream out = multipart.create(path);
      byte[] chunk = new byte[1024 * 1024];
      IOException e = assertThrows(IOException.class, () -> {
        for (int i = 0; i < 12; i++) {
          out.write(chunk);
        }
        out.close();
      });
      DeltaException cause = assertInstanceOf(DeltaException.class, e.getCause());
      assertEquals(SqlState.IO_ERROR, cause.state());
      assertTrue(e.getMessage().contains("upload part 2 of '" + path + "'"), e.getMessage());
      assertThrows(IOException.class, out::close, "a failed stream stays failed");
    }
    gateway.clearFaults();
    assertTrue(storage.status(path).isEmpty());
    assertEquals(0, server.pendingUploads(bucket + "/lake"), "the upload was aborted");
  }

  @Test
  void aFailedCompletionAbortsTheUpload() {
    S3StorageConfig small = server.config().with(S3Property.MULTIPART_THRESHOLD, "0")
        .with(S3Property.PART_SIZE, String.valueOf(S3StorageConfig.MIN_PART_SIZE));
    String path = bucket + "/lake/part-complete.parquet";
    try (S3Storage multipart = S3Storage.open(small, bucket)) {
      gateway.inject("POST", "uploadId=", Fault.INTERNAL_ERROR_500, 100);
      OutputStream out = multipart.create(path);
      assertThrows(IOException.class, () -> {
        out.write(new byte[6 * 1024 * 1024]);
        out.close();
      });
    }
    gateway.clearFaults();
    assertTrue(storage.status(path).isEmpty());
    assertEquals(0, server.pendingUploads(bucket + "/lake"));
  }

  // ---- configuration and factory ----------------------------------------------------------

  @Test
  void invalidSettingsAre22023NamingTheKey() {
    DeltaException e = assertThrows(DeltaException.class,
        () -> S3StorageConfig.fromProperties(Map.of("s3.part-size", "1024")));
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
    assertTrue(e.getMessage().contains("s3.part-size"), e.getMessage());
    e = assertThrows(DeltaException.class,
        () -> S3StorageConfig.fromProperties(Map.of("s3.access-key", "AKIA-only")));
    assertTrue(e.getMessage().contains("s3.secret-key"), e.getMessage());
    assertFalse(e.getMessage().contains("AKIA-only"), e.getMessage());
    assertEquals("us-east-1", S3StorageConfig.DEFAULTS.region());
    assertEquals(10, S3StorageConfig.DEFAULTS.maxAttempts());
    for (S3Property p : S3Property.values()) {
      assertTrue(p.key().startsWith("s3."), p.key());
    }
  }

  @Test
  void storagesPicksTheStorageOfALocation() {
    assertSame(LocalStorage.INSTANCE, Storages.forLocation("/data/lake/t", Map.of()));
    assertSame(LocalStorage.INSTANCE, Storages.forLocation("file:/data/lake/t", Map.of()));
    assertEquals("/data/lake/my t", Storages.localPath("file:/data/lake/my%20t"));
    assertEquals("/data/lake/t", Storages.localPath("/data/lake/t"));
    assertFalse(Storages.isObjectStore("/data/lake/t"));
    assertTrue(Storages.isObjectStore("s3a://bucket/t"));
    Map<String, String> properties = Map.of(
        "s3.endpoint", server.endpoint(), "s3.path-style", "true",
        "s3.access-key", S3TestServer.ACCESS_KEY, "s3.secret-key", S3TestServer.SECRET_KEY,
        "user", "ignored");
    Storage s3 = Storages.forLocation(bucket + "/warehouse", properties);
    try {
      S3Storage opened = assertInstanceOf(S3Storage.class, s3);
      assertTrue(opened.supportsConditionalWrites());
    } finally {
      Storages.close(s3);
    }
    DeltaException e = assertThrows(DeltaException.class, () -> Storages.forLocation("gs://bucket/t", Map.of()));
    assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
  }

  @Test
  void s3aLocationsKeepTheirScheme() {
    String base = bucket.replace("s3://", "s3a://") + "/lake";
    storage.write(base + "/t/_delta_log/00000000000000000000.json", bytes("{}"));
    assertEquals(List.of(base + "/t/_delta_log/00000000000000000000.json"),
        storage.list(base + "/t/_delta_log").stream().map(f -> f.path()).toList());
  }
}
