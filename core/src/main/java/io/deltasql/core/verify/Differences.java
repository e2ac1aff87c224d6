package io.deltasql.core.verify;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Says which fields of two values differ, briefly, for a finding's detail. */
final class Differences {
  private static final int MAX_VALUE_CHARS = 160;

  private Differences() {}

  /**
   * "{@code field: catalog=… log=…}" for each record component that differs, joined by
   * "; ", or both values whole when they are not records of one class.
   */
  static String describe(Object catalog, Object log) {
    if (catalog != null && log != null && catalog.getClass() == log.getClass() && catalog.getClass().isRecord()) {
      List<String> fields = new ArrayList<>();
      for (RecordComponent component : catalog.getClass().getRecordComponents()) {
        Object a = value(component, catalog);
        Object b = value(component, log);
        if (!Objects.equals(a, b)) {
          fields.add(component.getName() + ": catalog=" + brief(a) + " log=" + brief(b));
        }
      }
      if (!fields.isEmpty()) {
        return String.join("; ", fields);
      }
    }
    return "catalog=" + brief(catalog) + " log=" + brief(log);
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
