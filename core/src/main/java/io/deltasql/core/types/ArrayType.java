package io.deltasql.core.types;

import java.util.Objects;

/** An array of {@code elementType}; {@code containsNull} says whether elements may be null. */
public record ArrayType(DataType elementType, boolean containsNull) implements DataType {
  public ArrayType {
    Objects.requireNonNull(elementType, "elementType");
  }

  @Override
  public String typeName() {
    return "array";
  }
}
