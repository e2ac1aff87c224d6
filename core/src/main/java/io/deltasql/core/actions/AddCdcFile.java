package io.deltasql.core.actions;

import java.util.Map;
import java.util.Objects;

/** The {@code cdc} action: a change data file of the commit (never part of a snapshot). */
public record AddCdcFile(
    String path, Map<String, String> partitionValues, long size, boolean dataChange, Map<String, String> tags)
    implements Action {
  public AddCdcFile {
    Objects.requireNonNull(path, "path");
    partitionValues = Maps.copyOf(partitionValues);
    tags = Maps.copyOf(tags);
  }

  @Override
  public String key() {
    return "cdc";
  }
}
