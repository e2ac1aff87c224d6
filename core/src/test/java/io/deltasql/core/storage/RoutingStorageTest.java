package io.deltasql.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.storage.s3.S3Property;
import io.deltasql.core.storage.s3.S3Storage;
import io.deltasql.core.testing.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One storage for a warehouse's locations: local paths and S3 buckets side by side. */
class RoutingStorageTest {
  private static Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    settings.put(S3Property.ENDPOINT.key(), S3TestServer.get().endpoint());
    settings.put(S3Property.REGION.key(), S3TestServer.REGION);
    settings.put(S3Property.PATH_STYLE.key(), "true");
    settings.put(S3Property.ACCESS_KEY.key(), S3TestServer.ACCESS_KEY);
    settings.put(S3Property.SECRET_KEY.key(), S3TestServer.SECRET_KEY);
    return settings;
  }

  @Test
  void sendsEachPathToTheStorageOfItsLocation(@TempDir Path dir) {
    String warehouse = S3TestServer.get().newBucket("route") + "/wh";
    String other = S3TestServer.get().newBucket("route-other");
    try (RoutingStorage storage = RoutingStorage.open(warehouse, settings())) {
      assertTrue(storage.s3().isPresent(), "opened with an S3 warehouse");
      assertInstanceOf(S3Storage.class, storage.storageOf(warehouse + "/t/part-0.parquet"));
      assertSame(storage.storageOf(warehouse + "/x"), storage.storageOf(other + "/y"), "one S3 storage, every bucket");
      assertSame(LocalStorage.INSTANCE, storage.storageOf(dir.resolve("t").toString()));

      byte[] data = "x".getBytes(StandardCharsets.UTF_8);
      String local = dir.resolve("t/_delta_log/00000000000000000000.json").toString();
      assertTrue(storage.putIfAbsent(warehouse + "/t/_delta_log/00000000000000000000.json", data));
      assertTrue(storage.putIfAbsent(other.replace("s3://", "s3a://") + "/s3a-scheme", data));
      assertTrue(storage.putIfAbsent(local, data));
      assertFalse(storage.putIfAbsent(local, data));
      assertArrayEquals(data, storage.readAll(warehouse + "/t/_delta_log/00000000000000000000.json"));
      assertEquals(1, storage.listRecursively(warehouse + "/t").size());
      assertEquals(1, storage.list(dir.resolve("t/_delta_log").toString()).size());
      assertTrue(storage.atomicPutIfAbsent(), "the gateway honours conditional writes");

      DeltaException e = assertThrows(DeltaException.class, () -> storage.readAll("gs://bucket/x"));
      assertEquals("0A000", e.sqlState());
      assertFalse(storage.toString().contains(S3TestServer.SECRET_KEY), storage.toString());
      assertFalse(storage.toString().contains(S3TestServer.ACCESS_KEY), storage.toString());
    }
  }

  @Test
  void aLocalWarehouseOpensS3AtItsFirstS3Path(@TempDir Path dir) {
    try (RoutingStorage storage = RoutingStorage.open(dir.toString(), settings())) {
      assertFalse(storage.s3().isPresent(), "no S3 client for a local warehouse until one is needed");
      String bucket = S3TestServer.get().newBucket("route-lazy");
      storage.write(bucket + "/t/a", new byte[] {1});
      assertTrue(storage.s3().isPresent());
      assertEquals(1, storage.listRecursively(bucket + "/t").size());
    }
    DeltaException invalid = assertThrows(DeltaException.class,
        () -> RoutingStorage.open(dir.toString(), Map.of(S3Property.PATH_STYLE.key(), "maybe")));
    assertEquals("22023", invalid.sqlState(), "invalid settings are refused even before S3 is used");
  }
}
