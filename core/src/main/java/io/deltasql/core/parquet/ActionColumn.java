package io.deltasql.core.parquet;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The top-level struct columns of a checkpoint, one per kind of action it can hold
 * (PROTOCOL.md, "Checkpoints"). A checkpoint row has exactly one of them non-null.
 * {@code commitInfo} and {@code cdc} are never part of a checkpoint and are not listed.
 */
public enum ActionColumn {
  /** {@code txn}: application transaction versions. */
  TXN("txn", Set.of("appId", "version"),
      Set.of("appId", "version", "lastUpdated")),
  /** {@code add}: the active files. */
  ADD("add", Set.of("path", "size", "modificationTime"),
      Set.of("path", "partitionValues", "size", "modificationTime", "dataChange", "stats",
          "stats_parsed", "tags", "deletionVector", "baseRowId", "defaultRowCommitVersion",
          "clusteringProvider")),
  /** {@code remove}: tombstones kept for VACUUM. */
  REMOVE("remove", Set.of("path"),
      Set.of("path", "deletionTimestamp", "dataChange", "extendedFileMetadata", "partitionValues",
          "size", "stats", "tags", "deletionVector", "baseRowId", "defaultRowCommitVersion")),
  /** {@code metaData}: the table metadata. */
  METADATA("metaData", Set.of("id", "schemaString"),
      Set.of("id", "name", "description", "format", "schemaString", "partitionColumns",
          "configuration", "createdTime")),
  /** {@code protocol}: reader and writer versions and features. */
  PROTOCOL("protocol", Set.of("minReaderVersion", "minWriterVersion"),
      Set.of("minReaderVersion", "minWriterVersion", "readerFeatures", "writerFeatures")),
  /** {@code domainMetadata}: live metadata domains. */
  DOMAIN_METADATA("domainMetadata", Set.of("domain", "configuration"),
      Set.of("domain", "configuration", "removed")),
  /** {@code checkpointMetadata}: the version of a V2-spec checkpoint. */
  CHECKPOINT_METADATA("checkpointMetadata", Set.of("version"), Set.of("version", "tags")),
  /** {@code sidecar}: a sidecar file of a V2-spec checkpoint. */
  SIDECAR("sidecar", Set.of("path", "sizeInBytes", "modificationTime"),
      Set.of("path", "sizeInBytes", "modificationTime", "tags"));

  private final String columnName;
  private final Set<String> requiredFields;
  private final Set<String> knownFields;

  ActionColumn(String columnName, Set<String> requiredFields, Set<String> knownFields) {
    this.columnName = columnName;
    this.requiredFields = requiredFields;
    this.knownFields = knownFields;
  }

  /** The column's name in the Parquet file, which is also the action's key in JSON. */
  public String columnName() {
    return columnName;
  }

  /** The column of this name, if it is an action column. */
  public static Optional<ActionColumn> byName(String name) {
    return Arrays.stream(values()).filter(c -> c.columnName.equals(name)).findFirst();
  }

  /** Fields without which the action cannot be decoded: their absence means corruption. */
  Set<String> requiredFields() {
    return requiredFields;
  }

  /** Fields the reader decodes; any other field of the struct is not read. */
  Set<String> knownFields() {
    return knownFields;
  }
}
