package io.deltasql.core.types;

import java.util.Objects;

/** A map from {@code keyType} to {@code valueType}. */
public record MapType(DataType keyType, DataType valueType, boolean valueContainsNull)
    implements DataType {
  public MapType {
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
  }

  @Override
  public String typeName() {
    return "map";
  }
}
