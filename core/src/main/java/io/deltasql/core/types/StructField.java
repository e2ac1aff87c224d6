package io.deltasql.core.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One field of a {@link StructType}. {@code metadata} is the field's metadata object as
 * written in the schema (column-mapping ids and physical names, comments, collations,
 * type changes, invariants...), kept as JSON so that it round-trips byte for byte.
 * It is a private copy: callers must not modify it.
 */
public record StructField(String name, DataType type, boolean nullable, ObjectNode metadata) {
  public static final String COLUMN_MAPPING_ID = "delta.columnMapping.id";
  public static final String COLUMN_MAPPING_PHYSICAL_NAME = "delta.columnMapping.physicalName";

  public StructField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(metadata, "metadata");
  }

  /** The name of this column in the data files: the column-mapping physical name, or the name. */
  public String physicalName() {
    return Optional.ofNullable(metadata.get(COLUMN_MAPPING_PHYSICAL_NAME))
        .map(n -> n.asText())
        .orElse(name);
  }

  /** The column-mapping id, if the table uses column mapping. */
  public Optional<Long> columnMappingId() {
    return Optional.ofNullable(metadata.get(COLUMN_MAPPING_ID)).map(n -> n.asLong());
  }
}
