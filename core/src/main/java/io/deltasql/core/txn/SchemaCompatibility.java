package io.deltasql.core.txn;

import io.deltasql.core.txn.ConsistencyViolation.SchemaIncompatible;
import io.deltasql.core.txn.ConsistencyViolation.SchemaIncompatible.Kind;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a new schema still describes the data a table keeps. Columns are matched by
 * name, case-insensitively (as Delta matches them; column mapping, which would allow
 * renames and drops, is unsupported while in use). Allowed: adding nullable columns (also
 * inside structs), relaxing NOT NULL, changing the case of a name. Everything else that
 * the existing files would contradict is reported, nested fields included.
 */
final class SchemaCompatibility {
  private final String table;
  private final List<ConsistencyViolation> out;

  private SchemaCompatibility(String table, List<ConsistencyViolation> out) {
    this.table = table;
    this.out = out;
  }

  /** Adds a violation to {@code out} for every incompatible difference from {@code current} to {@code next}. */
  static void check(String table, StructType current, StructType next, List<ConsistencyViolation> out) {
    new SchemaCompatibility(table, out).struct("", current, next);
  }

  /** Adds a violation if the partition columns differ (names compared case-insensitively, in order). */
  static void checkPartitioning(String table, List<String> current, List<String> next,
      List<ConsistencyViolation> out) {
    if (!lower(current).equals(lower(next))) {
      out.add(new SchemaIncompatible(table, String.join(", ", next), Kind.PARTITIONING_CHANGED,
          "the table is partitioned by " + current + " and its files are laid out that way; the new"
              + " partitioning " + next + " would not describe them"));
    }
  }

  private static List<String> lower(List<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  private void struct(String prefix, StructType current, StructType next) {
    for (StructField old : current.fields()) {
      String path = prefix + old.name();
      Optional<StructField> match = next.field(old.name());
      if (match.isEmpty()) {
        out.add(new SchemaIncompatible(table, path, Kind.DROPPED_COLUMN,
            "column '" + path + "' is dropped but the table's data files still hold it"));
        continue;
      }
      StructField now = match.get();
      if (old.nullable() && !now.nullable()) {
        out.add(new SchemaIncompatible(table, path, Kind.NULLABILITY_TIGHTENED,
            "column '" + path + "' becomes NOT NULL but existing rows may hold nulls"));
      }
      type(path, old.type(), now.type());
    }
    for (StructField added : next.fields()) {
      if (current.field(added.name()).isEmpty() && !added.nullable()) {
        String path = prefix + added.name();
        out.add(new SchemaIncompatible(table, path, Kind.NOT_NULL_COLUMN_ADDED,
            "column '" + path + "' is added as NOT NULL but existing rows have no value for it;"
                + " add it as nullable"));
      }
    }
  }

  private void type(String path, DataType old, DataType now) {
    if (old instanceof StructType a && now instanceof StructType b) {
      struct(path + ".", a, b);
    } else if (old instanceof ArrayType a && now instanceof ArrayType b) {
      if (a.containsNull() && !b.containsNull()) {
        out.add(new SchemaIncompatible(table, path + ".element", Kind.NULLABILITY_TIGHTENED,
            "the elements of '" + path + "' become NOT NULL but existing arrays may hold nulls"));
      }
      type(path + ".element", a.elementType(), b.elementType());
    } else if (old instanceof MapType a && now instanceof MapType b) {
      type(path + ".key", a.keyType(), b.keyType());
      if (a.valueContainsNull() && !b.valueContainsNull()) {
        out.add(new SchemaIncompatible(table, path + ".value", Kind.NULLABILITY_TIGHTENED,
            "the values of '" + path + "' become NOT NULL but existing maps may hold nulls"));
      }
      type(path + ".value", a.valueType(), b.valueType());
    } else if (!old.equals(now)) {
      out.add(new SchemaIncompatible(table, path, Kind.TYPE_CHANGED,
          "column '" + path + "' changes type from " + old.typeName() + " to " + now.typeName()
              + " but the table's data files hold " + old.typeName()));
    }
  }
}
