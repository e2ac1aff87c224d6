package io.deltasql.planner;

import io.deltasql.core.table.Snapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

/**
 * The execution context of one {@code DELETE} or {@code UPDATE}: Calcite's context with the
 * snapshots its row-tagged scans read, so that the files are rewritten from exactly the
 * versions the rows were found in.
 */
final class DmlContext implements DataContext {
  private static final String KEY = "deltasql.dml";

  private final DataContext delegate;
  private final Map<String, Object> internal;
  private final Map<Long, Snapshot> scanned = new HashMap<>();

  DmlContext(DataContext delegate) {
    this(delegate, Map.of());
  }

  /**
   * @param internal the internal parameters of the inner query's signature (Calcite stashes
   *     the interpreted plan there), which the outer statement's context does not hold
   */
  DmlContext(DataContext delegate, Map<String, Object> internal) {
    this.delegate = delegate;
    this.internal = internal;
  }

  /** The DML context of an execution, if it is one. */
  static Optional<DmlContext> of(DataContext root) {
    return root.get(KEY) instanceof DmlContext dml ? Optional.of(dml) : Optional.empty();
  }

  synchronized void scanned(long tableId, Snapshot snapshot) {
    scanned.putIfAbsent(tableId, snapshot);
  }

  /** The snapshot the statement's scan of the table read, if it read it. */
  synchronized Optional<Snapshot> snapshot(long tableId) {
    return Optional.ofNullable(scanned.get(tableId));
  }

  @Override
  public SchemaPlus getRootSchema() {
    return delegate.getRootSchema();
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return delegate.getTypeFactory();
  }

  @Override
  public QueryProvider getQueryProvider() {
    return delegate.getQueryProvider();
  }

  @Override
  public Object get(String name) {
    if (KEY.equals(name)) {
      return this;
    }
    return internal.containsKey(name) ? internal.get(name) : delegate.get(name);
  }
}
