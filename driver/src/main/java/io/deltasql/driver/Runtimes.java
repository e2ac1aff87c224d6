package io.deltasql.driver;

import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.mirror.MirrorConfig;
import io.deltasql.core.txn.MultiTableConfig;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.planner.DeltaRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;

/**
 * The runtimes of this JVM, one per (catalog, warehouse), shared by every connection to them
 * and closed when the last one closes. The first connection fixes what the runtime holds: the
 * mirror mode, the {@code mirror.*} settings and the {@code s3.*} settings of its storage.
 */
final class Runtimes {
  private record Entry(DeltaRuntime runtime, int connections) {}

  private static final Map<String, Entry> OPEN = new HashMap<>();

  private Runtimes() {}

  /** The runtime of this URL's catalog, opened if no connection holds it. */
  static synchronized DeltaRuntime acquire(ConnectionUrl url) {
    mirrorMode(url); // checked on every connection, though only the first one's counts
    mirrorConfig(url);
    String key = key(url);
    Entry entry = OPEN.get(key);
    if (entry == null) {
      entry = new Entry(open(url), 0);
    }
    OPEN.put(key, new Entry(entry.runtime(), entry.connections() + 1));
    return entry.runtime();
  }

  /** Gives back a runtime; the last connection's release closes it. */
  static synchronized void release(DeltaRuntime runtime) {
    for (Map.Entry<String, Entry> e : OPEN.entrySet()) {
      if (e.getValue().runtime() == runtime) {
        int left = e.getValue().connections() - 1;
        if (left == 0) {
          OPEN.remove(e.getKey());
          runtime.close();
        } else {
          e.setValue(new Entry(runtime, left));
        }
        return;
      }
    }
  }

  private static String key(ConnectionUrl url) {
    return url.catalogUrl() + "|" + url.get(ConnectionProperty.CATALOG_USER).orElse("") + "|" + url.warehouse();
  }

  private static DeltaRuntime open(ConnectionUrl url) {
    String warehouse = url.warehouse();
    String catalogUrl = url.catalogUrl(); // refuses an S3 warehouse without catalog=
    Path created = null;
    if (!url.warehouseOnObjectStore()) {
      created = firstMissing(Path.of(warehouse));
      try {
        Files.createDirectories(Path.of(warehouse));
      } catch (IOException e) {
        throw new DeltaException(SqlState.IO_ERROR, "Cannot create the warehouse folder " + warehouse + ": " + e, e);
      }
    }
    try {
      return open(url, warehouse, catalogUrl);
    } catch (RuntimeException e) {
      if (created != null) {
        deleteEmptyFolders(created);
      }
      throw e;
    }
  }

  /** The outermost folder of {@code path} that does not exist yet (null if it exists). */
  private static Path firstMissing(Path path) {
    Path missing = null;
    for (Path p = path; p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  /** Removes the folders a refused connection created, as long as they hold no file. */
  private static void deleteEmptyFolders(Path top) {
    try (java.util.stream.Stream<Path> all = Files.walk(top)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          try (java.util.stream.Stream<Path> inside = Files.list(p)) {
            if (inside.findAny().isEmpty()) {
              Files.delete(p);
            }
          }
        }
      }
    } catch (IOException e) {
      // a folder left behind is reported by nobody; the connection's own error matters more
    }
  }

  private static DeltaRuntime open(ConnectionUrl url, String warehouse, String catalogUrl) {
    CatalogConfig catalog = url.embeddedCatalog() ? CatalogConfig.embedded(Path.of(warehouse)) : CatalogConfig.of(catalogUrl);
    // Without catalog.user the catalog URL's own credentials (or none) are used.
    if (url.get(ConnectionProperty.CATALOG_USER).isPresent()) {
      catalog = catalog.withCredentials(url.get(ConnectionProperty.CATALOG_USER).get(),
          url.get(ConnectionProperty.CATALOG_PASSWORD).orElse(null));
    }
    return DeltaRuntime.open(warehouse, url.storageProperties(), catalog, MultiTableConfig.defaults(),
        mirrorConfig(url), mirrorMode(url));
  }

  /** {@link MirrorConfig#DEFAULTS} with the URL's {@code mirror.*} settings (whose defaults are its values). */
  static MirrorConfig mirrorConfig(ConnectionUrl url) {
    long spacing = whole(url, ConnectionProperty.MIRROR_CHECKPOINT_SPACING, 0, "a number of milliseconds, 0 or more");
    long files = whole(url, ConnectionProperty.MIRROR_CHECKPOINT_SPACING_FILES, 0, "a number of active files, 0 or more");
    long unmirrored = whole(url, ConnectionProperty.MIRROR_MAX_UNMIRRORED, 1, "a number of versions, 1 or more");
    return MirrorConfig.DEFAULTS.withCheckpointSpacing(java.time.Duration.ofMillis(spacing), files)
        .withMaxUnmirroredVersions(unmirrored);
  }

  private static long whole(ConnectionUrl url, ConnectionProperty property, long least, String expected) {
    String given = url.get(property).orElseThrow();
    try {
      long value = Long.parseLong(given.trim());
      if (value >= least) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
        "URL property " + property.key() + "='" + given + "' must be " + expected);
  }

  private static MultiTableWriter.MirrorMode mirrorMode(ConnectionUrl url) {
    String mode = url.get(ConnectionProperty.MIRROR).orElse("sync").trim().toLowerCase(java.util.Locale.ROOT);
    return switch (mode) {
      case "sync" -> MultiTableWriter.MirrorMode.SYNCHRONOUS;
      case "async" -> MultiTableWriter.MirrorMode.ASYNCHRONOUS;
      default -> throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "URL property mirror='" + mode + "' must be sync or async");
    };
  }
}
