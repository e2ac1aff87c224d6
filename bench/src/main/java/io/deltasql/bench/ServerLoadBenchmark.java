package io.deltasql.bench;

import io.deltasql.server.DeltaServer;
import io.deltasql.server.ServerConfig;
import io.deltasql.server.ServerProperty;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many thin clients at once: the Avatica server ({@link DeltaServer}) in this JVM over a fresh
 * lake, and {@code clients} threads each with its own {@code jdbc:avatica:remote:} connection
 * (protobuf over loopback HTTP) running a fixed number of short transactions:
 *
 * <pre>
 *   BEGIN MULTI
 *   INSERT INTO events_(client) VALUES (client, n, 'payload')
 *   UPDATE counters SET n = n + 1 WHERE id = client      -- every updateEvery-th transaction,
 *                                                        -- staggered by client
 *   COMMIT
 * </pre>
 *
 * Each client appends to a table of its own; {@code counters} is shared by all: its writers
 * wait for its lock, and a transaction that loses (serialization failure 40001, deadlock
 * 40P01, lock timeout 55P03) is rolled back and counted as a conflict, not retried. Any other
 * failure is an error; a sound run has none.
 *
 * <p>Reported per catalog: transactions per second (committed ones, over the wall time of the
 * measured transactions), latency p50/p99 of a committed transaction (BEGIN to COMMIT's
 * answer), conflicts and errors by SQLState, and the JVM's heap in use (server and clients
 * share it) after a GC before the run, sampled every 50 ms during it (peak) and after a GC at
 * its end: flat if nothing accumulates per transaction or connection.
 *
 * <p>Not JMH: a fixed amount of work per client, like a load test. Settings are printed with
 * the results.
 *
 * <pre>
 *   java -cp ... io.deltasql.bench.ServerLoadBenchmark [--quick] [--catalogs h2,postgresql]
 *       [--clients 32] [--transactions N] [--warmup N] [--update-every K] [--out results/base]
 * </pre>
 */
public final class ServerLoadBenchmark {
  /** SQLStates of a transaction that lost to another: expected under contention. */
  static final Set<String> CONFLICTS = Set.of("40001", "40P01", "55P03");

  record Settings(int clients, int transactions, int warmup, int updateEvery) {}

