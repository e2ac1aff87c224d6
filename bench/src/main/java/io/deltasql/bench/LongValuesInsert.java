package io.deltasql.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One {@code INSERT … VALUES} of many literal rows (int, string, double, date, decimal) through
 * the embedded driver, three times in one JVM: the first includes warm-up. Prints ms per
 * statement. Not JMH: it shows what planning such a statement costs, which grew with the rows.
 *
 * <pre>java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.deltasql.bench.LongValuesInsert [ROWS]</pre>
 */
public final class LongValuesInsert {
  private LongValuesInsert() {}

  public static void main(String[] args) throws SQLException, IOException {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    StringBuilder sql = new StringBuilder("INSERT INTO b VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ",").append('(').append(i).append(", 'n").append(i).append("', ").append(i)
          .append(".5, DATE '2024-01-0").append(i % 9 + 1).append("', ").append(i).append(".25)");
    }
    String url = "jdbc:deltasql:warehouse=" + Files.createTempDirectory("long-values");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE b (id INT, name STRING, x DOUBLE, dt DATE, d DECIMAL(10, 2))");
      for (int round = 1; round <= 3; round++) {
        long start = System.nanoTime();
        s.executeUpdate(sql.toString());
        System.out.printf("round %d: %d rows in %d ms%n", round, rows, (System.nanoTime() - start) / 1_000_000);
      }
    }
  }
}
