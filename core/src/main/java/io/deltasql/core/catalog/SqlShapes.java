package io.deltasql.core.catalog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The SQL text of statements whose text depends on a small shape (how many tables, rows or
 * parameters), built once per shape and then the same {@code String}: the commit path
 * neither rebuilds it nor makes the JDBC driver hash a new string to find its prepared
 * statement. Past {@link #MAXIMUM_SHAPES} shapes, text is built each time, not kept.
 *
 * @param <K> the shape
 */
final class SqlShapes<K> {
  static final int MAXIMUM_SHAPES = 256;

  private final Map<K, String> texts = new ConcurrentHashMap<>();

  /** The SQL of {@code shape}, built by {@code build} the first time. */
  String get(K shape, Function<K, String> build) {
    String sql = texts.get(shape);
    if (sql != null) {
      return sql;
    }
    sql = build.apply(shape);
    if (texts.size() < MAXIMUM_SHAPES) {
      String first = texts.putIfAbsent(shape, sql);
      return first != null ? first : sql;
    }
    return sql;
  }
}
