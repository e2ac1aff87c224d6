package io.deltasql.core.log;

import java.util.List;

/**
 * A complete checkpoint: one classic file, every part of a multi-part checkpoint, or one
 * V2 checkpoint manifest (whose sidecars are read from it).
 */
public record Checkpoint(long version, List<LogFile> files) {
  public Checkpoint {
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a checkpoint has at least one file");
    }
  }

  /** Whether this is a V2 checkpoint (a manifest that may point at sidecars). */
  public boolean isV2() {
    LogFile.Kind kind = files.get(0).kind();
    return kind == LogFile.Kind.V2_CHECKPOINT_JSON || kind == LogFile.Kind.V2_CHECKPOINT_PARQUET;
  }
}
