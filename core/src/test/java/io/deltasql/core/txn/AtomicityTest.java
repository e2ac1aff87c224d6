package io.deltasql.core.txn;

import static io.deltasql.core.txn.WriterFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.testing.CatalogBackend;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Multi-table commits are seen all or nothing by concurrent readers that read one cut, and
 * what the catalog databases' READ COMMITTED gives: one statement is one snapshot (on H2 as
 * on PostgreSQL), two statements of one catalog transaction are not.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtomicityTest {
  private static final int COMMITS = 30;

  @Parameter
  CatalogBackend backend;

  private WriterFixture fixture;

  @BeforeParameterizedClassInvocation
  void open(CatalogBackend backend) {
    fixture = new WriterFixture(backend, "atomicity");
  }

  @AfterParameterizedClassInvocation
  void close() {
    fixture.close();
  }

  @Test
  void aThreeTableTransactionIsSeenAllOrNothingByConcurrentCuts() throws Exception {
    MultiTableWriter writer = fixture.writer();
    List<TableRef> tables = List.of(fixture.createTable(writer), fixture.createTable(writer),
        fixture.createTable(writer));
    List<Long> ids = tables.stream().map(TableRef::tableId).toList();
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger cuts = new AtomicInteger();
    Set<Long> versionsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<?> commits = pool.submit(() -> {
        try {
          for (int i = 1; i <= COMMITS; i++) {
            MultiTableTransaction tx = writer.begin();
            for (TableRef t : tables) {
              tx.addFiles(t.key(), i - 1, List.of(file("f" + i)));
            }
            writer.commit(tx);
            // let the raw reader cut after this commit, so that it sees the tables move
            // (without it, a fast machine finished all commits before the reader's first cut)
            int after = cuts.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (cuts.get() < after + 2 && System.nanoTime() < deadline) {
              Thread.sleep(1);
            }
          }
        } finally {
          done.set(true);
        }
        return null;
      });
      // A reader of raw cuts: one currentVersions statement.
      Future<?> raw = pool.submit(() -> {
        while (!done.get()) {
          Map<Long, Long> cut = fixture.store().inTransaction(c -> c.currentVersions(ids));
          assertEquals(1, new HashSet<>(cut.values()).size(), () -> "a torn cut: " + cut);
          versionsSeen.add(cut.values().iterator().next());
          cuts.incrementAndGet();
          Thread.sleep(1);
        }
        return null;
      });
      // A reader through the writer: READ COMMITTED statements reading the three tables.
      Future<?> statements = pool.submit(() -> {
        MultiTableWriter reader = fixture.writer();
        while (!done.get()) {
          MultiTableTransaction tx = reader.begin();
          Map<Long, TransactionSnapshot> seen = reader.snapshotsFor(tx, ids);
          Set<Long> versions = new HashSet<>();
          Set<Integer> fileCounts = new HashSet<>();
          seen.values().forEach(s -> {
            versions.add(s.readVersion());
            fileCounts.add(s.snapshot().files().size());
          });
          assertEquals(1, versions.size(), () -> "a torn statement: " + versions);
          assertEquals(1, fileCounts.size(), () -> "a torn statement: " + fileCounts);
          reader.rollback(tx);
          Thread.sleep(1);
        }
        return null;
      });
      commits.get(120, TimeUnit.SECONDS);
      raw.get(30, TimeUnit.SECONDS);
      statements.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertTrue(cuts.get() > 0);
    assertTrue(versionsSeen.size() > 1, "the reader saw the tables move: " + versionsSeen);
    for (TableRef t : tables) {
      assertEquals(COMMITS, fixture.version(t));
    }
  }

  @Test
  void oneListingOfEveryTableIsOneCut() throws Exception {
    MultiTableWriter writer = fixture.writer();
    List<TableRef> tables = List.of(fixture.createTable(writer), fixture.createTable(writer));
    Set<Long> ids = Set.of(tables.get(0).tableId(), tables.get(1).tableId());
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> commits = pool.submit(() -> {
        try {
          for (int i = 1; i <= COMMITS / 2; i++) {
            MultiTableTransaction tx = writer.begin();
            for (TableRef t : tables) {
              tx.addFiles(t.key(), i - 1, List.of(file("f" + i)));
            }
            writer.commit(tx);
          }
        } finally {
          done.set(true);
        }
        return null;
      });
      while (!done.get()) {
        List<TableInfo> all = fixture.store().listTables();
        Set<Long> versions = new HashSet<>();
        all.stream().filter(t -> ids.contains(t.tableId())).forEach(t -> versions.add(t.currentVersion()));
        assertEquals(1, versions.size(), () -> "a torn listing: " + versions);
        Thread.sleep(1);
      }
      commits.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The catalog connections run at READ COMMITTED: each statement is a snapshot, a catalog
   * transaction is not. Reading two tables with two statements can see a multi-table commit
   * on one and not the other, which is why every cut is read by one statement.
   */
  @Test
  void twoStatementsOfOneCatalogTransactionAreNotOneSnapshot() {
    MultiTableWriter writer = fixture.writer();
    TableRef a = fixture.createTable(writer);
    TableRef b = fixture.createTable(writer);
    List<Long> seen = fixture.store().inTransaction(c -> {
      List<Long> versions = new ArrayList<>();
      versions.add(c.currentVersions(List.of(a.tableId())).get(a.tableId()));
      MultiTableTransaction tx = writer.begin(); // commits through other catalog connections
      tx.addFiles(a.key(), 0, List.of(file("a1")));
      tx.addFiles(b.key(), 0, List.of(file("b1")));
      writer.commit(tx);
      versions.add(c.currentVersions(List.of(b.tableId())).get(b.tableId()));
      return versions;
    });
    assertNotEquals(seen.get(0), seen.get(1), "A before the commit, B after it: " + seen);
  }
}
