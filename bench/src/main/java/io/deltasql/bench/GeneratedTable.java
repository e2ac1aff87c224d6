package io.deltasql.bench;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A synthetic table on local disk, as {@link TableGenerator} wrote it.
 *
 * @param root the table's root folder (holds {@code _delta_log/})
 * @param spec what was asked for
 * @param latestVersion the newest version in the log
 * @param activeFiles the number of active files at the latest version
 * @param checkpointVersion the version of the newest checkpoint, if the table has one
 * @param probeId an {@code id} that exactly one active file holds by its statistics (id
 *     ranges of files are disjoint), for selective planning ({@code WHERE id = probeId});
 *     empty for a table without files
 */
public record GeneratedTable(Path root, TableSpec spec, long latestVersion, long activeFiles,
    OptionalLong checkpointVersion, OptionalLong probeId) {

  public GeneratedTable {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(checkpointVersion, "checkpointVersion");
    Objects.requireNonNull(probeId, "probeId");
  }

  /** The root as an absolute path string, the form both readers take. */
  public String path() {
    return root.toAbsolutePath().toString();
  }

  /**
   * Fails unless a reader counted exactly the generated number of active files, so that a
   * benchmark never reports the time of an incomplete read.
   */
  public void requireFileCount(String reader, long counted) {
    if (counted != activeFiles) {
      throw new IllegalStateException(reader + " listed " + counted + " active files in " + root
          + " but the generator wrote " + activeFiles);
    }
  }
}
