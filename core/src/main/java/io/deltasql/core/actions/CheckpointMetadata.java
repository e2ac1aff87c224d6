package io.deltasql.core.actions;

import java.util.Map;

/** The {@code checkpointMetadata} action of a V2 checkpoint. */
public record CheckpointMetadata(long version, Map<String, String> tags) implements Action {
  public CheckpointMetadata {
    tags = Maps.copyOf(tags);
  }

  @Override
  public String key() {
    return "checkpointMetadata";
  }
}
