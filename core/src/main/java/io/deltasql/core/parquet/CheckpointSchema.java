package io.deltasql.core.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;

/**
 * The Parquet schema of the checkpoints deltasql writes: the one Delta Spark 3.x writes
 * (every field optional, maps as {@code key_value} groups, lists as {@code list/element}),
 * with {@code stats} as a JSON string and no {@code stats_parsed}. As PROTOCOL.md asks,
 * {@code remove} has no {@code stats} or {@code tags}, and there is no {@code commitInfo}
 * or {@code cdc} column. {@code checkpointMetadata} is added for V2-spec checkpoints.
 */
final class CheckpointSchema {
  private static final String STRING_MAP = """
      (MAP) {
        repeated group key_value {
          required binary key (STRING);
          optional binary value (STRING);
        }
      }""";

  private static final String DELETION_VECTOR = """
      optional group deletionVector {
        optional binary storageType (STRING);
        optional binary pathOrInlineDv (STRING);
        optional int32 offset;
        optional int32 sizeInBytes;
        optional int64 cardinality;
        optional int64 maxRowIndex;
      }""";

  private static final String TEXT = """
      message spark_schema {
        optional group txn {
          optional binary appId (STRING);
          optional int64 version;
          optional int64 lastUpdated;
        }
        optional group add {
          optional binary path (STRING);
          optional group partitionValues %1$s
          optional int64 size;
          optional int64 modificationTime;
          optional boolean dataChange;
          optional group tags %1$s
          %2$s
          optional int64 baseRowId;
          optional int64 defaultRowCommitVersion;
          optional binary clusteringProvider (STRING);
          optional binary stats (STRING);
        }
        optional group remove {
          optional binary path (STRING);
          optional int64 deletionTimestamp;
          optional boolean dataChange;
          optional boolean extendedFileMetadata;
          optional group partitionValues %1$s
          optional int64 size;
          %2$s
          optional int64 baseRowId;
          optional int64 defaultRowCommitVersion;
        }
        optional group metaData {
          optional binary id (STRING);
          optional binary name (STRING);
          optional binary description (STRING);
          optional group format {
            optional binary provider (STRING);
            optional group options %1$s
          }
          optional binary schemaString (STRING);
          optional group partitionColumns (LIST) {
            repeated group list {
              optional binary element (STRING);
            }
          }
          optional group configuration %1$s
          optional int64 createdTime;
        }
        optional group protocol {
          optional int32 minReaderVersion;
          optional int32 minWriterVersion;
          optional group readerFeatures (LIST) {
            repeated group list {
              optional binary element (STRING);
            }
          }
          optional group writerFeatures (LIST) {
            repeated group list {
              optional binary element (STRING);
            }
          }
        }
        optional group domainMetadata {
          optional binary domain (STRING);
          optional binary configuration (STRING);
          optional boolean removed;
        }
        optional group checkpointMetadata {
          optional int64 version;
          optional group tags %1$s
        }
      }
      """.formatted(STRING_MAP, DELETION_VECTOR);

  /** The schema of a V2-spec checkpoint: with the {@code checkpointMetadata} column. */
  static final MessageType V2 = MessageTypeParser.parseMessageType(TEXT);

  /** The schema of a V1-spec checkpoint. */
  static final MessageType V1 = without(V2, ActionColumn.CHECKPOINT_METADATA.columnName());

  private CheckpointSchema() {}

  private static MessageType without(MessageType schema, String column) {
    List<Type> fields = new ArrayList<>(schema.getFields());
    fields.removeIf(f -> f.getName().equals(column));
    return new MessageType(schema.getName(), fields);
  }
}
