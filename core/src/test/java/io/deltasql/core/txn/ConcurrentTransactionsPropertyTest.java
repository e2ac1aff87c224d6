package io.deltasql.core.txn;

import static io.deltasql.core.txn.WriterFixture.file;
import static io.deltasql.core.txn.WriterFixture.remove;
import static io.deltasql.core.txn.WriterFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.catalog.VersionRecord;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.mirror.MirrorOutcome;
import io.deltasql.core.mirror.TableMirror;
import io.deltasql.core.testing.CatalogBackend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random interleavings of concurrent multi-table transactions on a real catalog: 2 to 4
 * threads move "balance" (the values of data files) between 3 tables, or append to them,
 * at random isolation levels, through two writers (two JVMs: separate lock managers, one
 * catalog), with injected faults (a mirror that fails every third call, commits aborted
 * inside their catalog transaction, explicit rollbacks). Whatever happens:
 *
 * <ul>
 *   <li>every transaction is all or nothing: a committed one has exactly one version in each
 *       table it wrote and none elsewhere; a failed or rolled-back one has none anywhere;
 *   <li>each table's versions rise by exactly one per commit: versions are 0..n, n being
 *       the number of committed transactions that wrote the table, and each commit's version
 *       is its (rebased) read version plus one;
 *   <li>the total balance over the three tables is conserved;
 *   <li>every transaction ends COMMITTED or ROLLED_BACK.
 * </ul>
 */
class ConcurrentTransactionsPropertyTest {
  private static final long INITIAL = 100;
  private static final Map<CatalogBackend, WriterFixture> FIXTURES = new EnumMap<>(CatalogBackend.class);

  enum Kind { TRANSFER, APPEND }

  enum Fault { NONE, ROLLBACK, ABORT_IN_COMMIT }

  /** One transaction a thread runs. */
  record Plan(int from, int to, long amount, IsolationLevel level, Kind kind, Fault fault, boolean otherJvm) {}

  /** What became of one transaction. */
  record Outcome(UUID id, Set<String> tables, boolean committed, Map<String, TableCommitResult> results,
      TransactionState state) {}

  private static synchronized WriterFixture fixture(CatalogBackend backend) {
    return FIXTURES.computeIfAbsent(backend, b -> new WriterFixture(b, "property"));
  }

  @AfterContainer
  static synchronized void closeFixtures() {
    FIXTURES.values().forEach(WriterFixture::close);
    FIXTURES.clear();
  }