  record Result(String catalog, Settings settings, long committed, double seconds, double p50Ms, double p99Ms,
      double maxMs, Map<String, Long> conflicts, Map<String, Long> errors, long heapBeforeMb, long heapPeakMb,
      long heapAfterMb) {
    double rate() {
      return committed / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    List<String> catalogs = List.of("h2", "postgresql");
    int clients = 32;
    Integer transactions = null;
    Integer warmup = null;
    int updateEvery = 8;
    Optional<Path> out = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--catalogs" -> catalogs = Arrays.asList(args[++i].split(","));
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--transactions" -> transactions = Integer.valueOf(args[++i]);
        case "--warmup" -> warmup = Integer.valueOf(args[++i]);
        case "--update-every" -> updateEvery = Integer.parseInt(args[++i]);
        case "--out" -> out = Optional.of(Path.of(args[++i]));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Settings settings = new Settings(clients, transactions != null ? transactions : quick ? 20 : 100,
        warmup != null ? warmup : quick ? 2 : 10, updateEvery);
    Path work = Files.createTempDirectory("deltasql-server-load-");
    List<Result> results = new ArrayList<>();
    for (String catalog : catalogs) {
      Result r = run(catalog, settings, work);
      System.err.printf(Locale.ROOT, "server load: %s clients=%d: %.1f txn/s, p50 %.1f ms, p99 %.1f ms, "
          + "conflicts %s, errors %s, heap MB before/peak/after %d/%d/%d%n", catalog, clients, r.rate(), r.p50Ms(),
          r.p99Ms(), r.conflicts(), r.errors(), r.heapBeforeMb(), r.heapPeakMb(), r.heapAfterMb());
      results.add(r);
    }
    String markdown = markdown(results);
    System.out.println(markdown);
    if (out.isPresent()) {
      Files.writeString(Path.of(out.get() + ".md"), markdown);
      Files.writeString(Path.of(out.get() + ".json"), json(results));
    }
    boolean failed = results.stream().anyMatch(r -> !r.errors().isEmpty());
    System.exit(failed ? 1 : 0);
  }

  static Result run(String kind, Settings settings, Path work) throws Exception {
    try (CommitBenchmark.Catalog catalog = CommitBenchmark.Catalog.fresh(kind, work)) {
      String url = "jdbc:deltasql:warehouse=" + catalog.dir().resolve("lake")
          + (kind.equals("h2") ? "" : ";catalog='" + catalog.url() + "'");
      ServerConfig config = ServerConfig.defaults().with(ServerProperty.URL, url).with(ServerProperty.PORT, "0")
          .with(ServerProperty.MAX_CONNECTIONS, Integer.toString(settings.clients() + 8));
      try (DeltaServer server = DeltaServer.start(config)) {
        String remote = "jdbc:avatica:remote:url=" + server.address() + ";serialization=protobuf";
        try (Connection c = DriverManager.getConnection(remote); Statement s = c.createStatement()) {
          for (int t = 0; t < settings.clients(); t++) {
            s.execute("create table events_" + t + " (client int, n int, payload string)");
          }
          s.execute("create table counters (id int, n bigint)");
          StringBuilder rows = new StringBuilder("insert into counters values ");
          for (int id = 0; id < settings.clients(); id++) {
            rows.append(id == 0 ? "" : ", ").append("(").append(id).append(", 0)");
          }
          s.executeUpdate(rows.toString());
        }
        return drive(kind, settings, remote);
      }
    }
  }

  private static Result drive(String kind, Settings settings, String remote) throws Exception {
    int clients = settings.clients();
    long[][] latencies = new long[clients][settings.transactions()];
    int[] measured = new int[clients];
    Map<String, AtomicLong> conflicts = new ConcurrentHashMap<>();
    Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch warmedUp = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int id = 0; id < clients; id++) {
      int client = id;
      threads.add(new Thread(() -> {
        try (Connection c = DriverManager.getConnection(remote); Statement s = c.createStatement()) {
          for (int n = 0; n < settings.warmup(); n++) {
            transaction(s, client, -1 - n, settings, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
          }
          warmedUp.countDown();
          go.await();
          for (int n = 0; n < settings.transactions(); n++) {
            long start = System.nanoTime();
            if (transaction(s, client, n, settings, conflicts, errors)) {
              latencies[client][measured[client]++] = System.nanoTime() - start;
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          warmedUp.countDown();
        }
      }, "load-client-" + id));
    }
    threads.forEach(Thread::start);
    warmedUp.await();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(before);
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "load-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    long start = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    sampler.interrupt();
    sampler.join();
    System.gc();
    long after = memory.getHeapMemoryUsage().getUsed();
    if (failure.get() != null) {
      throw new IllegalStateException("load client failed: " + failure.get(), failure.get());
    }
    List<Long> all = new ArrayList<>();
    for (int id = 0; id < clients; id++) {
      for (int i = 0; i < measured[id]; i++) {
        all.add(latencies[id][i]);
      }
    }
    all.sort(null);
    return new Result(kind, settings, all.size(), seconds, percentile(all, 0.50), percentile(all, 0.99),
        all.isEmpty() ? 0 : all.get(all.size() - 1) / 1e6, counts(conflicts), counts(errors), before >> 20,
        peak.get() >> 20, after >> 20);
  }

  /** One transaction; true if it committed. A conflict or error is rolled back and counted. */
  private static boolean transaction(Statement s, int client, int n, Settings settings,
      Map<String, AtomicLong> conflicts, Map<String, AtomicLong> errors) throws SQLException {
    try {
      s.execute("begin multi");
      s.executeUpdate("insert into events_" + client + " values (" + client + ", " + n
          + ", 'payload of client " + client + " transaction " + n + "')");
      // staggered by client: each client updates every updateEvery-th transaction, but not all
      // clients in the same round (until 2026-12-03 they did, and the 32 waited on one lock together)
      if (settings.updateEvery() > 0 && Math.floorMod(n + client, settings.updateEvery()) == 0) {
        s.executeUpdate("update counters set n = n + 1 where id = " + client);
      }
      s.execute("commit");
      return true;
    } catch (SQLException e) {
      String state = String.valueOf(e.getSQLState());
      (CONFLICTS.contains(state) ? conflicts : errors).computeIfAbsent(state, k -> new AtomicLong()).incrementAndGet();
      if (!CONFLICTS.contains(state)) {
        System.err.println("server load: client " + client + " transaction " + n + " failed: " + e.getMessage());
      }
      try {
        s.execute("rollback");
      } catch (SQLException rollback) {
        errors.computeIfAbsent("rollback:" + rollback.getSQLState(), k -> new AtomicLong()).incrementAndGet();
      }
      return false;
    }
  }

  private static Map<String, Long> counts(Map<String, AtomicLong> counters) {
    Map<String, Long> counts = new TreeMap<>();
    counters.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
  }

  static String markdown(List<Result> results) {
    StringBuilder md = new StringBuilder();
    if (!results.isEmpty()) {
      Settings s = results.get(0).settings();
      md.append(String.format(Locale.ROOT, "%d Avatica remote clients (protobuf, loopback), each %d measured "
          + "transactions after %d warm-up ones: BEGIN MULTI; INSERT 1 row into the client's own table; every %d-th "
          + "also UPDATE 1 row of a table all clients share (staggered: client c in rounds n with (n + c) divisible by it); COMMIT. Server and clients in one JVM; heap = used after "
          + "GC before, sampled peak, used after GC.%n%n", s.clients(), s.transactions(), s.warmup(),
          s.updateEvery()));
    }
    md.append("| catalog | committed | txn/s | p50 (ms) | p99 (ms) | max (ms) | conflicts | errors "
        + "| heap before / peak / after (MB) |\n");
    md.append("|---|---:|---:|---:|---:|---:|---|---|---|\n");
    for (Result r : results) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %s | %s | %d / %d / %d |%n",
          r.catalog(), r.committed(), r.rate(), r.p50Ms(), r.p99Ms(), r.maxMs(), describe(r.conflicts()),
          describe(r.errors()), r.heapBeforeMb(), r.heapPeakMb(), r.heapAfterMb()));
    }
    return md.toString();
  }

