package io.deltasql.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rows in a form that compares by value: {@code byte[]} as hex text, structs ({@code Object[]})
 * as lists, maps as hash maps (order does not count). Floats and doubles compare as Java's
 * {@code equals} does (NaN equals NaN). Multisets of rows count each distinct row.
 */
final class Rows {
  private Rows() {}

  static Object normalise(Object value) {
    if (value instanceof byte[] bytes) {
      return "0x" + HexFormat.of().formatHex(bytes);
    }
    if (value instanceof Object[] struct) {
      return Arrays.stream(struct).map(Rows::normalise).toList();
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(e -> out.add(normalise(e)));
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new HashMap<>();
      map.forEach((k, v) -> out.put(normalise(k), normalise(v)));
      return out;
    }
    return value;
  }

  /** The rows as a multiset: each normalised row and how often it occurs. */
  static Map<Object, Long> multiset(List<Object[]> rows) {
    Map<Object, Long> counts = new HashMap<>();
    for (Object[] row : rows) {
      counts.merge(normalise(row), 1L, Long::sum);
    }
    return counts;
  }

  /** A sorted, readable rendering for failure messages. */
  static String render(Map<Object, Long> multiset) {
    Map<String, Long> sorted = new TreeMap<>();
    multiset.forEach((row, n) -> sorted.put(String.valueOf(row), n));
    StringBuilder out = new StringBuilder();
    sorted.forEach((row, n) -> out.append(n).append(" x ").append(row).append('\n'));
    return out.toString();
  }
}
