package io.deltasql.bench;

import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.mirror.MirrorConfig;
import io.deltasql.core.mirror.MirrorEngine;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.txn.MultiTableCommitResult;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.TableRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CPU of one commit on the writer's side, measured where the machine's load disturbs it
 * least: one writer thread commits one appended file to each of {@code probe.tables} tables,
 * {@code probe.commits} times after {@code probe.warmup} commits, on a PostgreSQL catalog, with
 * the mirror on (async, local files) as in {@link CommitBenchmark}. Reported per commit: the
 * writer thread's CPU ({@link ThreadMXBean}), the CPU of the PostgreSQL backends of the
 * writer's catalog connections and, apart, of the mirror's (found by the {@code
 * ApplicationName} each catalog URL carries; {@code /proc/<pid>/stat}, 10 ms ticks), and the
 * wall time. Uses only the public API, so the same source runs against any build.
 *
 * <pre>
 *   java -cp ... [-Dprobe.tables=1] [-Dprobe.warmup=2000] [-Dprobe.commits=3000] io.deltasql.bench.CommitCpuProbe
 * </pre>
 */
public final class CommitCpuProbe {
  /** Commits refused by backpressure (53000) and retried, over the whole run. */
  private static final AtomicLong REFUSED = new AtomicLong();

  private CommitCpuProbe() {}

  public static void main(String[] args) throws Exception {
    int tables = Integer.getInteger("probe.tables", 1);
    int warmup = Integer.getInteger("probe.warmup", 2000);
    int commits = Integer.getInteger("probe.commits", 3000);
    String server = CatalogOpenBenchmark.PG_URL;
    String schema = "commit_probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Path dir = Files.createTempDirectory("deltasql-commit-probe-");
    try (Connection admin = DriverManager.getConnection(server); Statement s = admin.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      try {
        run(admin, server, schema, dir, tables, warmup, commits);
      } finally {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        SqlTable.deleteTree(dir);
      }
    }
  }

  private static void run(Connection admin, String server, String schema, Path dir, int tableCount, int warmup,
      int commits) throws SQLException {
    String url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    String writerApp = schema + "_w";
    String mirrorApp = schema + "_m";
    try (CatalogStore store = CatalogStore.open(CatalogConfig.of(url + "&ApplicationName=" + writerApp)
            .withPoolSize(2));
        CatalogStore mirrorStore = CatalogStore.open(CatalogConfig.of(url + "&ApplicationName=" + mirrorApp)
            .withPoolSize(3));
        MirrorEngine mirror = MirrorEngine.open(mirrorStore, LocalStorage.INSTANCE,
            MirrorConfig.DEFAULTS.withReconcilePeriod(Duration.ZERO), new SimpleMeterRegistry());
        MultiTableWriter writer = MultiTableWriter.builder(store).mirror(mirror).build()) {
      List<TableRef> refs = new ArrayList<>();
      for (int t = 0; t < tableCount; t++) {
        refs.add(CommitBenchmark.create(writer, dir.resolve("t" + t), "t" + t));
      }
      long[] versions = new long[tableCount];
      int n = commitLoop(writer, refs, versions, 0, warmup);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long writerPg0 = backendTicks(admin, writerApp);
      long mirrorPg0 = backendTicks(admin, mirrorApp);
      long wall0 = System.nanoTime();
      commitLoop(writer, refs, versions, n, commits);
      long wall = System.nanoTime() - wall0;
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      long writerPg = backendTicks(admin, writerApp) - writerPg0;
      long mirrorPg = backendTicks(admin, mirrorApp) - mirrorPg0;
      double tick = 1e6 / 100; // µs per clock tick (USER_HZ 100)
      System.out.printf(Locale.ROOT, "commit probe: tables=%d commits=%d µs/commit: writer thread %.0f, "
          + "writer's postgres backends %.0f, mirror's postgres backends %.0f, wall %.0f; refused (53000, whole run) %d;"
          + " load %s%n", tableCount, commits, cpu / 1e3 / commits, writerPg * tick / commits, mirrorPg * tick / commits,
          wall / 1e3 / commits, REFUSED.get(), load());
    }
  }

  /** Commits {@code count} transactions, numbered from {@code from}; returns the next number. */
  private static int commitLoop(MultiTableWriter writer, List<TableRef> refs, long[] versions, int from, int count) {
    int i = from;
    while (i < from + count) {
      MultiTableTransaction tx = writer.begin();
      for (int t = 0; t < refs.size(); t++) {
        tx.addFiles(refs.get(t).key(), versions[t], List.of(CommitBenchmark.file(0, i)));
      }
      Optional<MultiTableCommitResult> result = commitUnlessRefused(writer, tx);
      if (result.isPresent()) {
        for (int t = 0; t < refs.size(); t++) {
          versions[t] = result.get().version(refs.get(t).key()).orElseThrow();
        }
        i++;
      }
    }
    return i;
  }

  /** The commit, or empty after a short wait if backpressure refused it (the mirror is behind), as CommitBenchmark. */
  private static Optional<MultiTableCommitResult> commitUnlessRefused(MultiTableWriter writer,
      MultiTableTransaction tx) {
    try {
      return Optional.of(writer.commit(tx));
    } catch (DeltaException e) {
      if (e.state() != SqlState.INSUFFICIENT_RESOURCES) {
        throw e;
      }
    }
    REFUSED.incrementAndGet();
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return Optional.empty();
  }

  /** utime + stime, in clock ticks, of the backends whose ApplicationName is {@code app}. */
  private static long backendTicks(Connection admin, String app) throws SQLException {
    long ticks = 0;
    try (PreparedStatement ps = admin.prepareStatement(
        "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, app);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ticks += CommitBenchmarkCpu.Clock.postgresTicksOf(Path.of("/proc", String.valueOf(rs.getInt(1))));
        }
      }
    }
    return ticks;
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