  @Provide
  Arbitrary<List<List<Plan>>> schedules() {
    Arbitrary<Plan> plan = Combinators.combine(
        Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 2),
        Arbitraries.longs().between(1, 40),
        Arbitraries.of(IsolationLevel.class),
        Arbitraries.frequency(Tuple.of(3, Kind.TRANSFER), Tuple.of(1, Kind.APPEND)),
        Arbitraries.frequency(Tuple.of(6, Fault.NONE), Tuple.of(1, Fault.ROLLBACK), Tuple.of(1, Fault.ABORT_IN_COMMIT)),
        Arbitraries.of(true, false))
        .as(Plan::new);
    return plan.list().ofMinSize(1).ofMaxSize(3).list().ofMinSize(2).ofMaxSize(4);
  }

  @Property(tries = 16)
  void concurrentTransactionsAreAllOrNothingAndConserveTheBalance(@ForAll CatalogBackend backend,
      @ForAll("schedules") List<List<Plan>> schedule) throws Exception {
    WriterFixture fixture = fixture(backend);
    Set<UUID> toAbort = ConcurrentHashMap.newKeySet();
    AtomicInteger mirrorCalls = new AtomicInteger();
    TableMirror flakyMirror = id -> {
      if (mirrorCalls.incrementAndGet() % 3 == 0) {
        throw new IllegalStateException("injected mirror failure");
      }
      return MirrorOutcome.skipped(id);
    };
    CommitHook abort = (tx, attempt) -> {
      if (toAbort.contains(tx.id())) {
        throw new IllegalStateException("injected abort inside the catalog transaction");
      }
    };
    MultiTableWriter here = fixture.writer(b -> b.mirror(flakyMirror).commitHook(abort));
    MultiTableWriter there = fixture.writer(b -> b.mirror(flakyMirror).commitHook(abort));
    List<TableRef> tables = List.of(
        fixture.createTable(here, file("seed-0", INITIAL)),
        fixture.createTable(here, file("seed-1", INITIAL)),
        fixture.createTable(here, file("seed-2", INITIAL)));

    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    CyclicBarrier start = new CyclicBarrier(schedule.size());
    ExecutorService pool = Executors.newFixedThreadPool(schedule.size());
    try {
      List<Future<?>> threads = new ArrayList<>();
      for (int t = 0; t < schedule.size(); t++) {
        List<Plan> plans = schedule.get(t);
        int thread = t;
        threads.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          for (int i = 0; i < plans.size(); i++) {
            Plan p = plans.get(i);
            outcomes.add(run(p.otherJvm() ? there : here, tables, p, "t" + thread + "-" + i, toAbort));
          }
          return null;
        }));
      }
      for (Future<?> f : threads) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      here.close();
      there.close();
    }
    check(fixture, tables, outcomes);
  }

  private static Outcome run(MultiTableWriter writer, List<TableRef> tables, Plan p, String name, Set<UUID> toAbort) {
    TableRef from = tables.get(p.from());
    TableRef to = tables.get(p.to());
    MultiTableTransaction tx = writer.begin(p.level(), 0);
    Set<String> written = new LinkedHashSet<>();
    try {
      Map<Long, TransactionSnapshot> read = writer.snapshotsFor(tx, List.of(from.tableId(), to.tableId()));
      TransactionSnapshot source = read.get(from.tableId());
      Optional<AddFile> richest = source.snapshot().files().values().stream()
          .max(Comparator.comparingLong(WriterFixture::value));
      long amount = richest.map(f -> Math.min(p.amount(), value(f))).orElse(0L);
      if (p.kind() == Kind.APPEND || amount == 0) {
        tx.addFiles(to.key(), read.get(to.tableId()).readVersion(), List.of(file(name + "-append", 0)));
        written.add(to.key());
      } else {
        AddFile old = richest.get();
        TableActionsBuilder debit = new TableActionsBuilder(from.key(), source.readVersion())
            .removeFile(remove(old)).withOperation("UPDATE").readsTable(true);
        if (value(old) > amount) {
          debit.addFile(file(name + "-rest", value(old) - amount));
        }
        tx.stageActions(debit.build());
        tx.stageActions(new TableActionsBuilder(to.key(), read.get(to.tableId()).readVersion())
            .addFile(file(name + "-credit", amount)).withOperation("UPDATE").readsTable(true).build());
        written.add(from.key());
        written.add(to.key());
      }
      if (p.fault() == Fault.ROLLBACK) {
        writer.rollback(tx);
        return new Outcome(tx.id(), written, false, Map.of(), tx.state());
      }
      if (p.fault() == Fault.ABORT_IN_COMMIT) {
        toAbort.add(tx.id());
      }
      MultiTableCommitResult result = writer.commit(tx);
      Map<String, TableCommitResult> byTable = new HashMap<>();
      result.tables().forEach(r -> byTable.put(r.table(), r));
      return new Outcome(tx.id(), written, true, byTable, tx.state());
    } catch (DeltaException e) {
      if (tx.state() == TransactionState.FAILED || tx.state() == TransactionState.ACTIVE) {
        writer.rollback(tx);
      }
      return new Outcome(tx.id(), written, false, Map.of(), tx.state());
    }
  }

  private static void check(WriterFixture fixture, List<TableRef> tables, List<Outcome> outcomes) {
    Map<String, List<VersionRecord>> histories = new HashMap<>();
    for (TableRef t : tables) {
      histories.put(t.key(), fixture.history(t));
    }
    long balance = 0;
    for (TableRef t : tables) {
      balance += fixture.latest(t).files().values().stream().mapToLong(WriterFixture::value).sum();
    }
    assertEquals(3 * INITIAL, balance, "the balance is conserved");

    for (Outcome o : outcomes) {
      assertTrue(o.state() == TransactionState.COMMITTED || o.state() == TransactionState.ROLLED_BACK,
          () -> o.id() + " ended " + o.state());
      for (TableRef t : tables) {
        long versionsWithId = histories.get(t.key()).stream()
            .filter(r -> r.txnId().filter(o.id().toString()::equals).isPresent()).count();
        long expected = o.committed() && o.tables().contains(t.key()) ? 1 : 0;
        assertEquals(expected, versionsWithId, () -> "transaction " + o.id() + " (committed=" + o.committed()
            + ", tables " + o.tables() + ") in table " + t.key());
      }
      if (o.committed()) {
        o.results().values().forEach(r -> assertEquals(r.readVersion() + 1, r.version(),
            () -> "version of " + r.table() + " rises by one"));
      }
    }
    for (TableRef t : tables) {
      List<VersionRecord> history = histories.get(t.key());
      long commits = outcomes.stream().filter(o -> o.committed() && o.tables().contains(t.key())).count();
      assertEquals(commits, history.size() - 1, () -> "versions of " + t.key());
      Set<Long> versions = new HashSet<>();
      history.forEach(r -> versions.add(r.version()));
      assertEquals(history.size(), versions.size());
      Set<Long> committedVersions = new HashSet<>();
      outcomes.stream().filter(Outcome::committed).map(o -> o.results().get(t.key())).filter(r -> r != null)
          .forEach(r -> assertTrue(committedVersions.add(r.version()), "two commits got one version"));
    }
  }
}
