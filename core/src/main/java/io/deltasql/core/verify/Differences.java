package io.deltasql.core.verify;

import io.deltasql.core.actions.AddFile;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Says which fields of two values differ, briefly, for a finding's detail. */
final class Differences {
  private static final int MAX_VALUE_CHARS = 160;

  /**
   * The fields of an {@link AddFile}, in its constructor's order: a final class with a record's
   * accessors (its stats can stay encoded), which reflection does not list as a record's.
   */
  private static final List<Field> ADD_FILE_FIELDS = List.of(
      addFileField("path", AddFile::path),
      addFileField("partitionValues", AddFile::partitionValues),
      addFileField("size", AddFile::size),
      addFileField("modificationTime", AddFile::modificationTime),
      addFileField("dataChange", AddFile::dataChange),
      addFileField("stats", AddFile::stats),
      addFileField("tags", AddFile::tags),
      addFileField("deletionVector", AddFile::deletionVector),
      addFileField("baseRowId", AddFile::baseRowId),
      addFileField("defaultRowCommitVersion", AddFile::defaultRowCommitVersion),
      addFileField("clusteringProvider", AddFile::clusteringProvider));

  private Differences() {}

  /**
   * "{@code field: catalog=… log=…}" for each field that differs, joined by "; ", or both values
   * whole when they are not records (or {@link AddFile}s) of one class.
   */
  static String describe(Object catalog, Object log) {
    if (catalog != null && log != null && catalog.getClass() == log.getClass()) {
      List<String> differing = new ArrayList<>();
      for (Field field : fields(catalog.getClass())) {
        Object a = field.value(catalog);
        Object b = field.value(log);
        if (!Objects.equals(a, b)) {
          differing.add(field.name() + ": catalog=" + brief(a) + " log=" + brief(b));
        }
      }
      if (!differing.isEmpty()) {
        return String.join("; ", differing);
      }
    }
    return "catalog=" + brief(catalog) + " log=" + brief(log);
  }

  /** A named field and how to read it. */
  private record Field(String name, Function<Object, Object> reader) {
    Object value(Object of) {
      return reader.apply(of);
    }
  }

  private static Field addFileField(String name, Function<AddFile, Object> accessor) {
    return new Field(name, value -> accessor.apply((AddFile) value));
  }

  private static List<Field> fields(Class<?> type) {
    if (type == AddFile.class) {
      return ADD_FILE_FIELDS;
    }
    if (!type.isRecord()) {
      return List.of();
    }
    List<Field> fields = new ArrayList<>();
    for (RecordComponent component : type.getRecordComponents()) {
      fields.add(new Field(component.getName(), record -> value(component, record)));
    }
    return fields;
  }

  private static Object value(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return "<" + component.getName() + " unreadable: " + e + ">";
    }
  }

  static String brief(Object value) {
    String s = String.valueOf(value);
    return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "…(" + s.length() + " chars)";
  }
}
