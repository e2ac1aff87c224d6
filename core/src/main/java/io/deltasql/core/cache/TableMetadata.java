package io.deltasql.core.cache;

import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.types.StructType;
import java.util.List;
import java.util.Objects;

/**
 * What a browse or {@code DESCRIBE} needs of a table at one version: its protocol, its
 * metadata and the parsed schema, without the file list.
 *
 * @param tableId the catalog id of the table
 * @param version the version described
 * @param protocol the protocol in force
 * @param metadata the metadata in force
 * @param schema the parsed schema of {@code metadata}
 */
public record TableMetadata(long tableId, long version, Protocol protocol, Metadata metadata, StructType schema) {
  public TableMetadata {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(schema, "schema");
  }

  /** The partition columns, in order. */
  public List<String> partitionColumns() {
    return metadata.partitionColumns();
  }
}
