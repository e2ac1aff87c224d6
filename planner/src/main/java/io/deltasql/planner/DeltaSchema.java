package io.deltasql.planner;

import io.deltasql.core.catalog.TableInfo;
import java.util.LinkedHashSet;
import java.util.Locale;
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
        return session.preparedLookup("get\0" + name + "\0" + tableName, () -> {
          Table hidden = hiddenTable(tableName);
          if (hidden != null) {
            return hidden;
          }
          return session.catalogTable(name, tableName).map(t -> table(t)).orElse(null);
        });
      }

      @Override
      public Named<Table> getIgnoreCase(String tableName) {
        Table exact = get(tableName);
        if (exact != null) {
          return new Named<>(tableName, exact);
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
        for (String hidden : session.hiddenTableNames(name)) {
          if (pattern.matcher().apply(hidden)) {
            names.add(hidden);
          }
        }
        for (TableInfo info : session.runtime().catalog().listTables(name)) {
          if (pattern.matcher().apply(info.tableName())) {
            names.add(info.tableName());
          }
        }
        return names;
      }
    };
  }

  /**
   * The variants a statement's code looks up by their hidden names when it runs (the planner
   * registers them under those names while it prepares the statement): {@code $rows$t}, the
   * row-tagged table, and {@code $v<n>$t}, the table at version n.
   */
  private Table hiddenTable(String tableName) {
    if (tableName.startsWith(DeltaTable.TAGGED_PREFIX)) {
      return session.runtime().catalog().findTable(name, tableName.substring(DeltaTable.TAGGED_PREFIX.length()))
          .map(t -> (Table) DeltaTable.tagged(session, t)).orElse(null);
    }
    java.util.regex.Matcher m = TimeTravel.HIDDEN_NAME.matcher(tableName);
    if (m.matches()) {
      long version = Long.parseLong(m.group(1));
      return session.runtime().catalog().findTable(name, m.group(2))
          .map(t -> (Table) DeltaTable.at(session, t, version)).orElse(null);
    }
    return null;
  }

  private Table table(TableInfo info) {
    return DeltaTable.of(session, info);
  }
}
