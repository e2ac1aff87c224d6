package io.deltasql.core.storage;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.net.URI;
import java.net.URISyntaxException;

/** Joining and checking storage paths, the same for every {@link Storage}. */
public final class StoragePaths {
  private StoragePaths() {}

  /** {@code parent/child}, with exactly one slash between them. */
  public static String join(String parent, String child) {
    if (parent.endsWith("/")) {
      return parent + child;
    }
    return parent + "/" + child;
  }

  /** The last segment of a path. */
  public static String name(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** The {@code _delta_log} folder of a table root. */
  public static String logDir(String tableRoot) {
    return join(tableRoot, "_delta_log");
  }

  /**
   * Resolves a path found in the log (a URI relative to the table root, or absolute)
   * against the table root. A relative path that escapes the root with {@code ..} is
   * refused: a log must not make deltasql read or delete files outside the table.
   */
  public static String resolveInTable(String tableRoot, String logPath) {
    URI uri;
    try {
      uri = new URI(logPath);
    } catch (URISyntaxException e) {
      throw new DeltaException(SqlState.DATA_CORRUPTED,
          "Path '" + logPath + "' in the log of table " + tableRoot + " is not a valid URI: "
              + e.getMessage(), e);
    }
    if (uri.getScheme() != null) {
      return "file".equals(uri.getScheme()) ? uri.getPath() : uri.toString();
    }
    String decoded = uri.getPath();
    if (decoded.startsWith("/")) {
      return decoded;
    }
    for (String segment : decoded.split("/")) {
      if (segment.equals("..")) {
        throw new DeltaException(SqlState.DATA_CORRUPTED,
            "Path '" + logPath + "' in the log of table " + tableRoot
                + " escapes the table root with '..'; refusing to follow it");
      }
    }
    return join(tableRoot, decoded);
  }
}
