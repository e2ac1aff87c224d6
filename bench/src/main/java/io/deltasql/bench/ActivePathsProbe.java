package io.deltasql.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The catalog's probe for replaced files on H2, before and after it became a join: which of a
 * batch of 1,000 added paths are active rows among 100,000 of one table. Prints each query's
 * plan and its time per probe (20 probes). Not JMH: one in-memory database, a few seconds.
 *
 * <pre>java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.deltasql.bench.ActivePathsProbe</pre>
 */
public final class ActivePathsProbe {
  private static final int ROWS = 100_000;
  private static final int PATHS = 1_000;
  private static final int PROBES = 20;

  private ActivePathsProbe() {}

  public static void main(String[] args) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:probe"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE delta_files (table_id BIGINT, path VARCHAR, dv_id VARCHAR, add_version BIGINT,"
          + " remove_version BIGINT, PRIMARY KEY (table_id, path, dv_id, add_version))");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO delta_files VALUES (1, ?, '', 0, NULL)")) {
        for (int i = 0; i < ROWS; i++) {
          insert.setString(1, "part-" + i + ".parquet");
          insert.addBatch();
          if (i % 1_000 == 999) {
            insert.executeBatch();
          }
        }
      }
      String[] paths = new String[PATHS];
      for (int i = 0; i < PATHS; i++) {
        paths[i] = i % 100 == 0 ? "part-" + i * 7 + ".parquet" : "new-" + i;
      }
      probe(c, "before", "SELECT path, dv_id FROM delta_files WHERE table_id = ? AND remove_version IS NULL"
          + " AND path = ANY(?)", false, paths);
      probe(c, "after", "SELECT f.path, f.dv_id FROM UNNEST(CAST(? AS VARCHAR ARRAY)) AS t(p)"
          + " JOIN delta_files f ON f.table_id = ? AND f.path = t.p WHERE f.remove_version IS NULL", true, paths);
    }
  }

  private static void probe(Connection c, String name, String sql, boolean arrayFirst, String[] paths)
      throws SQLException {
    try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + sql);
        PreparedStatement query = c.prepareStatement(sql)) {
      bind(c, explain, arrayFirst, paths);
      try (ResultSet rs = explain.executeQuery()) {
        rs.next();
        System.out.println(name + " plan: " + rs.getString(1).replaceAll("\\s+", " "));
      }
      int found = 0;
      long start = System.nanoTime();
      for (int i = 0; i < PROBES; i++) {
        bind(c, query, arrayFirst, paths);
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            found++;
          }
        }
      }
      System.out.printf("%s: %.1f ms per probe of %d paths among %d rows (%d found)%n", name,
          (System.nanoTime() - start) / 1e6 / PROBES, PATHS, ROWS, found / PROBES);
    }
  }

  private static void bind(Connection c, PreparedStatement ps, boolean arrayFirst, String[] paths)
      throws SQLException {
    ps.setArray(arrayFirst ? 1 : 2, c.createArrayOf("VARCHAR", paths));
    ps.setLong(arrayFirst ? 2 : 1, 1);
  }
}
