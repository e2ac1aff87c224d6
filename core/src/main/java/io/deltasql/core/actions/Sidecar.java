package io.deltasql.core.actions;

import java.util.Map;
import java.util.Objects;

/** The {@code sidecar} action of a V2 checkpoint: a file in {@code _delta_log/_sidecars/}. */
public record Sidecar(String path, long sizeInBytes, long modificationTime, Map<String, String> tags)
    implements Action {
  public Sidecar {
    Objects.requireNonNull(path, "path");
    tags = Maps.copyOf(tags);
  }

  @Override
  public String key() {
    return "sidecar";
  }
}
