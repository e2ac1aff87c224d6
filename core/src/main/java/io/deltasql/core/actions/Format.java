package io.deltasql.core.actions;

import java.util.Map;
import java.util.Objects;

/** The data file format of a table: always {@code parquet} in practice. */
public record Format(String provider, Map<String, String> options) {
  public static final Format PARQUET = new Format("parquet", Map.of());

  public Format {
    Objects.requireNonNull(provider, "provider");
    options = Maps.copyOf(options);
  }
}
