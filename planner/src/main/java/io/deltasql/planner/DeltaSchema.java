package io.deltasql.planner;

import io.deltasql.core.catalog.TableInfo;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/**
 * One schema of the catalog as a Calcite schema. Its tables are looked up in the catalog at
 * each lookup, so tables created, altered or dropped by other connections (or JVMs) are seen
 * by the next statement; each lookup gives a {@link DeltaTable} with the table's current
 * columns.
 */
public final class DeltaSchema extends AbstractSchema {
  private final DeltaSession session;
  private final String name;

  public DeltaSchema(DeltaSession session, String name) {
    this.session = session;
    this.name = name;
  }

  /** The schema's name in the catalog. */
  public String name() {
    return name;
  }

  @Override
  public boolean isMutable() {
    return true;
  }

  @Override
  public Lookup<Table> tables() {
    return new Lookup<>() {
      @Override
      public Table get(String tableName) {
        return session.runtime().catalog().findTable(name, tableName).map(t -> table(t)).orElse(null);
      }

      @Override
      public Named<Table> getIgnoreCase(String tableName) {
        Optional<TableInfo> exact = session.runtime().catalog().findTable(name, tableName);
        if (exact.isPresent()) {
          return new Named<>(tableName, table(exact.get()));
        }
        String wanted = tableName.toLowerCase(Locale.ROOT);
        for (TableInfo info : session.runtime().catalog().listTables(name)) {
          if (info.tableName().toLowerCase(Locale.ROOT).equals(wanted)) {
            return new Named<>(info.tableName(), table(info));
          }
        }
        return null;
      }

      @Override
      public Set<String> getNames(LikePattern pattern) {
        Set<String> names = new LinkedHashSet<>();
        for (TableInfo info : session.runtime().catalog().listTables(name)) {
          if (pattern.matcher().apply(info.tableName())) {
            names.add(info.tableName());
          }
        }
        return names;
      }
    };
  }

  private Table table(TableInfo info) {
    return DeltaTable.of(session, info);
  }
}
