package io.deltasql.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** URL properties: the s3.* settings beside deltasql's own, S3 warehouses, and credentials masked. */
class ConnectionUrlTest {
  @Test
  void s3SettingsAreKnownKeysIgnoringCaseAndDashes() {
    ConnectionUrl url = ConnectionUrl.parse("jdbc:deltasql:warehouse=s3://bucket/lake/;catalog=jdbc:h2:mem:x;"
        + "s3.endpoint=http://127.0.0.1:9000;S3.Region=eu-west-1;s3.pathStyle=true;s3.access-key=AK;s3.secret-key=SK",
        new Properties());
    assertEquals("s3://bucket/lake", url.warehouse());
    assertTrue(url.warehouseOnObjectStore());
    assertEquals(Map.of("s3.endpoint", "http://127.0.0.1:9000", "s3.region", "eu-west-1", "s3.path-style", "true",
        "s3.access-key", "AK", "s3.secret-key", "SK"), url.storageProperties());

    Properties properties = new Properties();
    properties.setProperty("warehouse", "/tmp/lake");
    properties.setProperty("s3.Max-Attempts", "3");
    properties.setProperty("allowedLocations", "s3://other/ext/, /tmp/../tmp/shared");
    ConnectionUrl fromProperties = ConnectionUrl.of(properties);
    assertEquals(Map.of("s3.max-attempts", "3"), fromProperties.storageProperties());
    assertEquals(List.of("s3://other/ext", Path.of("/tmp/shared").toString()), fromProperties.allowedLocations());

    DeltaException e = assertThrows(DeltaException.class,
        () -> ConnectionUrl.parse("jdbc:deltasql:s3.secretAccessKey=x", new Properties()));
    assertEquals("22023", e.sqlState(), e.getMessage());
    assertTrue(e.getMessage().contains("s3.secret-key"), e.getMessage());
    assertFalse(e.getMessage().contains("=x"), e.getMessage());
  }

  @Test
  void anS3WarehouseNeedsAnExplicitCatalog() {
    ConnectionUrl url = ConnectionUrl.parse("jdbc:deltasql:warehouse=s3://bucket/lake", new Properties());
    DeltaException e = assertThrows(DeltaException.class, url::catalogUrl);
    assertEquals("22023", e.sqlState());
    assertTrue(e.getMessage().contains("catalog="), e.getMessage());
    // refused before anything reaches the (here unreachable) store
    SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(
        "jdbc:deltasql:warehouse=s3://bucket/lake;s3.endpoint=http://127.0.0.1:9"));
    assertEquals("22023", refused.getSQLState(), refused.getMessage());

    DeltaException scheme = assertThrows(DeltaException.class,
        () -> ConnectionUrl.parse("jdbc:deltasql:warehouse=gs://bucket/lake", new Properties()).warehouse());
    assertEquals("0A000", scheme.sqlState());
    assertNull(ConnectionUrl.parse("jdbc:deltasql:allowedLocations=*", new Properties()).allowedLocations());
  }

  @Test
  void credentialsAreMasked() {
    assertEquals("jdbc:deltasql:warehouse=s3://b/w;s3.access-key=***;s3.secret-key=***;s3.session-token=***;"
            + "catalog='jdbc:postgresql://h/db?user=u&password=***';catalog.password=***;s3.region=x",
        ConnectionUrl.redact("jdbc:deltasql:warehouse=s3://b/w;s3.access-key=AKIA;s3.secret-key=abc/def+g;"
            + "s3.session-token=tok;catalog='jdbc:postgresql://h/db?user=u&password=pw';catalog.password=cpw;"
            + "s3.region=x"));
    assertEquals("jdbc:deltasql:S3.SecretKey=***", ConnectionUrl.redact("jdbc:deltasql:S3.SecretKey=abc"));
  }

  /** The command line parses a URL as the driver does: a quoted value may hold ';'. */
  @Test
  void aQuotedCatalogUrlKeepsItsSemicolons() {
    ConnectionUrl url = ConnectionUrl.parse(
        "jdbc:deltasql:warehouse=/tmp/lake;catalog='jdbc:h2:file:/tmp/c;TRACE_LEVEL_FILE=0';schema=s", new Properties());
    assertEquals("jdbc:h2:file:/tmp/c;TRACE_LEVEL_FILE=0", url.catalogUrl());
    assertEquals("s", url.get(ConnectionProperty.SCHEMA).orElseThrow());
    DeltaException unknown = assertThrows(DeltaException.class,
        () -> ConnectionUrl.parse("jdbc:deltasql:warehouse=/tmp/lake;catalog=jdbc:h2:file:/tmp/c;TRACE_LEVEL_FILE=0",
            new Properties()));
    assertEquals("22023", unknown.sqlState());
    assertTrue(unknown.getMessage().contains("'TRACE_LEVEL_FILE'"), unknown.getMessage());
  }

  @Test
  void anUnknownIsolationLevelNamesThePropertyAndTheLevels(@org.junit.jupiter.api.io.TempDir Path dir) {
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:deltasql:warehouse=" + dir.resolve("lake") + ";isolation=bogus"));
    assertEquals("22023", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains("isolation") && e.getMessage().contains("'bogus'")
        && e.getMessage().contains("SERIALIZABLE"), e.getMessage());
    assertFalse(java.nio.file.Files.exists(dir.resolve("lake")), "refused before the catalog is created");
  }
}
