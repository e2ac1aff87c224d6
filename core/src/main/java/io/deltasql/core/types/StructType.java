package io.deltasql.core.types;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A struct: the type of a table's schema and of nested records. */
public record StructType(List<StructField> fields) implements DataType {
  public StructType {
    fields = List.copyOf(fields);
  }

  @Override
  public String typeName() {
    return "struct";
  }

  /** The field of this name, matched case-insensitively as Delta column names are. */
  public Optional<StructField> field(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return fields.stream().filter(f -> f.name().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
  }

  /** The names of the fields, in order. */
  public List<String> fieldNames() {
    return fields.stream().map(StructField::name).toList();
  }
}
