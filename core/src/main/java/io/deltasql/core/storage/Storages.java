package io.deltasql.core.storage;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.s3.S3Location;
import io.deltasql.core.storage.s3.S3Storage;
import io.deltasql.core.storage.s3.S3StorageConfig;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the {@link Storage} of a location: {@code s3://bucket/prefix} (also {@code s3a://},
 * {@code s3n://}) is an {@link S3Storage}; a local path or {@code file:} URI is
 * {@link LocalStorage}. The entry point for a warehouse or an import location given by a user
 * (the driver's {@code warehouse=} and {@code LOCATION '...'}).
 *
 * <p>Local tables keep plain paths as their location, as before; {@link #localPath} turns a
 * {@code file:} URI into one.
 */
public final class Storages {
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://");

  private Storages() {}

  /**
   * The storage of {@code location}, configured by the {@code s3.*} keys of {@code properties}
   * (see {@link io.deltasql.core.storage.s3.S3Property}; other keys are ignored). An
   * {@link S3Storage} is new, probed at {@code location} and owns an HTTP client: close it when
   * done ({@link #close}); {@link LocalStorage} is shared.
   *
   * @throws DeltaException {@code 0A000} for another scheme ({@code gs://}, {@code abfss://}),
   *     {@code 22023} for invalid settings, {@code 58030} if the store cannot be reached
   */
  public static Storage forLocation(String location, Map<String, String> properties) {
    if (S3Location.isS3(location)) {
      return S3Storage.open(S3StorageConfig.fromProperties(properties), location);
    }
    localPath(location);
    return LocalStorage.INSTANCE;
  }

  /** Whether {@code location} is on an object store (no rename, no directories, no append). */
  public static boolean isObjectStore(String location) {
    return S3Location.isS3(location);
  }

  /**
   * The local path of a local location: a plain path as is, a {@code file:} URI decoded.
   *
   * @throws DeltaException {@code 0A000} for a location with another scheme
   */
  public static String localPath(String location) {
    Matcher scheme = SCHEME.matcher(location);
    if (location.regionMatches(true, 0, "file:", 0, 5)) {
      return URI.create(location).getPath();
    }
    if (scheme.lookingAt()) {
      throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED, "Location '" + location + "' uses the scheme '"
          + scheme.group(1).toLowerCase(Locale.ROOT) + "', which deltasql cannot reach; use a local path, "
          + "a file: URI or s3://bucket/prefix");
    }
    return location;
  }

  /** Closes a storage from {@link #forLocation} if it holds resources. */
  public static void close(Storage storage) {
    if (storage instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new DeltaException(SqlState.IO_ERROR, "Cannot close storage " + storage + ": " + e.getMessage(), e);
      }
    }
  }
}
