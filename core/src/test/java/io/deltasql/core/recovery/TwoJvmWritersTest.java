package io.deltasql.core.recovery;

import static io.deltasql.core.recovery.LogChecks.assertLogEqualsCatalog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.mirror.MirrorEngine;
import io.deltasql.core.mirror.TableMirror;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.TableRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writer JVMs (each with its own writer, locks, connection pool and mirror engine) run
 * multi-table transactions against the same two tables of one PostgreSQL catalog at once.
 * Every transaction lands in both tables or neither, every version holds exactly one
 * commit, and after a reconcile each {@code _delta_log} is exactly the catalog.
 */
class TwoJvmWritersTest {
  private static final int K = 30;
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(45);

  @TempDir
  Path dir;

  @Test
  @Timeout(90)
  void twoJvmsCommitMultiTableTransactionsAtomicallyAndTheLogsEqualTheCatalog() throws Exception {
    try (CatalogFixture catalog = CatalogBackend.POSTGRESQL.fresh("twojvm")) {
      CatalogStore store = catalog.store();
      TableRef a;
      TableRef b;
      try (MultiTableWriter writer = MultiTableWriter.builder(store).config(RecoveryChild.config())
          .mirror(TableMirror.NONE).build()) {
        a = RecoveryChild.createTable(writer, "main", "a", dir.resolve("a").toAbsolutePath().toString());
        b = RecoveryChild.createTable(writer, "main", "b", dir.resolve("b").toAbsolutePath().toString());
      }

      Set<String> reported = new HashSet<>();
      List<String> done = new ArrayList<>();
      try (ChildJvm one = ChildJvm.start(dir, "writer", catalog.url(), "w1", String.valueOf(K));
          ChildJvm two = ChildJvm.start(dir, "writer", catalog.url(), "w2", String.valueOf(K))) {
        for (ChildJvm child : List.of(one, two)) {
          for (int i = 0; i < K; i++) {
            assertTrue(reported.add(child.next(RUN_TIMEOUT, "TXN").substring(4)), "a transaction id is reported once");
          }
          done.add(child.next(RUN_TIMEOUT, "DONE"));
          assertEquals(0, child.awaitExit(RUN_TIMEOUT), () -> "exit code of the child" + child.diagnostics());
        }
      }
      assertEquals(2 * K, reported.size());

      // Versions: 0 (creation) and one per transaction of either writer.
      assertEquals(2L * K, store.currentVersion(a.tableId()), "current version of a");
      assertEquals(2L * K, store.currentVersion(b.tableId()), "current version of b");
      List<String> txnsOfA = txnIdsOfCommits(store, a);
      List<String> txnsOfB = txnIdsOfCommits(store, b);
      assertEquals(2 * K, new HashSet<>(txnsOfA).size(), "each version of a is a different transaction");
      assertEquals(2 * K, new HashSet<>(txnsOfB).size(), "each version of b is a different transaction");
      assertEquals(new HashSet<>(txnsOfA), new HashSet<>(txnsOfB), "every transaction is in both tables or neither");
      assertEquals(reported, new HashSet<>(txnsOfA), "the catalog holds exactly the reported transactions");
      assertEquals(2 * K + 1, store.snapshot(a.tableId()).files().size(), "files of a");
      assertEquals(2 * K + 1, store.snapshot(b.tableId()).files().size(), "files of b");

      try (MirrorEngine engine = MirrorEngine.open(store, LocalStorage.INSTANCE, RecoveryChild.MIRROR,
          new SimpleMeterRegistry())) {
        engine.reconcile();
        assertLogEqualsCatalog(store, a.tableId(), a.location());
        assertLogEqualsCatalog(store, b.tableId(), b.location());
      }
      System.out.println("TwoJvmWritersTest: " + done + ", writer switches between consecutive versions of a: "
          + writerSwitches(store, a));
    }
  }

  /** How often consecutive versions of the table come from different writers (how much the JVMs interleaved). */
  private static int writerSwitches(CatalogStore store, TableRef table) {
    int switches = 0;
    String previous = null;
    for (long v = 1; v <= store.currentVersion(table.tableId()); v++) {
      String path = store.versionActions(table.tableId(), v).stream().filter(AddFile.class::isInstance)
          .map(x -> ((AddFile) x).path()).findFirst().orElseThrow();
      String writer = path.split("-")[1];
      if (previous != null && !previous.equals(writer)) {
        switches++;
      }
      previous = writer;
    }
    return switches;
  }

  /**
   * The transaction id of each version 1.. of the table, asserting that each version holds
   * exactly one commitInfo and exactly one added file (one commit, one append).
   */
  private static List<String> txnIdsOfCommits(CatalogStore store, TableRef table) {
    List<String> ids = new ArrayList<>();
    long current = store.currentVersion(table.tableId());
    for (long v = 1; v <= current; v++) {
      List<Action> actions = store.versionActions(table.tableId(), v);
      List<CommitInfo> infos = actions.stream().filter(CommitInfo.class::isInstance).map(CommitInfo.class::cast)
          .toList();
      String at = table.tableName() + " version " + v;
      assertEquals(1, infos.size(), at + ": commitInfo actions");
      assertEquals(1, actions.stream().filter(AddFile.class::isInstance).count(), at + ": added files");
      assertTrue(infos.get(0).values().hasNonNull(CommitInfo.TXN_ID), at + ": commitInfo.txnId");
      ids.add(infos.get(0).values().get(CommitInfo.TXN_ID).asText());
    }
    return ids;
  }
}
