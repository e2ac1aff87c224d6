package io.deltasql.core.actions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;

/** Unmodifiable copies that keep insertion order and allow null values (null partition values). */
final class Maps {
  private Maps() {}

  static <V> Map<String, V> copyOf(Map<String, V> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  static Set<String> copyOf(Set<String> set) {
    if (set == null || set.isEmpty()) {
      return Set.of();
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(set));
  }
}
