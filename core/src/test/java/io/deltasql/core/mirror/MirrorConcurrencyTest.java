package io.deltasql.core.mirror;

import static io.deltasql.core.mirror.MirrorEngineTest.CONFIG;
import static io.deltasql.core.mirror.MirroredLog.assertEqualsCatalog;
import static io.deltasql.core.mirror.MirroredLog.checkpointVersions;
import static io.deltasql.core.mirror.MirroredLog.lastCheckpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several threads of one engine, and two engines on one catalog (as two JVMs would be),
 * mirror one table while it is committed to: every commit file is created exactly once,
 * never overwritten, and nothing is taken for a foreign commit.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MirrorConcurrencyTest {
  private static final int THREADS = 3;

  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("mirrorrace");
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  private CatalogStore store() {
    return catalog.store();
  }

  @Test
  void threadsOfOneEngineWriteEachVersionOnce() throws Exception {
    FaultyStorage storage = new FaultyStorage();
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), storage, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      table.commit(10);

      race(table, 12, List.of(engine, engine, engine));

      assertWrittenOnce(storage, table);
    }
  }

  /** Two engines, each with its own catalog connection pool and per-table locks, share nothing but the catalog. */
  @Test
  void twoEnginesOnOneCatalogWriteEachVersionOnce() throws Exception {
    FaultyStorage storage = new FaultyStorage();
    try (CatalogStore second = CatalogStore.open(catalog.config());
        Lake lake = new Lake(store());
        MirrorEngine first = MirrorEngine.open(store(), storage, CONFIG, new SimpleMeterRegistry());
        MirrorEngine other = MirrorEngine.open(second, storage, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      table.commit(10);

      race(table, 12, List.of(first, other, other));

      assertWrittenOnce(storage, table);
    }
  }

  /**
   * The first thread commits {@code commits} versions, mirroring after each through its
   * engine; the others mirror the table through theirs in a loop until it is done.
   */
  private static void race(TestTable table, int commits, List<MirrorEngine> engines) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    CyclicBarrier start = new CyclicBarrier(THREADS);
    AtomicBoolean committing = new AtomicBoolean(true);
    List<Future<List<MirrorOutcome>>> results = new ArrayList<>();
    try {
      for (int i = 0; i < THREADS; i++) {
        MirrorEngine engine = engines.get(i);
        boolean committer = i == 0;
        Callable<List<MirrorOutcome>> work = () -> {
          List<MirrorOutcome> outcomes = new ArrayList<>();
          start.await();
          if (committer) {
            for (int c = 0; c < commits; c++) {
              table.commit(1);
              outcomes.add(engine.mirror(table.id()));
            }
            committing.set(false);
          } else {
            do {
              outcomes.add(engine.mirror(table.id()));
            } while (committing.get());
          }
          return outcomes;
        };
        results.add(threads.submit(work));
      }
      for (Future<List<MirrorOutcome>> result : results) {
        for (MirrorOutcome outcome : result.get(60, TimeUnit.SECONDS)) {
          assertFalse(outcome.diverged(), () -> "diverged: " + outcome);
          assertEquals(Optional.empty(), outcome.failure());
        }
      }
    } finally {
      threads.shutdownNow();
    }
    assertTrue(engines.get(0).mirror(table.id()).complete());
  }

  private void assertWrittenOnce(FaultyStorage storage, TestTable table) {
    assertEquals(22, table.version());
    for (long v = 0; v <= table.version(); v++) {
      String path = table.logFile(LogFile.commitFileName(v));
      assertEquals(1, storage.created(path), "creations of version " + v);
      assertEquals(0, storage.overwritten(path), "overwrites of version " + v);
    }
    assertEquals(Optional.empty(), store().findTable(table.id()).orElseThrow().divergence());
    assertEqualsCatalog(store(), table);
    assertEquals(List.of(10L, 20L), checkpointVersions(table));
    long hint = lastCheckpoint(table).orElseThrow().version();
    assertTrue(checkpointVersions(table).contains(hint), "_last_checkpoint names a checkpoint: " + hint);
  }
}
