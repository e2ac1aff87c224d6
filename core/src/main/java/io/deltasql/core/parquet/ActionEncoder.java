package io.deltasql.core.parquet;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import java.util.Map;

/**
 * Writes one action as the struct of its checkpoint column. File actions are written as
 * table state: {@code dataChange} is {@code false}, as Delta Spark and Kernel write it.
 */
final class ActionEncoder {
  private ActionEncoder() {}

  /**
   * The checkpoint column of {@code action}. Commit-only actions ({@code commitInfo},
   * {@code cdc}) and {@code sidecar} (V2 manifests only) have none.
   */
  static ActionColumn column(Action action) {
    return ActionColumn.byName(action.key())
        .filter(column -> column != ActionColumn.SIDECAR)
        .orElseThrow(() -> new IllegalArgumentException(
            "A '" + action.key() + "' action has no place in a classic checkpoint"));
  }

  static void encode(Action action, StructWriter out) {
    if (action instanceof AddFile add) {
      add(add, out);
    } else if (action instanceof RemoveFile remove) {
      remove(remove, out);
    } else if (action instanceof Metadata metadata) {
      metadata(metadata, out);
    } else if (action instanceof Protocol protocol) {
      protocol(protocol, out);
    } else if (action instanceof SetTransaction txn) {
      out.string("appId", txn.appId());
      out.int64("version", txn.version());
      out.int64("lastUpdated", txn.lastUpdated());
    } else if (action instanceof DomainMetadata domain) {
      out.string("domain", domain.domain());
      out.string("configuration", domain.configuration());
      out.bool("removed", domain.removed());
    } else if (action instanceof CheckpointMetadata checkpoint) {
      out.int64("version", checkpoint.version());
      tags(out, checkpoint.tags());
    } else {
      throw new IllegalArgumentException("A '" + action.key() + "' action has no place in a"
          + " classic checkpoint");
    }
  }

  private static void add(AddFile add, StructWriter out) {
    out.string("path", add.path());
    out.stringMap("partitionValues", add.partitionValues());
    out.int64("size", add.size());
    out.int64("modificationTime", add.modificationTime());
    out.bool("dataChange", false);
    tags(out, add.tags());
    add.deletionVector().ifPresent(dv -> out.struct("deletionVector", s -> deletionVector(dv, s)));
    out.int64("baseRowId", add.baseRowId());
    out.int64("defaultRowCommitVersion", add.defaultRowCommitVersion());
    out.string("clusteringProvider", add.clusteringProvider());
    out.string("stats", add.stats());
  }

  private static void remove(RemoveFile remove, StructWriter out) {
    out.string("path", remove.path());
    out.int64("deletionTimestamp", remove.deletionTimestamp());
    out.bool("dataChange", false);
    remove.extendedFileMetadata().ifPresent(v -> out.bool("extendedFileMetadata", v));
    remove.partitionValues().ifPresent(values -> out.stringMap("partitionValues", values));
    out.int64("size", remove.size());
    remove.deletionVector().ifPresent(dv -> out.struct("deletionVector", s -> deletionVector(dv, s)));
    out.int64("baseRowId", remove.baseRowId());
    out.int64("defaultRowCommitVersion", remove.defaultRowCommitVersion());
  }

  private static void metadata(Metadata metadata, StructWriter out) {
    out.string("id", metadata.id());
    out.string("name", metadata.name());
    out.string("description", metadata.description());
    out.struct("format", format -> {
      format.string("provider", metadata.format().provider());
      format.stringMap("options", metadata.format().options());
    });
    out.string("schemaString", metadata.schemaString());
    out.stringList("partitionColumns", metadata.partitionColumns());
    out.stringMap("configuration", metadata.configuration());
    out.int64("createdTime", metadata.createdTime());
  }

  /** Feature lists are written exactly when the protocol versions support them. */
  private static void protocol(Protocol protocol, StructWriter out) {
    out.int32("minReaderVersion", protocol.minReaderVersion());
    out.int32("minWriterVersion", protocol.minWriterVersion());
    if (protocol.supportsReaderFeatures()) {
      out.stringList("readerFeatures", protocol.readerFeatures());
    }
    if (protocol.supportsWriterFeatures()) {
      out.stringList("writerFeatures", protocol.writerFeatures());
    }
  }

  private static void deletionVector(DeletionVectorDescriptor dv, StructWriter out) {
    out.string("storageType", dv.storageType());
    out.string("pathOrInlineDv", dv.pathOrInlineDv());
    dv.offset().ifPresent(offset -> out.int32("offset", offset));
    out.int32("sizeInBytes", dv.sizeInBytes());
    out.int64("cardinality", dv.cardinality());
  }

  private static void tags(StructWriter out, Map<String, String> tags) {
    if (!tags.isEmpty()) {
      out.stringMap("tags", tags);
    }
  }
}