  private static String describe(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    counts.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
    return sb.toString();
  }

  static String json(List<Result> results) {
    StringBuilder json = new StringBuilder("{\"results\":[");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"catalog\":\"%s\",\"clients\":%d,"
          + "\"transactionsPerClient\":%d,\"warmupPerClient\":%d,\"updateEvery\":%d,\"committed\":%d,\"seconds\":%.3f,"
          + "\"transactionsPerSecond\":%.1f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"maxMs\":%.2f,\"conflicts\":%s,\"errors\":%s,"
          + "\"heapBeforeMb\":%d,\"heapPeakMb\":%d,\"heapAfterMb\":%d}", r.catalog(), r.settings().clients(),
          r.settings().transactions(), r.settings().warmup(), r.settings().updateEvery(), r.committed(), r.seconds(),
          r.rate(), r.p50Ms(), r.p99Ms(), r.maxMs(), jsonMap(r.conflicts()), jsonMap(r.errors()), r.heapBeforeMb(),
          r.heapPeakMb(), r.heapAfterMb()));
    }
    return json.append("]}\n").toString();
  }

  private static String jsonMap(Map<String, Long> counts) {
    StringBuilder sb = new StringBuilder("{");
    counts.forEach((k, v) -> sb.append(sb.length() == 1 ? "" : ",").append('"').append(k).append("\":").append(v));
    return sb.append('}').toString();
  }
}
