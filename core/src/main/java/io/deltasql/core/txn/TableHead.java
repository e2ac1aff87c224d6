package io.deltasql.core.txn;

import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import java.util.Objects;

/**
 * What the catalog knows of a table's latest committed version, as validation needs it.
 *
 * @param table the table's catalog identifier
 * @param version its current version
 * @param protocol the protocol in force
 * @param metadata the metadata in force
 * @param activeFileCount how many files are active (0 for an empty table)
 * @param unmirroredVersions committed versions not yet mirrored to {@code _delta_log}
 * @param diverged whether a foreign writer wrote the table's {@code _delta_log}
 */
public record TableHead(
    String table, long version, Protocol protocol, Metadata metadata, long activeFileCount,
    long unmirroredVersions, boolean diverged) {

  public TableHead {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(metadata, "metadata");
    if (version < 0 || activeFileCount < 0 || unmirroredVersions < 0) {
      throw new IllegalArgumentException("version, active file count and unmirrored versions of table '"
          + table + "' must not be negative");
    }
  }
}
