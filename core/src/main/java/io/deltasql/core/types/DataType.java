package io.deltasql.core.types;

/**
 * A Delta column type, as written in a table's {@code schemaString}.
 *
 * <p>Primitive types are {@link PrimitiveType}; the parameterised and nested ones are
 * {@link DecimalType}, {@link ArrayType}, {@link MapType} and {@link StructType}.
 */
public sealed interface DataType permits PrimitiveType, DecimalType, ArrayType, MapType, StructType {

  /** The type as Delta names it in a schema, e.g. {@code long} or {@code decimal(10,2)}. */
  String typeName();
}
