package io.deltasql.core.parquet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a written checkpoint holds: the fields of {@code _delta_log/_last_checkpoint}
 * (PROTOCOL.md, "Last Checkpoint File Schema").
 *
 * @param path the checkpoint file's storage path
 * @param version the table version the checkpoint describes
 * @param size the number of actions (rows) in the checkpoint
 * @param sizeInBytes the size of the checkpoint file
 * @param numOfAddFiles the number of {@code add} actions in the checkpoint
 */
public record CheckpointInfo(String path, long version, long size, long sizeInBytes,
    long numOfAddFiles) {

  public CheckpointInfo {
    Objects.requireNonNull(path, "path");
  }

  /**
   * The {@code _last_checkpoint} JSON pointing to this checkpoint, e.g.
   * {@code {"version":10,"size":13,"sizeInBytes":16479,"numOfAddFiles":6}}. The optional
   * {@code checkpointSchema} and {@code checksum} fields are not written.
   */
  public String toLastCheckpointJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("version", version);
    json.put("size", size);
    json.put("sizeInBytes", sizeInBytes);
    json.put("numOfAddFiles", numOfAddFiles);
    return json.toString();
  }
}
