package io.deltasql.core.data;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.Type;

/**
 * Finds a table's columns in one data file's Parquet schema: by name, physical name or field id
 * (the table's column mapping mode), through nested structs, lists (three-level, and the older
 * two-level forms) and maps. Also prunes the file schema to the columns a read needs.
 */
final class FileColumns {
  private final ColumnMappingMode mode;
  private final String file;

  FileColumns(ColumnMappingMode mode, String file) {
    this.mode = mode;
    this.file = file;
  }

  String file() {
    return file;
  }

  /**
   * The index in {@code group} of the file field holding {@code field}, or -1 if the file does
   * not have it (its values are then null). In {@code id} mode a file without any field id is
   * read by physical names.
   */
  int find(GroupType group, StructField field) {
    switch (mode) {
      case ID -> {
        Optional<Long> id = field.columnMappingId();
        boolean fileHasIds = false;
        for (int i = 0; i < group.getFieldCount(); i++) {
          Type.ID fileId = group.getType(i).getId();
          if (fileId != null) {
            fileHasIds = true;
            if (id.isPresent() && fileId.intValue() == id.get()) {
              return i;
            }
          }
        }
        return fileHasIds && id.isPresent() ? -1 : byName(group, field.physicalName(), false);
      }
      case NAME -> {
        return byName(group, field.physicalName(), false);
      }
      default -> {
        return byName(group, field.name(), true);
      }
    }
  }

  private static int byName(GroupType group, String name, boolean ignoreCase) {
    for (int i = 0; i < group.getFieldCount(); i++) {
      if (group.getType(i).getName().equals(name)) {
        return i;
      }
    }
    if (ignoreCase) {
      String wanted = name.toLowerCase(Locale.ROOT);
      for (int i = 0; i < group.getFieldCount(); i++) {
        if (group.getType(i).getName().toLowerCase(Locale.ROOT).equals(wanted)) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * The part of {@code fileType} that a read of a column of {@code type} needs: struct fields
   * the table does not know are dropped (a struct none of whose fields is in the file keeps one
   * field, to tell a null struct from a struct of nulls).
   */
  Type prune(DataType type, Type fileType, String column) {
    if (type == PrimitiveType.VARIANT) {
      throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED, "Column '" + column
          + "' is of type variant, which deltasql cannot read yet; select the other columns");
    }
    if (type instanceof StructType struct) {
      GroupType group = requireGroup(fileType, type, column);
      if (isList(group) || isMap(group)) {
        throw mismatch(type, fileType, column);
      }
      List<Type> kept = new ArrayList<>();
      for (StructField field : struct.fields()) {
        int index = find(group, field);
        if (index >= 0) {
          kept.add(prune(field.type(), group.getType(index), column + "." + field.name()));
        }
      }
      if (kept.isEmpty()) {
        kept.add(group.getType(0));
      }
      return group.withNewFields(kept);
    }
    if (type instanceof ArrayType array) {
      GroupType group = requireGroup(fileType, type, column);
      ListShape shape = listShape(group).orElseThrow(() -> mismatch(type, fileType, column));
      Type element = prune(array.elementType(), shape.element(), column + ".element");
      if (shape.twoLevel()) {
        return group.withNewFields(element);
      }
      return group.withNewFields(shape.repeated().asGroupType().withNewFields(element));
    }
    if (type instanceof MapType map) {
      GroupType group = requireGroup(fileType, type, column);
      GroupType entries = mapEntries(group).orElseThrow(() -> mismatch(type, fileType, column));
      List<Type> kv = new ArrayList<>();
      kv.add(prune(map.keyType(), entries.getType(0), column + ".key"));
      if (entries.getFieldCount() > 1) {
        kv.add(prune(map.valueType(), entries.getType(1), column + ".value"));
      }
      return group.withNewFields(entries.withNewFields(kv));
    }
    if (!fileType.isPrimitive()) {
      throw mismatch(type, fileType, column);
    }
    return fileType;
  }

  private GroupType requireGroup(Type fileType, DataType type, String column) {
    if (fileType.isPrimitive()) {
      throw mismatch(type, fileType, column);
    }
    return fileType.asGroupType();
  }

  RuntimeException mismatch(DataType type, Type fileType, String column) {
    return DataErrors.incompatibleColumn(file, column, type, fileType.toString().trim());
  }

  /** Where the elements of a Parquet list are. */
  record ListShape(Type repeated, Type element, boolean twoLevel) {}

  /** The shape of a list group, following the Parquet format's backward-compatibility rules. */
  static Optional<ListShape> listShape(GroupType group) {
    if (group.getFieldCount() != 1 || !group.getType(0).isRepetition(Type.Repetition.REPEATED)
        || isMap(group)) {
      return Optional.empty();
    }
    Type repeated = group.getType(0);
    if (repeated.isPrimitive()) {
      return Optional.of(new ListShape(repeated, repeated, true));
    }
    GroupType repeatedGroup = repeated.asGroupType();
    if (repeatedGroup.getFieldCount() > 1 || repeated.getName().equals("array")
        || repeated.getName().equals(group.getName() + "_tuple")) {
      return Optional.of(new ListShape(repeated, repeated, true));
    }
    return Optional.of(new ListShape(repeated, repeatedGroup.getType(0), false));
  }

  /** The repeated key-value group of a map group (key first, then the optional value). */
  static Optional<GroupType> mapEntries(GroupType group) {
    if (group.getFieldCount() != 1 || group.getType(0).isPrimitive()
        || !group.getType(0).isRepetition(Type.Repetition.REPEATED)) {
      return Optional.empty();
    }
    GroupType entries = group.getType(0).asGroupType();
    if (entries.getFieldCount() < 1 || entries.getFieldCount() > 2) {
      return Optional.empty();
    }
    return Optional.of(entries);
  }

  private static boolean isList(GroupType group) {
    return group.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation;
  }

  private static boolean isMap(GroupType group) {
    LogicalTypeAnnotation logical = group.getLogicalTypeAnnotation();
    return logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
        || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
  }
}
