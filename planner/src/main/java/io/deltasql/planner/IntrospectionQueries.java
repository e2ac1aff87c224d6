package io.deltasql.planner;

import io.deltasql.core.catalog.TableInfo;
import io.deltasql.parser.node.SqlDescribeHistory;
import io.deltasql.parser.node.SqlShowSchemas;
import io.deltasql.parser.node.SqlShowTables;
import org.apache.calcite.sql.SqlDescribeTable;
import org.apache.calcite.sql.SqlNode;

/** {@code SHOW} and {@code DESCRIBE} statements as queries of the {@code sys} tables. */
final class IntrospectionQueries {
  private IntrospectionQueries() {}

  /** The query that answers {@code node}, or null if it is not an introspection statement. */
  static String rewrite(SqlNode node, DeltaSession session) {
    if (node instanceof SqlShowTables show) {
      String schema = show.schema().map(s -> session.resolveSchema(s.names)).orElse(session.defaultSchema());
      return "SELECT \"table_schema\", \"table_name\" FROM \"sys\".\"tables\" WHERE \"table_schema\" = "
          + literal(schema) + " ORDER BY \"table_name\"";
    }
    if (node instanceof SqlShowSchemas) {
      return "SELECT \"schema_name\" FROM \"sys\".\"schemas\" ORDER BY \"schema_name\"";
    }
    if (node instanceof SqlDescribeHistory describe) {
      TableInfo table = session.resolveTable(describe.table().names);
      String limit = describe.limit().isPresent() ? " FETCH FIRST " + describe.limit().getAsInt() + " ROWS ONLY" : "";
      return "SELECT \"version\", \"timestamp\", \"operation\", \"operation_parameters\", \"txn_id\", \"committer\","
          + " \"action_count\" FROM \"sys\".\"history\" WHERE \"table_schema\" = " + literal(table.schemaName())
          + " AND \"table_name\" = " + literal(table.tableName()) + " ORDER BY \"version\" DESC" + limit;
    }
    if (node instanceof SqlDescribeTable describe) {
      TableInfo table = session.resolveTable(describe.getTable().names);
      String column = describe.getColumn() == null ? ""
          : " AND \"column_name\" = " + literal(describe.getColumn().getSimple());
      return "SELECT \"column_name\", \"data_type\", \"is_nullable\", \"partition_ordinal\", \"comment\""
          + " FROM \"sys\".\"columns\" WHERE \"table_schema\" = " + literal(table.schemaName())
          + " AND \"table_name\" = " + literal(table.tableName()) + column + " ORDER BY \"ordinal_position\"";
    }
    return null;
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
