package io.deltasql.bench;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
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
import io.deltasql.core.txn.NewTable;
import io.deltasql.core.txn.TableCommitResult;
import io.deltasql.core.txn.TableRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Commits per second of small multi-table transactions (one appended file per table) through
 * {@link MultiTableWriter} with the {@link MirrorEngine} writing each table's
 * {@code _delta_log} on the local file system, next to the raw rate of the same catalog
 * database for the same rows written by plain JDBC (the physical limit), and the mirror
 * lag of every commit.
 *
 * <p>Each case (catalog database, tables per transaction, writer threads, mirror mode) runs on
 * a fresh catalog (a new H2 file, a new PostgreSQL schema). Every writer thread commits to
 * tables of its own, so commits never conflict: this measures the commit path, not conflict
 * handling. A thread begins a READ COMMITTED transaction, appends one file to each of its
 * tables at the version it last committed, and commits. Mirror {@code async} (the writer's
 * default): {@code commit} returns after the catalog commit and the engine's workers write
 * the log; {@code sync}: {@code commit} returns once the commit files are written
 * (checkpoint every 10 versions, the Delta default, in both). A commit refused by
 * backpressure ({@code 53000}) is retried and counted.
 *
 * <p>Raw JDBC writes, per transaction and table, exactly the rows a commit leaves: the
 * compare-and-set {@code UPDATE} of {@code delta_tables}, the {@code delta_versions},
 * {@code delta_files} and {@code delta_mirror_status} rows, and commits; statements
 * prepared once per thread, same durability (H2 {@code WRITE_DELAY=0}, PostgreSQL
 * {@code synchronous_commit} as the server has it).
 *
 * <p>Mirror lag: from the wall clock just before a version's commit ({@link MirrorLag}: not its
 * in-commit timestamp, which runs ahead of the clock on a table committing more than once a
 * millisecond) to the moment the engine has written its commit file ({@link MirrorEngine#addListener}), in
 * ms, for every table version committed during the measurement (the run waits for the
 * mirror to catch up before it computes them).
 *
 * <p>Not JMH: the thread count is one of the parameters, and the lag needs every commit's
 * sample. Settings are pinned here and printed with the results.
 *
 * <p>JVM warm-up: before the measured cases, each catalog's largest case runs, both sides,
 * {@code --jvm-warmup} seconds of warm-up and as many not measured (default 10, 1 with
 * {@code --quick}, 0 for none), up to three rounds until the writer side made 5,000 commits
 * (one round with {@code --quick}), so that no case is measured while the JIT compiles the
 * code every case shares.
 *
 * <pre>
 *   java -cp ... io.deltasql.bench.CommitBenchmark [--quick] [--catalogs h2,postgresql]
 *       [--writers 1,4,8] [--tables 1,2] [--mirror async,sync] [--seconds N] [--warmup N]
 *       [--jvm-warmup N] [--out results/base]
 * </pre>
 */
public final class CommitBenchmark {
  static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}";

  /** One measured case. */
  record Case(String catalog, int tables, int writers, String mirror) {
    String describe() {
      return catalog + " tables=" + tables + " writers=" + writers + " mirror=" + mirror;
    }
  }

  /** What a case measured. */
  record Result(Case c, long commits, double seconds, long rawCommits, double rawSeconds, double lagP50,
      double lagP99, double lagMax, long refused, CommitBenchmarkCpu cpu, CommitBenchmarkCpu rawCpu,
      double checkpointsPer100) {
    double rate() {
      return commits / seconds;
    }

    double rawRate() {
      return rawCommits / rawSeconds;
    }
  }

  private final int warmupSeconds;
  private final int measureSeconds;
  private final Path work;

  CommitBenchmark(int warmupSeconds, int measureSeconds, Path work) {
    this.warmupSeconds = warmupSeconds;
    this.measureSeconds = measureSeconds;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    List<String> catalogs = List.of("h2", "postgresql");
    List<Integer> writers = List.of(1, 4, 8);
    List<Integer> tables = List.of(1, 2);
    List<String> mirrors = List.of("async");
    Integer seconds = null;
    Integer warmup = null;
    Integer jvmWarmup = null;
    Optional<Path> out = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--catalogs" -> catalogs = Arrays.asList(args[++i].split(","));
        case "--writers" -> writers = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--tables" -> tables = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--mirror" -> mirrors = Arrays.asList(args[++i].split(","));
        case "--seconds" -> seconds = Integer.valueOf(args[++i]);
        case "--warmup" -> warmup = Integer.valueOf(args[++i]);
        case "--jvm-warmup" -> jvmWarmup = Integer.valueOf(args[++i]);
        case "--out" -> out = Optional.of(Path.of(args[++i]));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    int measure = seconds != null ? seconds : quick ? 2 : 10;
    int warm = warmup != null ? warmup : quick ? 1 : 3;
    int jvmWarm = jvmWarmup != null ? jvmWarmup : quick ? 1 : 10;
    Path work = Files.createTempDirectory("deltasql-commit-bench-");
    CommitBenchmark bench = new CommitBenchmark(warm, measure, work);
    List<Result> results = new ArrayList<>();
    try {
      warmUpJvm(catalogs, tables, writers, mirrors, jvmWarm, quick ? 0 : JVM_WARMUP_COMMITS, work);
      for (String catalog : catalogs) {
        for (int t : tables) {
          for (int w : writers) {
            for (String m : mirrors) {
              Case c = new Case(catalog, t, w, m);
              Result r = bench.run(c);
              System.err.printf(Locale.ROOT, "commit benchmark: %s: %.0f commits/s, raw %.0f/s (%.0f %%), "
                  + "mirror lag p50 %.1f ms p99 %.1f ms, refused (backpressure) %d, CPU µs/commit "
                  + "(writers/mirror/JVM/postgres) %s (checkpoint lane %s), raw %s, checkpoints per 100 versions %.1f%n",
                  c.describe(), r.rate(),
                  r.rawRate(), 100 * r.rate() / r.rawRate(), r.lagP50(), r.lagP99(), r.refused(),
                  r.cpu().perCommit(r.commits()), r.cpu().checkpointPerCommit(r.commits()),
                  r.rawCpu().perCommit(r.rawCommits()), r.checkpointsPer100());
              results.add(r);
            }
          }
        }
      }
    } finally {
      SqlTable.deleteTree(work);
    }
    String markdown = markdown(results, jvmWarm, warm, measure);
    System.out.println(markdown);
    if (out.isPresent()) {
      Files.writeString(Path.of(out.get() + ".md"), markdown);
      Files.writeString(Path.of(out.get() + ".json"), json(results, jvmWarm, warm, measure));
    }
  }

  /** Commits the writer side of the JVM warm-up makes at least (measured half), if rounds allow. */
  private static final int JVM_WARMUP_COMMITS = 5_000;
  private static final int JVM_WARMUP_MAX_ROUNDS = 3;

  /**
   * Unmeasured rounds per catalog database, both sides ({@link #run}: the writer, then raw
   * JDBC), on the largest case asked for, {@code seconds} of warm-up and as many discarded,
   * repeated until the writer side's second halves made {@code commits} (at most
   * {@value #JVM_WARMUP_MAX_ROUNDS} rounds: on a loaded machine one round made a few hundred).
   * The cases run one after the other in one JVM: without it the first cases of a catalog were
   * measured while the JIT still compiled the catalog's driver, the connection pool and the
   * commit path, and their raw sides, run after them, found those compiled (measured: H2, one
   * writer, the same case 14 % of raw when it ran first, 25 % when second; docs/benchmarks.md,
   * session 9).
   */
  private static void warmUpJvm(List<String> catalogs, List<Integer> tables, List<Integer> writers,
      List<String> mirrors, int seconds, int commits, Path work) throws Exception {
    if (seconds <= 0) {
      return;
    }
    CommitBenchmark round = new CommitBenchmark(seconds, seconds, work);
    for (String catalog : catalogs) {
      Case c = new Case(catalog, tables.stream().max(Integer::compare).orElseThrow(),
          writers.stream().max(Integer::compare).orElseThrow(), mirrors.get(0));
      long done = 0;
      for (int i = 1; i == 1 || (i <= JVM_WARMUP_MAX_ROUNDS && done < commits); i++) {
        Result r = round.run(c);
        done += r.commits();
        System.err.printf(Locale.ROOT, "commit benchmark: JVM warm-up round %d (not measured) %s: %.0f commits/s, "
            + "raw %.0f/s%n", i, c.describe(), r.rate(), r.rawRate());
      }
    }
  }

  Result run(Case c) throws Exception {
    Result writer;
    try (Catalog catalog = Catalog.fresh(c.catalog(), work)) {
      writer = runWriter(c, catalog);
    }
    try (Catalog catalog = Catalog.fresh(c.catalog(), work)) {
      Raw raw = runRaw(c, catalog);
      return new Result(c, writer.commits(), writer.seconds(), raw.commits(), raw.seconds(), writer.lagP50(),
          writer.lagP99(), writer.lagMax(), writer.refused(), writer.cpu(), raw.cpu(), writer.checkpointsPer100());
    }
  }

  // ---- through the writer ---------------------------------------------------------------

  private Result runWriter(Case c, Catalog catalog) throws Exception {
    boolean sync = switch (c.mirror()) {
      case "sync" -> true;
      case "async" -> false;
      default -> throw new IllegalArgumentException("mirror must be sync or async, got " + c.mirror());
    };
    Phases phases = new Phases(c.writers());
    // Lag of every version committed during the measurement, whenever its commit file appears.
    MirrorLag lag = new MirrorLag(1 << 20);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (CatalogStore store = CatalogStore.open(CatalogConfig.of(catalog.url()).withPoolSize(c.writers() + 2));
        MirrorEngine mirror = MirrorEngine.open(store, LocalStorage.INSTANCE,
            MirrorConfig.DEFAULTS.withReconcilePeriod(java.time.Duration.ZERO), meters);
        MultiTableWriter writer = MultiTableWriter.builder(store).mirror(mirror)
            .mirrorMode(sync ? MultiTableWriter.MirrorMode.SYNCHRONOUS : MultiTableWriter.MirrorMode.ASYNCHRONOUS)
            .build()) {
      mirror.addListener((tableId, version, commitTimestamp) ->
          lag.published(tableId, version, System.currentTimeMillis()));
      List<List<TableRef>> owned = new ArrayList<>();
      for (int w = 0; w < c.writers(); w++) {
        List<TableRef> mine = new ArrayList<>();
        for (int t = 0; t < c.tables(); t++) {
          mine.add(create(writer, catalog.dir().resolve("w" + w + "t" + t), "w" + w + "t" + t));
        }
        owned.add(mine);
      }
      List<Thread> threads = new ArrayList<>();
      long[] counts = new long[c.writers()];
      AtomicLong refused = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      for (int w = 0; w < c.writers(); w++) {
        int id = w;
        Thread thread = new Thread(() -> {
          try {
            List<TableRef> mine = owned.get(id);
            long[] versions = new long[mine.size()];
            long n = 0;
            while (phases.running()) {
              MultiTableTransaction tx = writer.begin();
              for (int t = 0; t < mine.size(); t++) {
                tx.addFiles(mine.get(t).key(), versions[t], List.of(file(id, n)));
              }
              MultiTableCommitResult result;
              long started = System.currentTimeMillis();
              try {
                result = writer.commit(tx);
              } catch (DeltaException e) {
                if (e.state() != SqlState.INSUFFICIENT_RESOURCES) {
                  throw e;
                }
                refused.incrementAndGet(); // backpressure: the mirror is too far behind
                Thread.sleep(1);
                continue;
              }
              for (int t = 0; t < mine.size(); t++) {
                TableCommitResult r = result.table(mine.get(t).key()).orElseThrow();
                versions[t] = r.version();
                lag.committed(mine.get(t).tableId(), r.version(), started, phases.measured(started));
                if (r.mirror().failure().isPresent()) {
                  throw new IllegalStateException("mirror failed: " + r.mirror().failure().get());
                }
              }
              if (phases.measuring()) {
                counts[id]++;
              }
              n++;
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
            phases.abort();
          }
        }, "commit-writer-" + w);
        threads.add(thread);
      }
      double seconds = phases.drive(threads, warmupSeconds, measureSeconds, failure);
      for (List<TableRef> mine : owned) {
        for (TableRef t : mine) {
          mirror.awaitMirrored(t.tableId(), Long.MAX_VALUE - 1, java.time.Duration.ofSeconds(60));
        }
      }
      long commits = Arrays.stream(counts).sum();
      long[] all = lag.sorted();
      return new Result(c, commits, seconds, 0, 0, percentile(all, 0.5), percentile(all, 0.99),
          all.length == 0 ? 0 : all[all.length - 1], refused.get(), phases.cpu(), CommitBenchmarkCpu.NONE,
          100 * meters.counter("deltasql.mirror.checkpoints").count()
              / Math.max(1, meters.counter("deltasql.mirror.versions").count()));
    }
  }

  static TableRef create(MultiTableWriter writer, Path location, String name) {
    MultiTableTransaction tx = writer.begin();
    writer.createTable(tx, NewTable.of("bench", name, location.toAbsolutePath().toString()),
        new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(), Format.PARQUET, SCHEMA,
            List.of(), Map.of(), Optional.of(0L)), Optional.empty());
    writer.commit(tx);
    return writer.table("bench", name);
  }

  static AddFile file(int writer, long n) {
    return AddFile.of("part-" + writer + "-" + n + "-" + UUID.randomUUID() + ".parquet", Map.of(), 1000, 1,
        Optional.of("{\"numRecords\":1}"));
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }

  // ---- plain JDBC -----------------------------------------------------------------------

  private static final String RAW_ADVANCE =
      "UPDATE delta_tables SET current_version = ? WHERE table_id = ? AND current_version = ?";
  private static final String RAW_VERSION = "INSERT INTO delta_versions (table_id, version, commit_timestamp, "
      + "txn_id, committer, operation, operation_parameters, commit_info, commit_info_seq, action_count, is_base) "
      + "VALUES (?, ?, ?, ?, 'bench', 'WRITE', '{}', ?, 0, 2, FALSE)";
  private static final String RAW_FILE = "INSERT INTO delta_files (table_id, path, dv_id, add_version, add_seq, "
      + "partition_values, size_bytes, modification_time, data_change, stats) "
      + "VALUES (?, ?, '', ?, 1, '{}', 1000, 1, TRUE, '{\"numRecords\":1}')";
  private static final String RAW_MIRROR = "INSERT INTO delta_mirror_status (table_id, version, state, attempts, "
      + "updated_at) VALUES (?, ?, 'DONE', 1, ?)";
  /** About the size of the commitInfo the writer stores. */
  private static final String COMMIT_INFO = "{\"timestamp\":0,\"inCommitTimestamp\":0,\"operation\":\"WRITE\","
      + "\"operationParameters\":{\"mode\":\"Append\"},\"isolationLevel\":\"READ COMMITTED\","
      + "\"isBlindAppend\":true,\"engineInfo\":\"deltasql/dev\",\"txnId\":\"00000000-0000-0000-0000-000000000000\","
      + "\"deltasql.tables\":[\"bench.w0t0\"]}";

  /** What the raw JDBC run measured. */
  record Raw(long commits, double seconds, CommitBenchmarkCpu cpu) {}

  private Raw runRaw(Case c, Catalog catalog) throws Exception {
    List<long[]> tableIds = new ArrayList<>();
    try (CatalogStore store = CatalogStore.open(CatalogConfig.of(catalog.url()).withPoolSize(2))) {
      for (int w = 0; w < c.writers(); w++) {
        long[] ids = new long[c.tables()];
        for (int t = 0; t < c.tables(); t++) {
          String name = "w" + w + "t" + t;
          ids[t] = store.inTransaction(tx -> tx.registerTable("raw", name,
              catalog.dir().resolve("raw-" + name).toString(), Map.of())).tableId();
        }
        tableIds.add(ids);
      }
    }
    String url = catalog.url().startsWith("jdbc:h2:") ? catalog.url() + ";WRITE_DELAY=0" : catalog.url();
    Phases phases = new Phases(c.writers());
    long[] counts = new long[c.writers()];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < c.writers(); w++) {
      int id = w;
      threads.add(new Thread(() -> {
        long[] ids = tableIds.get(id);
        long[] versions = new long[ids.length];
        Arrays.fill(versions, -1);
        try (Connection conn = DriverManager.getConnection(url)) {
          conn.setAutoCommit(false);
          conn.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
          try (PreparedStatement advance = conn.prepareStatement(RAW_ADVANCE);
              PreparedStatement version = conn.prepareStatement(RAW_VERSION);
              PreparedStatement file = conn.prepareStatement(RAW_FILE);
              PreparedStatement mirror = conn.prepareStatement(RAW_MIRROR)) {
            long n = 0;
            while (phases.running()) {
              long now = System.currentTimeMillis();
              for (int t = 0; t < ids.length; t++) {
                long v = versions[t] + 1;
                advance.setLong(1, v);
                advance.setLong(2, ids[t]);
                advance.setLong(3, versions[t]);
                if (advance.executeUpdate() != 1) {
                  throw new IllegalStateException("lost the compare-and-set of table " + ids[t]);
                }
                version.setLong(1, ids[t]);
                version.setLong(2, v);
                version.setLong(3, now);
                version.setString(4, UUID.randomUUID().toString());
                version.setString(5, COMMIT_INFO);
                version.executeUpdate();
                file.setLong(1, ids[t]);
                file.setString(2, "part-" + id + "-" + n + "-" + UUID.randomUUID() + ".parquet");
                file.setLong(3, v);
                file.executeUpdate();
                mirror.setLong(1, ids[t]);
                mirror.setLong(2, v);
                mirror.setLong(3, now);
                mirror.executeUpdate();
                versions[t] = v;
              }
              conn.commit();
              if (phases.measuring()) {
                counts[id]++;
              }
              n++;
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          phases.abort();
        }
      }, "raw-writer-" + w));
    }
    double seconds = phases.drive(threads, warmupSeconds, measureSeconds, failure);
    return new Raw(Arrays.stream(counts).sum(), seconds, phases.cpu());
  }

  // ---- phases, catalogs, output --------------------------------------------------------

  /** Warm-up, measurement, stop: the threads read the phase; the driver sets it. */
  static final class Phases {
    private volatile int phase; // 0 warm-up, 1 measuring, 2 stopped
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureTo = Long.MAX_VALUE;
    private final CountDownLatch started;
    private CommitBenchmarkCpu cpu = CommitBenchmarkCpu.NONE;

    Phases(int threads) {
      this.started = new CountDownLatch(threads);
    }

    boolean running() {
      return phase < 2;
    }

    boolean measuring() {
      return phase == 1;
    }

    void abort() {
      phase = 2;
    }

    /** Whether a commit made at {@code millis} (wall clock) belongs to the measurement. */
    boolean measured(long millis) {
      return millis >= measureFrom && millis < measureTo;
    }

    /** Starts the threads, warms up, measures; returns the seconds measured. */
    double drive(List<Thread> threads, int warmup, int measure, AtomicReference<Throwable> failure)
        throws Exception {
      threads.forEach(Thread::start);
      Thread.sleep(warmup * 1000L);
      CommitBenchmarkCpu.Clock cpuAtStart = CommitBenchmarkCpu.Clock.now();
      long start = System.nanoTime();
      measureFrom = System.currentTimeMillis();
      if (phase == 0) {
        phase = 1;
      }
      Thread.sleep(measure * 1000L);
      measureTo = System.currentTimeMillis();
      phase = 2;
      long end = System.nanoTime();
      cpu = cpuAtStart.since();
      for (Thread t : threads) {
        t.join();
      }
      if (failure.get() != null) {
        throw new IllegalStateException("benchmark thread failed: " + failure.get(), failure.get());
      }
      return (end - start) / 1e9;
    }

    /** The CPU time spent during the measurement. */
    CommitBenchmarkCpu cpu() {
      return cpu;
    }
  }

  /** A fresh, empty catalog database and a folder for the tables. */
  record Catalog(String url, Path dir, Runnable cleanup) implements AutoCloseable {
    static Catalog fresh(String kind, Path work) throws IOException, SQLException {
      Path dir = Files.createTempDirectory(work, kind + "-");
      if (kind.equals("h2")) {
        return new Catalog("jdbc:h2:file:" + dir.resolve("catalog").toAbsolutePath(), dir, () -> { });
      }
      if (!kind.equals("postgresql")) {
        throw new IllegalArgumentException("catalog must be h2 or postgresql, got " + kind);
      }
      String server = CatalogOpenBenchmark.PG_URL;
      String schema = "bench_commit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
      }
      String url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      return new Catalog(url, dir, () -> {
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
          System.err.println("commit benchmark: could not drop schema " + schema + ": " + e.getMessage());
        }
      });
    }

    @Override
    public void close() {
      cleanup.run();
    }
  }

  static String markdown(List<Result> results, int jvmWarmup, int warmup, int measure) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "JVM warm-up first: rounds of %d s of each catalog's largest case, both "
        + "sides, not measured (up to %d rounds until the writers made %,d commits; one with --quick). ", jvmWarmup,
        JVM_WARMUP_MAX_ROUNDS, JVM_WARMUP_COMMITS));
    md.append(String.format(Locale.ROOT, "Warm-up %d s, measurement %d s per case; one file appended per table "
        + "and transaction; mirror on (local files, checkpoint every 10 versions): async = commit returns after "
        + "the catalog commit, sync = after the commit file is written. Mirror lag: wall clock before the commit to "
        + "commit file written, every version committed during the measurement. CPU per commit (µs): of the "
        + "writer threads / the mirror workers / the whole JVM / every postgres process on the machine, during "
        + "the measurement (CommitBenchmarkCpu); of the mirror's, the checkpoint lane's thread also on its own. "
        + "Checkpoints: written per 100 versions mirrored, whole run.%n%n",
        warmup, measure));
    md.append("| catalog | tables/txn | writers | mirror | commits/s | raw JDBC commits/s | % of raw "
        + "| mirror lag p50 (ms) | p99 (ms) | max (ms) | refused (53000) | CPU µs/commit | of it checkpoint lane | raw CPU µs/commit | checkpoints /100 versions |\n");
    md.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.0f | %.0f | %.0f %% | %.0f | %.0f | %.0f | %d "
          + "| %s | %s | %s | %.1f |%n", r.c().catalog(), r.c().tables(), r.c().writers(), r.c().mirror(), r.rate(), r.rawRate(),
          100 * r.rate() / r.rawRate(), r.lagP50(), r.lagP99(), r.lagMax(), r.refused(), r.cpu().perCommit(r.commits()),
          r.cpu().checkpointPerCommit(r.commits()), r.rawCpu().perCommit(r.rawCommits()), r.checkpointsPer100()));
    }
    return md.toString();
  }

  static String json(List<Result> results, int jvmWarmup, int warmup, int measure) {
    StringBuilder json = new StringBuilder("{\"jvmWarmupSeconds\":" + jvmWarmup + ",\"warmupSeconds\":" + warmup
        + ",\"measureSeconds\":" + measure
        + ",\"results\":[");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"catalog\":\"%s\",\"tables\":%d,"
          + "\"writers\":%d,\"mirror\":\"%s\",\"refused\":%d,\"commits\":%d,\"seconds\":%.3f,\"commitsPerSecond\":%.1f,\"rawCommits\":%d,"
          + "\"rawCommitsPerSecond\":%.1f,\"lagP50Ms\":%.1f,\"lagP99Ms\":%.1f,\"lagMaxMs\":%.1f,%s,%s,\"checkpointsPer100Versions\":%.2f}",
          r.c().catalog(), r.c().tables(), r.c().writers(), r.c().mirror(), r.refused(), r.commits(), r.seconds(), r.rate(), r.rawCommits(),
          r.rawRate(), r.lagP50(), r.lagP99(), r.lagMax(), cpuJson("cpuMs", r.cpu()), cpuJson("rawCpuMs", r.rawCpu()),
          r.checkpointsPer100()));
    }
    return json.append("]}\n").toString();
  }

  private static String cpuJson(String name, CommitBenchmarkCpu cpu) {
    return String.format(Locale.ROOT, "\"%s\":{\"writers\":%.1f,\"mirror\":%.1f,\"checkpointLane\":%.1f,\"jvm\":%.1f,"
        + "\"postgres\":%.1f}", name, cpu.writersMs(), cpu.mirrorMs(), cpu.checkpointMs(), cpu.jvmMs(), cpu.postgresMs());
  }
}
