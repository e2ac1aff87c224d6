package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.Postgres;
import io.deltasql.core.types.StructType;
import io.deltasql.tck.TckReport;
import java.io.IOException;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank invariant under injected faults, on a PostgreSQL catalog: 8 {@link BankClient}s, 4 in
 * this JVM and 4 in a child JVM ({@link BankClientProcess}), move money between
 * {@code accounts_a} and {@code accounts_b} with multi-table transactions while the test injects,
 * in a seeded random order (the seed is logged; {@code -Ddeltasql.faults.seed=N} replays an
 * order):
 *
 * <ul>
 *   <li>{@code pg_terminate_backend}: the catalog sessions of the clients (both JVMs, found by
 *       the {@code ApplicationName} of this test's catalog URL, never anyone else's) that are in a
 *       statement or a transaction are killed;
 *   <li>{@code failing-fs}: both tables' {@code _delta_log} folders refuse new files
 *       ({@link UnwritableDirectory}) until at least one more commit landed in the catalog;
 *   <li>{@code sigkill}: the child JVM is killed with SIGKILL once its clients commit, and a new
 *       one continues.
 * </ul>
 *
 * Clients must survive: every attempt commits or fails with a SQLState of a conflict or a lost
 * connection, and the clients go on. Afterwards:
 *
 * <ol>
 *   <li>every transaction wrote one version of each table, in both the catalog's own
 *       {@code delta_versions} and {@code sys.history}: no torn commit;
 *   <li>replayed in commit order (the tables' version chains), the total of both tables read
 *       with {@code VERSION AS OF} is the initial total at every cut, and at the end;
 *   <li>no acknowledged commit is lost, and no commit appeared that no attempt could have made:
 *       committed attempts &le; transactions &le; committed plus attempts of unknown outcome;
 *   <li>after {@code CALL reconcile()}, each {@code _delta_log} ends at the catalog's version
 *       and {@code CALL verify()} finds nothing;
 *   <li>Delta Kernel reads the final versions from the logs with the same rows and total.
 * </ol>
 *
 * Each injected fault is recorded in the {@link TckReport}, survived if all of these held.
 */
class BankUnderFaultsTest {
  private static final Logger LOG = LoggerFactory.getLogger(BankUnderFaultsTest.class);
  private static final int CLIENTS_PER_JVM = 4;
  /** States of an attempt that certainly wrote nothing: conflicts, lock waits, backpressure. */
  private static final Set<String> NOTHING_WRITTEN = Set.of("40001", "40P01", "55P03", "53000");
  /** States a fault may cause besides those: a lost catalog connection (class 08, 57P01). */
  private static final Pattern CONNECTION_LOST = Pattern.compile("08...|57P01");
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);
  private static final Path WORK = Path.of("target", "bank-under-faults");

  @Test
  void transfersKeepTheTotalThroughKilledSessionsFailingLogsAndKilledJvms() throws Exception {
    long seed = Long.getLong("deltasql.faults.seed", System.nanoTime());
    LOG.info("bank under faults seed={} (replay with -Ddeltasql.faults.seed={})", seed, seed);
    Random random = new Random(seed);
    String schema = Postgres.uniqueSchema("bankfaults");
    String catalogUrl = Postgres.freshSchemaUrl(schema) + "&ApplicationName=" + schema;
    Path warehouse = Files.createTempDirectory("deltasql-tck-bankfaults-");
    String url = "jdbc:deltasql:warehouse=" + warehouse + ";catalog='" + catalogUrl + "'";
    List<String> faults = new ArrayList<>();
    boolean survived = false;
    long start = System.nanoTime();
    try (ClientJvms jvms = new ClientJvms(url, seed, WORK.resolve(schema));
        Connection admin = DriverManager.getConnection(Postgres.url() + (Postgres.url().contains("?") ? "&" : "?")
            + "currentSchema=" + schema + "&ApplicationName=" + schema + "_admin")) {
      jvms.startStandby(); // warms up while the tables are created
      Map<String, Long> initialVersions = createAccounts(url);
      BankClient.Tally tally = new BankClient.Tally();
      runClientsWithFaults(url, schema, seed, random, jvms, admin, faults, tally);
      long loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      checkInvariants(url, admin, initialVersions, tally);
      survived = true;
      LOG.info("bank under faults seed={} committed={} failedByState={} connectFailedByState={} faults={} loadMs={}"
          + " totalMs={}", seed, tally.commits(), tally.failures(), tally.connectFailures(), count(faults),
          loadMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } finally {
      for (String fault : faults) {
        TckReport.fault(fault, survived);
      }
      Postgres.dropSchema(schema);
      deleteTree(warehouse);
    }
  }

  /** Creates both tables with their accounts; returns their versions. */
  private static Map<String, Long> createAccounts(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      for (String table : BankClient.TABLES) {
        s.execute("create table " + table + " (id int not null, balance bigint not null)");
        StringBuilder values = new StringBuilder();
        for (int id = 0; id < BankClient.ACCOUNTS; id++) {
          values.append(id == 0 ? "" : ", ").append("(").append(id).append(", ")
              .append(BankClient.INITIAL_BALANCE).append(")");
        }
        s.executeUpdate("insert into " + table + " values " + values);
      }
      BankHistory history = new BankHistory(s, BankClient.TABLES, BankClient.ACCOUNTS);
      assertEquals(BankClient.TOTAL, history.latestTotal(), "initial total");
      return history.currentVersions();
    }
  }

  /**
   * Runs the clients of both JVMs while injecting the faults in a random order; stops them all
   * and adds every client's outcomes to {@code tally}.
   */
  private static void runClientsWithFaults(String url, String application, long seed, Random random,
      ClientJvms jvms, Connection admin, List<String> faults, BankClient.Tally tally) throws Exception {
    List<String> plan = new ArrayList<>();
    plan.addAll(Collections.nCopies(3 + random.nextInt(2), "pg_terminate_backend"));
    plan.addAll(Collections.nCopies(3, "failing-fs"));
    Collections.shuffle(plan, random);
    // Two SIGKILLs, one in each half, apart: the standby JVM started after the first warms up meanwhile.
    int half = plan.size() / 2;
    plan.add(half + 1 + random.nextInt(plan.size() - half), "sigkill");
    plan.add(1 + random.nextInt(half - 1), "sigkill");
    LOG.info("fault plan seed={} plan={}", seed, plan);

    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> locals = new ArrayList<>();
    for (int i = 0; i < CLIENTS_PER_JVM; i++) {
      Thread thread = new Thread(new BankClient(url, seed * 31 + 100 + i, stop::get, tally), "bank-client-" + i);
      thread.start();
      locals.add(thread);
    }
    try {
      int killsLeft = Collections.frequency(plan, "sigkill");
      jvms.promoteStandby();
      if (killsLeft > 0) {
        jvms.startStandby();
      }
      awaitCommits(admin, 2);
      for (String fault : plan) {
        Thread.sleep(300 + random.nextInt(700));
        switch (fault) {
          case "pg_terminate_backend" -> terminateBackends(admin, application, random);
          case "failing-fs" -> failLogWrites(admin, random);
          case "sigkill" -> {
            jvms.awaitStandbyReady();
            jvms.awaitActiveCommits(1);
            Thread.sleep(random.nextInt(300));
            jvms.killActive();
            jvms.promoteStandby();
            if (--killsLeft > 0) {
              jvms.startStandby();
            }
          }
          default -> throw new IllegalStateException(fault);
        }
        faults.add(fault);
      }
      // The child JVM running last commits too: its clients took over after every fault.
      jvms.awaitActiveCommits(1);
    } finally {
      stop.set(true);
      jvms.stop();
      for (Thread thread : locals) {
        thread.join(STEP_TIMEOUT.toMillis());
        assertFalse(thread.isAlive(), thread.getName() + " hangs: it did not stop within " + STEP_TIMEOUT);
      }
    }
    jvms.awaitStopped();
    tally.add(jvms.tally());
  }

  /** Waits until the tables together have {@code commits} more versions than when called. */
  private static void awaitCommits(Connection admin, long commits) throws Exception {
    long target = catalogVersions(admin) + commits;
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (catalogVersions(admin) < target) {
      if (System.nanoTime() > deadline) {
        fail("no " + commits + " commits within " + STEP_TIMEOUT + ": the clients are stuck");
      }
      Thread.sleep(20);
    }
  }

  /** The sum of both tables' current versions, read from the catalog database itself. */
  private static long catalogVersions(Connection admin) throws SQLException {
    try (Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("select coalesce(sum(current_version), 0) from delta_tables")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Kills the catalog sessions of this test's clients that are running a statement or are in a
   * transaction (waiting a little for one); if none is, one idle session. Only sessions whose
   * application name is this test's catalog schema are candidates.
   */
  private static void terminateBackends(Connection admin, String application, Random random) throws Exception {
    List<Integer> busy = new ArrayList<>();
    List<Integer> all = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (busy.isEmpty() && System.nanoTime() < deadline) {
      all.clear();
      try (PreparedStatement ps = admin.prepareStatement("select pid, state from pg_stat_activity"
          + " where datname = current_database() and application_name = ? and pid <> pg_backend_pid()")) {
        ps.setString(1, application);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            all.add(rs.getInt(1));
            if (!"idle".equals(rs.getString(2))) {
              busy.add(rs.getInt(1));
            }
          }
        }
      }
      if (busy.isEmpty()) {
        Thread.sleep(5);
      }
    }
    List<Integer> victims = busy.isEmpty() && !all.isEmpty() ? List.of(all.get(random.nextInt(all.size()))) : busy;
    int killed = 0;
    try (PreparedStatement ps = admin.prepareStatement("select pg_terminate_backend(?)")) {
      for (int pid : victims) {
        ps.setInt(1, pid);
        try (ResultSet rs = ps.executeQuery()) {
          killed += rs.next() && rs.getBoolean(1) ? 1 : 0;
        }
      }
    }
    LOG.info("fault pg_terminate_backend sessions={} busy={} killed={}", all.size(), busy.size(), killed);
    assertTrue(killed > 0, "no catalog session of the clients to terminate among " + all);
  }

  /**
   * Makes both tables' {@code _delta_log} refuse new files for a few hundred milliseconds and
   * until at least one commit landed in the catalog meanwhile (its mirror failed), then heals.
   */
  private static void failLogWrites(Connection admin, Random random) throws Exception {
    List<Path> logs = new ArrayList<>();
    try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("select location from delta_tables")) {
      while (rs.next()) {
        logs.add(Path.of(rs.getString(1), "_delta_log"));
      }
    }
    assumeUnwritableWorks(logs.get(0).getParent().getParent());
    long before = catalogVersions(admin);
    long hold = 300 + random.nextInt(500);
    List<UnwritableDirectory> locked = new ArrayList<>();
    long started = System.nanoTime();
    try {
      for (Path log : logs) {
        locked.add(UnwritableDirectory.lock(log));
      }
      Thread.sleep(hold);
      awaitCommits(admin, Math.max(0, before + 1 - catalogVersions(admin)));
    } finally {
      for (UnwritableDirectory dir : locked) {
        dir.close();
      }
    }
    LOG.info("fault failing-fs logs={} heldMs={} commitsMeanwhile={}", logs.size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), catalogVersions(admin) - before);
  }

  private static void assumeUnwritableWorks(Path scratch) throws IOException {
    if (!UnwritableDirectory.works(scratch)) {
      fail("cannot make a folder unwritable here (neither chattr +i as root nor chmod otherwise takes effect):"
          + " the failing-fs fault cannot be injected");
    }
  }

  /** Everything the class comment promises after the run. */
  private static void checkInvariants(String url, Connection admin, Map<String, Long> initialVersions,
      BankClient.Tally tally) throws Exception {
    Map<String, Long> unexpected = new TreeMap<>();
    tally.failures().forEach((state, n) -> {
      if (!NOTHING_WRITTEN.contains(state) && !CONNECTION_LOST.matcher(state).matches()) {
        unexpected.put(state, n);
      }
    });
    tally.connectFailures().forEach((state, n) -> {
      if (!CONNECTION_LOST.matcher(state).matches()) {
        unexpected.merge(state, n, Long::sum);
      }
    });
    assertTrue(unexpected.isEmpty(), "failures with unexpected SQLStates " + unexpected + "; first messages "
        + tally.samples());

    // No torn commit in the catalog database itself: every transaction wrote both tables once.
    try (PreparedStatement ps = admin.prepareStatement("select v.txn_id, count(*) from delta_versions v"
        + " join delta_tables t on t.table_id = v.table_id where v.version > case t.table_name"
        + " when ? then ? else ? end group by v.txn_id having count(*) <> 2 or count(distinct v.table_id) <> 2")) {
      ps.setString(1, BankClient.TABLES.get(0));
      ps.setLong(2, initialVersions.get(BankClient.TABLES.get(0)));
      ps.setLong(3, initialVersions.get(BankClient.TABLES.get(1)));
      try (ResultSet rs = ps.executeQuery()) {
        assertFalse(rs.next(), () -> "torn transaction in delta_versions: " + rowText(rs));
      }
    }

    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("call reconcile()")) {
        while (rs.next()) {
          assertEquals(0, rs.getLong(3), "versions of " + rs.getString(1) + " left to mirror");
          assertFalse(rs.getBoolean(4), rs.getString(1) + " diverged");
          assertNull(rs.getString(5), "reconcile of " + rs.getString(1));
        }
      }
      BankHistory history = new BankHistory(s, BankClient.TABLES, BankClient.ACCOUNTS);
      Map<String, Long> finalVersions = history.currentVersions();
      List<BankHistory.Commit> order = history.commitOrder(initialVersions, "UPDATE");
      for (BankHistory.Commit commit : order) {
        assertEquals(BankClient.TABLES.size(), commit.versions().size(), "tables of transaction " + commit);
      }
      for (String table : BankClient.TABLES) {
        assertEquals(order.size(), finalVersions.get(table) - initialVersions.get(table), "transfers in " + table);
      }

      // Durability: no acknowledged commit lost; no commit but from an attempt of unknown outcome.
      long knownNotCommitted = tally.failures().entrySet().stream().filter(e -> NOTHING_WRITTEN.contains(e.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
      long unknown = tally.attempts() - tally.commits() - knownNotCommitted;
      assertTrue(tally.commits() <= order.size() && order.size() <= tally.commits() + unknown,
          "transactions in the catalog " + order.size() + " must be between the acknowledged commits "
              + tally.commits() + " and those plus the attempts of unknown outcome " + unknown + " (" + tally + ")");

      // Every cut of the commit order, then the latest state: the total never changed.
      Map<String, Long> state = new TreeMap<>(initialVersions);
      assertEquals(BankClient.TOTAL, history.totalAt(state), "total at " + state);
      for (BankHistory.Commit commit : order) {
        state.putAll(commit.versions());
        assertEquals(BankClient.TOTAL, history.totalAt(state), "total after transaction " + commit.txnId()
            + " at " + state);
      }
      assertEquals(finalVersions, state, "the replay ends at the current versions");
      assertEquals(BankClient.TOTAL, history.latestTotal(), "final total");

      // The mirror caught up exactly, verify agrees, and Kernel reads the same accounts.
      try (ResultSet rs = s.executeQuery("call verify()")) {
        assertFalse(rs.next(), () -> "CALL verify() found " + rowText(rs));
      }
      long kernelTotal = 0;
      for (String table : BankClient.TABLES) {
        String location = history.location(table);
        assertEquals(finalVersions.get(table), newestCommitFile(Path.of(location, "_delta_log")),
            "newest commit file in the _delta_log of " + table);
        assertEquals(finalVersions.get(table), KernelScan.latestVersion(location), "Kernel's latest version of " + table);
        StructType schema = TableLayout.of(DeltaLog.open(LocalStorage.INSTANCE, location).snapshot().metadata(),
            location).schema();
        List<Object[]> kernel = KernelScan.rowsAsOf(location, schema, finalVersions.get(table));
        assertEquals(Rows.render(Rows.multiset(JdbcRows.selectAll(c, table, schema))),
            Rows.render(Rows.multiset(kernel)), "rows of " + table + " through SQL and Kernel");
        for (Object[] row : kernel) {
          kernelTotal += (Long) row[1];
        }
        TckReport.tableVerified("kernel", table, true);
      }
      assertEquals(BankClient.TOTAL, kernelTotal, "final total read by Kernel");
    }
  }

  /** The version of the newest {@code NNN.json} commit file in a {@code _delta_log}. */
  private static long newestCommitFile(Path log) throws IOException {
    try (Stream<Path> files = Files.list(log)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElse(-1);
    }
  }

  private static String rowText(ResultSet rs) {
    try {
      StringBuilder text = new StringBuilder();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        text.append(i == 1 ? "" : ", ").append(rs.getString(i));
      }
      return text.toString();
    } catch (SQLException e) {
      return e.toString();
    }
  }

  private static Map<String, Long> count(List<String> faults) {
    Map<String, Long> counts = new TreeMap<>();
    faults.forEach(f -> counts.merge(f, 1L, Long::sum));
    return counts;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }

  /**
   * The child JVMs of clients: the active one, whose clients transfer, and a standby one that
   * warms up to take over when the active one is killed. Stopping writes the stop file that every
   * child waits for.
   */
  private static final class ClientJvms implements AutoCloseable {
    private final String url;
    private final long seed;
    private final Path prefix;
    private final Path stopFile;
    private final List<Child> all = new ArrayList<>();
    private Child active;
    private Child standby;

    /** A child JVM of clients, its output files, and the file that lets its clients start. */
    private record Child(Process process, Path stdout, Path stderr, Path goFile) {
      String diagnostics() {
        return "\n(see " + stdout.toAbsolutePath() + " and " + stderr.toAbsolutePath() + ")";
      }
    }

    /** Children of the lake at {@code url}, their files named {@code prefix-…}. */
    ClientJvms(String url, long seed, Path prefix) throws IOException {
      this.url = url;
      this.seed = seed;
      this.prefix = prefix;
      this.stopFile = Path.of(prefix + ".stop");
      Files.createDirectories(prefix.getParent());
      Files.deleteIfExists(stopFile);
    }

    /** Starts a child that warms up and waits to be promoted. */
    void startStandby() throws IOException {
      int number = all.size();
      Path stdout = Path.of(prefix + "-child-" + number + ".out");
      Path stderr = Path.of(prefix + "-child-" + number + ".err");
      Path goFile = Path.of(prefix + "-child-" + number + ".go");
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.timezone=UTC",
          "-cp", System.getProperty("java.class.path"), BankClientProcess.class.getName(), url,
          String.valueOf(CLIENTS_PER_JVM), String.valueOf(seed + number), goFile.toAbsolutePath().toString(),
          stopFile.toAbsolutePath().toString());
      Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
          .start();
      LOG.info("child JVM started number={} pid={} stdout={}", number, process.pid(), stdout.toAbsolutePath());
      standby = new Child(process, stdout, stderr, goFile);
      all.add(standby);
    }

    /** Lets the standby child's clients start: it becomes the active one. */
    void promoteStandby() throws IOException {
      Files.writeString(standby.goFile(), "go");
      active = standby;
      standby = null;
    }

    /** Waits until the standby child has warmed up (bounded), failing if it dies. */
    void awaitStandbyReady() throws Exception {
      long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
      while (!Files.readString(standby.stdout()).contains("READY")) {
        if (!standby.process().isAlive()) {
          fail("the standby child JVM died while warming up" + standby.diagnostics());
        }
        if (System.nanoTime() > deadline) {
          fail("the standby child JVM did not warm up within " + STEP_TIMEOUT + standby.diagnostics());
        }
        Thread.sleep(20);
      }
    }

    /** Waits until the active child has printed {@code commits} commits (bounded), failing if it dies. */
    void awaitActiveCommits(long commits) throws Exception {
      long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
      while (BankClientProcess.tally(active.stdout()).commits() < commits) {
        if (!active.process().isAlive()) {
          fail("the child JVM died before committing" + active.diagnostics());
        }
        if (System.nanoTime() > deadline) {
          fail("the child JVM committed nothing within " + STEP_TIMEOUT + active.diagnostics());
        }
        Thread.sleep(20);
      }
    }

    /** SIGKILL (on Linux) to the active child, and waits until it is gone. */
    void killActive() throws InterruptedException {
      kill(active);
      LOG.info("fault sigkill pid={} exit={}", active.process().pid(), active.process().exitValue());
      active = null;
    }

    /** Tells every child to stop. */
    void stop() throws IOException {
      Files.writeString(stopFile, "stop");
    }

    /** Waits until every child exited; the ones not killed must exit 0. */
    void awaitStopped() throws Exception {
      for (Child child : List.of(Optional.ofNullable(active), Optional.ofNullable(standby)).stream()
          .flatMap(Optional::stream).toList()) {
        if (!child.process().waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          kill(child);
          fail("the child JVM's clients did not stop within " + STEP_TIMEOUT + child.diagnostics());
        }
        assertEquals(0, child.process().exitValue(), "exit status of a child JVM told to stop" + child.diagnostics());
      }
    }

    /** The outcomes every child printed. */
    BankClient.Tally tally() throws IOException {
      BankClient.Tally tally = new BankClient.Tally();
      for (Child child : all) {
        BankClient.Tally childTally = BankClientProcess.tally(child.stdout());
        LOG.info("child {} exit={} {}", child.stdout().getFileName(), child.process().exitValue(), childTally);
        tally.add(childTally);
      }
      return tally;
    }

    private static void kill(Child child) throws InterruptedException {
      child.process().destroyForcibly();
      assertTrue(child.process().waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
          "the child survived SIGKILL" + child.diagnostics());
    }

    /** Kills the children still running (after a failure) and removes the control files. */
    @Override
    public void close() throws IOException {
      for (Child child : all) {
        child.process().destroyForcibly();
        Files.deleteIfExists(child.goFile());
      }
      Files.deleteIfExists(stopFile);
    }
  }
}
