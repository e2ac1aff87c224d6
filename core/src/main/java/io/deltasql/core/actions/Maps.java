package io.deltasql.core.actions;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Unmodifiable copies that keep insertion order and allow null values (null partition values).
 * A map this class made is returned as it is, so that many actions can share one (the
 * partition values of the files of one partition, read from a catalog file image).
 */
public final class Maps {
  private Maps() {}

  /** An unmodifiable copy of {@code map} in its order ({@code null}: empty), or the map if this class made it. */
  public static <V> Map<String, V> copyOf(Map<String, V> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    if (map instanceof Frozen<V> frozen) {
      return frozen;
    }
    return new Frozen<>(map);
  }

  static Set<String> copyOf(Set<String> set) {
    if (set == null || set.isEmpty()) {
      return Set.of();
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(set));
  }

  /** A copy that nobody can change: its entries are those of an unmodifiable view of a private map. */
  private static final class Frozen<V> extends AbstractMap<String, V> {
    private final Map<String, V> entries;

    Frozen(Map<String, V> map) {
      this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
      return entries.entrySet();
    }

    @Override
    public V get(Object key) {
      return entries.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return entries.containsKey(key);
    }

    @Override
    public int size() {
      return entries.size();
    }
  }
}
