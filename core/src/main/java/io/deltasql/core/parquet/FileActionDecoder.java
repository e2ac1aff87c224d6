package io.deltasql.core.parquet;

import static io.deltasql.core.parquet.GroupValues.bool;
import static io.deltasql.core.parquet.GroupValues.integer;
import static io.deltasql.core.parquet.GroupValues.optionalStringMap;
import static io.deltasql.core.parquet.GroupValues.requiredInt;
import static io.deltasql.core.parquet.GroupValues.requiredLong;
import static io.deltasql.core.parquet.GroupValues.requiredString;
import static io.deltasql.core.parquet.GroupValues.string;
import static io.deltasql.core.parquet.GroupValues.stringMap;
import static io.deltasql.core.parquet.GroupValues.struct;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.RemoveFile;
import java.util.Optional;
import org.apache.parquet.example.data.Group;

/**
 * Decodes the {@code add} and {@code remove} structs of a checkpoint row.
 *
 * <p>Stats: the JSON {@code stats} string is used when it is non-null. Otherwise (a file
 * written with {@code delta.checkpoint.writeStatsAsJson=false}, or by delta-rs, which
 * leaves {@code stats} null beside a filled {@code stats_parsed}) the typed
 * {@code stats_parsed} values are serialized back to the JSON form of PROTOCOL.md
 * "Per-file Statistics" (see {@link ParsedStats}). {@code partitionValues_parsed}
 * is never read: the string map {@code partitionValues} is authoritative.
 *
 * <p>{@code dataChange} is {@code false} when absent: it carries no meaning in a checkpoint.
 */
final class FileActionDecoder {
  private static final String ADD = "add";
  private static final String REMOVE = "remove";
  private static final String DV = "deletionVector";

  private FileActionDecoder() {}

  static AddFile add(Group add, boolean withStats) {
    return new AddFile(
        requiredString(add, ADD, "path"),
        stringMap(add, "partitionValues"),
        requiredLong(add, ADD, "size"),
        requiredLong(add, ADD, "modificationTime"),
        bool(add, "dataChange").orElse(false),
        withStats ? addStats(add) : Optional.empty(),
        stringMap(add, "tags"),
        struct(add, DV).map(FileActionDecoder::deletionVector),
        integer(add, "baseRowId"),
        integer(add, "defaultRowCommitVersion"),
        string(add, "clusteringProvider"));
  }

  static RemoveFile remove(Group remove, boolean withStats) {
    return new RemoveFile(
        requiredString(remove, REMOVE, "path"),
        integer(remove, "deletionTimestamp"),
        bool(remove, "dataChange").orElse(false),
        bool(remove, "extendedFileMetadata"),
        optionalStringMap(remove, "partitionValues"),
        integer(remove, "size"),
        withStats ? string(remove, "stats") : Optional.empty(),
        stringMap(remove, "tags"),
        struct(remove, DV).map(FileActionDecoder::deletionVector),
        integer(remove, "baseRowId"),
        integer(remove, "defaultRowCommitVersion"));
  }

  private static Optional<String> addStats(Group add) {
    return string(add, "stats").or(() -> struct(add, "stats_parsed").map(ParsedStats::toJson));
  }

  private static DeletionVectorDescriptor deletionVector(Group dv) {
    return new DeletionVectorDescriptor(
        requiredString(dv, DV, "storageType"),
        requiredString(dv, DV, "pathOrInlineDv"),
        integer(dv, "offset").map(Math::toIntExact),
        requiredInt(dv, DV, "sizeInBytes"),
        requiredLong(dv, DV, "cardinality"));
  }
}
