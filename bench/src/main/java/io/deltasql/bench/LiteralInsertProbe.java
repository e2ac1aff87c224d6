package io.deltasql.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

/**
 * The cost of an ad-hoc one-row {@code INSERT … VALUES} sent as SQL text with literals (a new
 * text every time, as thin clients send it), prepared without planning and planned by
 * Calcite, in turns in one JVM: the system property {@code deltasql.planner.literalInserts}
 * switches the planner's shortcut off for the "planned" rounds. Embedded H2 catalog,
 * auto-commit, mirror on. Reported per round and side: the statement thread's CPU per
 * statement ({@link ThreadMXBean}) and the wall time per statement (p50 and mean).
 *
 * <pre>
 *   java -cp ... [-Dprobe.rounds=6] [-Dprobe.statements=1000] io.deltasql.bench.LiteralInsertProbe
 * </pre>
 */
public final class LiteralInsertProbe {
  private static final String SWITCH = "deltasql.planner.literalInserts";

  private LiteralInsertProbe() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("probe.rounds", 6);
    int statements = Integer.getInteger("probe.statements", 1000);
    Path warehouse = Files.createTempDirectory("deltasql-literal-insert-probe-");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Connection c = DriverManager.getConnection("jdbc:deltasql:warehouse=" + warehouse);
        Statement s = c.createStatement()) {
      s.execute("create table events (id bigint, client int, amount double, note string, dt date)");
      long id = 0;
      for (int round = 0; round < rounds * 2; round++) {
        boolean planned = round % 2 == 1;
        if (planned) {
          System.setProperty(SWITCH, "false");
        } else {
          System.clearProperty(SWITCH);
        }
        long[] wall = new long[statements];
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < statements; i++) {
          id++;
          String sql = "insert into events values (" + id + ", " + (id % 32) + ", " + (id % 1000) + ".25, 'note "
              + id + "', date '2024-01-" + String.format(Locale.ROOT, "%02d", 1 + id % 28) + "')";
          long t0 = System.nanoTime();
          if (s.executeUpdate(sql) != 1) {
            throw new SQLException("expected one row inserted by " + sql);
          }
          wall[i] = System.nanoTime() - t0;
        }
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / statements;
        Arrays.sort(wall);
        double mean = Arrays.stream(wall).average().orElse(0) / 1e6;
        System.out.printf(Locale.ROOT, "round %d %-8s statements=%d cpu/statement=%.3f ms wall p50=%.3f ms mean=%.3f ms"
            + " load=%.2f%n", round / 2 + 1, planned ? "planned" : "shortcut", statements, cpuMs,
            wall[statements / 2] / 1e6, mean, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
    } finally {
      System.clearProperty(SWITCH);
      SqlTable.deleteTree(warehouse);
    }
  }
}
