package io.deltasql.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DatabaseMetaData} browsed the way DBeaver does on connect and when a table is opened:
 * product and driver, catalogs, schemas, table types, tables, columns with types, sizes and
 * nullability, keys and indexes (valid result sets, even when empty), type info and keywords.
 */
class MetadataTest {
  @TempDir
  Path warehouse;

  private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (rs) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
          row.put(rs.getMetaData().getColumnLabel(i).toUpperCase(), rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  @Test
  void browsesLikeDbeaver() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:deltasql:warehouse=" + warehouse);
        Statement s = c.createStatement()) {
      s.execute("create schema sales");
      s.execute("create table sales.orders (id bigint not null, customer string, amount decimal(12,2),"
          + " placed date, at_time timestamp, tags array<string>, ok boolean) partitioned by (placed)");
      DatabaseMetaData md = c.getMetaData();
      assertEquals("deltasql", md.getDatabaseProductName());
      assertNotNull(md.getDatabaseProductVersion());
      assertEquals("deltasql JDBC Driver", md.getDriverName());
      assertTrue(md.getDriverMajorVersion() >= 0);
      assertNotNull(md.getSQLKeywords());
      assertEquals("\"", md.getIdentifierQuoteString());
      assertEquals(List.of(), rows(md.getCatalogs()), "no catalogs: tables are schema.table");

      List<Object> schemas = rows(md.getSchemas()).stream().map(r -> r.get("TABLE_SCHEM")).toList();
      assertTrue(schemas.containsAll(List.of("default", "sales", "sys")), schemas.toString());

      List<Object> types = rows(md.getTableTypes()).stream().map(r -> r.get("TABLE_TYPE")).toList();
      assertTrue(types.contains("TABLE"), types.toString());

      List<Map<String, Object>> tables = rows(md.getTables(null, "sales", "%", null));
      assertEquals(1, tables.size(), tables.toString());
      assertEquals("orders", tables.get(0).get("TABLE_NAME"));
      assertEquals("TABLE", tables.get(0).get("TABLE_TYPE"));
      assertFalse(rows(md.getTables(null, "sys", "%", new String[] {"SYSTEM TABLE"})).isEmpty());

      Map<String, Map<String, Object>> columns = new LinkedHashMap<>();
      for (Map<String, Object> row : rows(md.getColumns(null, "sales", "orders", "%"))) {
        columns.put((String) row.get("COLUMN_NAME"), row);
      }
      assertEquals(List.of("id", "customer", "amount", "placed", "at_time", "tags", "ok"), List.copyOf(columns.keySet()));
      assertEquals(Types.BIGINT, ((Number) columns.get("id").get("DATA_TYPE")).intValue());
      assertEquals(DatabaseMetaData.columnNoNulls, ((Number) columns.get("id").get("NULLABLE")).intValue());
      assertEquals("NO", columns.get("id").get("IS_NULLABLE"));
      assertEquals(Types.VARCHAR, ((Number) columns.get("customer").get("DATA_TYPE")).intValue());
      assertEquals(Types.DECIMAL, ((Number) columns.get("amount").get("DATA_TYPE")).intValue());
      assertEquals(12, ((Number) columns.get("amount").get("COLUMN_SIZE")).intValue());
      assertEquals(2, ((Number) columns.get("amount").get("DECIMAL_DIGITS")).intValue());
      assertEquals(Types.DATE, ((Number) columns.get("placed").get("DATA_TYPE")).intValue());
      assertEquals(Types.TIMESTAMP, ((Number) columns.get("at_time").get("DATA_TYPE")).intValue());
      assertEquals(Types.ARRAY, ((Number) columns.get("tags").get("DATA_TYPE")).intValue());
      assertEquals(Types.BOOLEAN, ((Number) columns.get("ok").get("DATA_TYPE")).intValue());
      assertEquals(7, ((Number) columns.get("ok").get("ORDINAL_POSITION")).intValue());

      assertEquals(List.of(), rows(md.getPrimaryKeys(null, "sales", "orders")));
      assertEquals(List.of(), rows(md.getIndexInfo(null, "sales", "orders", false, true)));
      assertEquals(List.of(), rows(md.getImportedKeys(null, "sales", "orders")));
      assertEquals(List.of(), rows(md.getExportedKeys(null, "sales", "orders")));
      List<Object> typeNames = rows(md.getTypeInfo()).stream().map(r -> r.get("TYPE_NAME")).toList();
      assertTrue(typeNames.containsAll(List.of("BIGINT", "VARCHAR", "DECIMAL", "DATE", "TIMESTAMP", "BOOLEAN")),
          typeNames.toString());
      assertTrue(md.supportsTransactions());
      assertTrue(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE));
      assertEquals(Connection.TRANSACTION_READ_COMMITTED, md.getDefaultTransactionIsolation());

      try (ResultSet rs = s.executeQuery("select * from sales.orders")) {
        assertEquals(7, rs.getMetaData().getColumnCount());
        assertEquals("id", rs.getMetaData().getColumnName(1));
        assertEquals(Types.DECIMAL, rs.getMetaData().getColumnType(3));
        assertEquals(2, rs.getMetaData().getScale(3));
      }
    }
  }
}
