package io.deltasql.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.Sidecar;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The content of {@code _delta_log/_last_checkpoint} (PROTOCOL.md, "Last Checkpoint File
 * Schema"): a pointer to a recent checkpoint.
 *
 * @param version the table version of the checkpoint
 * @param size the number of actions in the checkpoint
 * @param parts the number of parts of a multi-part checkpoint
 * @param sizeInBytes the checkpoint's size in bytes
 * @param numOfAddFiles the number of {@code add} actions in the checkpoint
 * @param checkpointSchema the checkpoint's Parquet schema, as JSON (a private copy)
 * @param v2Checkpoint the V2 checkpoint file and its non-file actions, for a V2 checkpoint
 * @param tags additional metadata
 * @param checksum the MD5 checksum the file held, if any; {@link LastCheckpointJson#write}
 *     ignores it and writes the checksum of what it writes
 */
public record LastCheckpoint(
    long version,
    long size,
    Optional<Integer> parts,
    Optional<Long> sizeInBytes,
    Optional<Long> numOfAddFiles,
    Optional<JsonNode> checkpointSchema,
    Optional<V2Checkpoint> v2Checkpoint,
    Map<String, String> tags,
    Optional<String> checksum) {

  public LastCheckpoint {
    Objects.requireNonNull(parts, "parts");
    Objects.requireNonNull(sizeInBytes, "sizeInBytes");
    Objects.requireNonNull(numOfAddFiles, "numOfAddFiles");
    checkpointSchema = checkpointSchema.map(JsonNode::deepCopy);
    Objects.requireNonNull(v2Checkpoint, "v2Checkpoint");
    tags = tags == null || tags.isEmpty()
        ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    Objects.requireNonNull(checksum, "checksum");
  }

  /** A pointer to a single-file checkpoint of {@code size} actions at {@code version}. */
  public static LastCheckpoint of(long version, long size) {
    return new LastCheckpoint(version, size, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
  }

  public LastCheckpoint withChecksum(Optional<String> newChecksum) {
    return new LastCheckpoint(version, size, parts, sizeInBytes, numOfAddFiles, checkpointSchema,
        v2Checkpoint, tags, newChecksum);
  }

  /**
   * The V2 checkpoint a {@code _last_checkpoint} points to, with the non-file actions and the
   * sidecars it holds, so that a reader can skip reading the checkpoint file itself.
   *
   * @param path the checkpoint file name in {@code _delta_log}
   * @param sizeInBytes its size
   * @param modificationTime its modification time in ms since the epoch
   * @param nonFileActions its protocol, metadata, checkpointMetadata, txn... actions
   * @param sidecarFiles the sidecar files it references
   */
  public record V2Checkpoint(
      String path,
      long sizeInBytes,
      long modificationTime,
      Optional<List<Action>> nonFileActions,
      Optional<List<Sidecar>> sidecarFiles) {

    public V2Checkpoint {
      Objects.requireNonNull(path, "path");
      nonFileActions = nonFileActions.map(List::copyOf);
      sidecarFiles = sidecarFiles.map(List::copyOf);
    }
  }
}
