package io.deltasql.tck;

import io.deltasql.core.storage.s3.S3Property;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.deltasql.core.testing.S3TestServer;
import io.deltasql.core.testing.SharedTables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fresh lake whose warehouse is on S3: a new bucket of the tests' S3 server on loopback
 * (S3Proxy behind core's gateway, {@link S3TestServer}), {@code s3://BUCKET/wh}, and an empty
 * catalog of a backend given explicitly (an H2 file in a temporary folder, or a new PostgreSQL
 * schema), reached through {@code jdbc:deltasql:} with the {@code s3.*} settings and the shared
 * (local) Delta tables allowed as import locations. {@code !files} lists the bucket's objects.
 */
public final class S3Lakes implements ScriptTarget, AutoCloseable {
  private final CatalogBackend backend;
  private final String warehouse;
  private final CatalogFixture catalog;

  private S3Lakes(CatalogBackend backend, String warehouse, CatalogFixture catalog) {
    this.backend = backend;
    this.warehouse = warehouse;
    this.catalog = catalog;
  }

  /** A new lake on {@code backend}, in a new bucket. */
  public static S3Lakes fresh(CatalogBackend backend, String prefix) {
    String bucket = S3TestServer.get().newBucket("tck-" + prefix);
    return new S3Lakes(backend, bucket + "/wh", backend.fresh(prefix));
  }

  public CatalogBackend backend() {
    return backend;
  }

  /** {@code s3://bucket/wh}. */
  public String location() {
    return warehouse;
  }

  /** The {@code s3.*} part of the URL: endpoint, region, path style, test keys, quick retries. */
  public static String s3Properties() {
    S3TestServer server = S3TestServer.get();
    return ";" + S3Property.ENDPOINT.key() + "=" + server.endpoint()
        + ";" + S3Property.REGION.key() + "=" + S3TestServer.REGION
        + ";" + S3Property.PATH_STYLE.key() + "=true"
        + ";" + S3Property.ACCESS_KEY.key() + "=" + S3TestServer.ACCESS_KEY
        + ";" + S3Property.SECRET_KEY.key() + "=" + S3TestServer.SECRET_KEY
        + ";" + S3Property.MAX_ATTEMPTS.key() + "=5"
        + ";" + S3Property.RETRY_BASE_DELAY_MS.key() + "=5"
        + ";" + S3Property.RETRY_MAX_DELAY_MS.key() + "=100";
  }

  /** The connection URL of this lake, with extra {@code ;key=value} properties. */
  public String url(String extra) {
    return "jdbc:deltasql:warehouse=" + warehouse + ";catalog='" + catalog.url() + "'" + s3Properties()
        + ";allowedLocations=" + SharedTables.root() + extra;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(""));
  }

  @Override
  public Connection connect(String name) throws SQLException {
    return connect();
  }

  @Override
  public Optional<Path> warehouse() {
    return Optional.empty();
  }

  /** The keys under {@code wh/}, relative to it. */
  @Override
  public Optional<List<String>> warehouseFiles() {
    return Optional.of(keys(warehouse));
  }

  /** Every object key under an {@code s3://bucket/prefix} location, relative to it, sorted. */
  public static List<String> keys(String location) {
    String rest = location.substring("s3://".length());
    String bucket = rest.substring(0, rest.indexOf('/'));
    String prefix = rest.substring(rest.indexOf('/') + 1) + "/";
    return S3TestServer.get().direct().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()
        .stream().map(o -> o.key().substring(prefix.length())).filter(k -> !k.isEmpty() && !k.endsWith("/"))
        .sorted().toList();
  }

  @Override
  public Map<String, String> variables() {
    return Map.of("warehouse", warehouse, "shared", SharedTables.root().toString());
  }

  @Override
  public void close() {
    catalog.close();
  }

  @Override
  public String toString() {
    return "S3+" + backend.name();
  }
}
