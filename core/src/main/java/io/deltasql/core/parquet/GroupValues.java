package io.deltasql.core.parquet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Typed reads of one field of a decoded Parquet struct, where a field may be missing from
 * the file's schema or null in the row. Maps and lists are read by position, so the
 * {@code key_value}/{@code entries} and {@code list}/{@code element} spellings of
 * different writers all work.
 */
final class GroupValues {
  private GroupValues() {}

  /** Whether the field exists in the schema and is non-null in this row. */
  static boolean has(Group group, String field) {
    return group.getType().containsField(field) && group.getFieldRepetitionCount(field) > 0;
  }

  static Optional<Group> struct(Group group, String field) {
    return has(group, field) ? Optional.of(group.getGroup(field, 0)) : Optional.empty();
  }

  static Optional<String> string(Group group, String field) {
    return has(group, field) ? Optional.of(group.getString(field, 0)) : Optional.empty();
  }

  static Optional<Boolean> bool(Group group, String field) {
    return has(group, field) ? Optional.of(group.getBoolean(field, 0)) : Optional.empty();
  }

  /** An INT32 or INT64 field as a long (writers differ in the width they use). */
  static Optional<Long> integer(Group group, String field) {
    if (!has(group, field)) {
      return Optional.empty();
    }
    Type type = group.getType().getType(field);
    PrimitiveTypeName kind = type.isPrimitive() ? type.asPrimitiveType().getPrimitiveTypeName() : null;
    if (kind == PrimitiveTypeName.INT64) {
      return Optional.of(group.getLong(field, 0));
    }
    if (kind == PrimitiveTypeName.INT32) {
      return Optional.of((long) group.getInteger(field, 0));
    }
    throw new MalformedActionException("field '" + field + "' is " + type + ", not an integer");
  }

  static String requiredString(Group group, String column, String field) {
    return string(group, field).orElseThrow(() -> nullField(column, field));
  }

  static long requiredLong(Group group, String column, String field) {
    return integer(group, field).orElseThrow(() -> nullField(column, field));
  }

  static int requiredInt(Group group, String column, String field) {
    return Math.toIntExact(requiredLong(group, column, field));
  }

  /** A {@code map<string,string>} field; empty when absent or null. Values may be null. */
  static Map<String, String> stringMap(Group group, String field) {
    return optionalStringMap(group, field).orElse(Map.of());
  }

  /** A {@code map<string,string>} field, empty only when absent or null. */
  static Optional<Map<String, String>> optionalStringMap(Group group, String field) {
    Optional<Group> map = struct(group, field);
    if (map.isEmpty()) {
      return Optional.empty();
    }
    Group entries = map.get();
    Map<String, String> result = new LinkedHashMap<>();
    int count = entries.getType().getFieldCount() == 0 ? 0 : entries.getFieldRepetitionCount(0);
    for (int i = 0; i < count; i++) {
      Group entry = entries.getGroup(0, i);
      String value = entry.getFieldRepetitionCount(1) > 0 ? entry.getString(1, 0) : null;
      result.put(entry.getString(0, 0), value);
    }
    return Optional.of(Collections.unmodifiableMap(result));
  }

  /** A {@code list<string>} field; empty when absent or null. */
  static List<String> stringList(Group group, String column, String field) {
    Optional<Group> list = struct(group, field);
    if (list.isEmpty()) {
      return List.of();
    }
    Group elements = list.get();
    GroupType type = elements.getType();
    int count = type.getFieldCount() == 0 ? 0 : elements.getFieldRepetitionCount(0);
    boolean threeLevel = count > 0 && !type.getType(0).isPrimitive();
    List<String> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String value;
      if (threeLevel) {
        Group element = elements.getGroup(0, i);
        value = element.getFieldRepetitionCount(0) > 0 ? element.getString(0, 0) : null;
      } else {
        value = elements.getString(0, i);
      }
      if (value == null) {
        throw new MalformedActionException("'" + column + "." + field + "' holds a null element");
      }
      result.add(value);
    }
    return result;
  }

  static Set<String> stringSet(Group group, String column, String field) {
    return new LinkedHashSet<>(stringList(group, column, field));
  }

  private static MalformedActionException nullField(String column, String field) {
    return new MalformedActionException("'" + column + "." + field + "' is null in a non-null '"
        + column + "' action");
  }
}
