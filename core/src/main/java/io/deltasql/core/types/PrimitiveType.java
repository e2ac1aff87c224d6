package io.deltasql.core.types;

import java.util.Arrays;
import java.util.Optional;

/** The primitive Delta types, named as PROTOCOL.md names them in the schema JSON. */
public enum PrimitiveType implements DataType {
  STRING("string"),
  LONG("long"),
  INTEGER("integer"),
  SHORT("short"),
  BYTE("byte"),
  FLOAT("float"),
  DOUBLE("double"),
  BOOLEAN("boolean"),
  BINARY("binary"),
  DATE("date"),
  /** Microsecond instant, adjusted to UTC. */
  TIMESTAMP("timestamp"),
  /** Microsecond local date-time, no time zone (feature {@code timestampNtz}). */
  TIMESTAMP_NTZ("timestamp_ntz"),
  /** Semi-structured value (feature {@code variantType}). */
  VARIANT("variant");

  private final String typeName;

  PrimitiveType(String typeName) {
    this.typeName = typeName;
  }

  @Override
  public String typeName() {
    return typeName;
  }

  /** The primitive type of this name, if it is one. */
  public static Optional<PrimitiveType> fromName(String name) {
    return Arrays.stream(values()).filter(t -> t.typeName.equals(name)).findFirst();
  }
}
