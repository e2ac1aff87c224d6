package io.deltasql.core.mirror;

import static io.deltasql.core.mirror.MirroredLog.assertCommitFilesEqualCatalog;
import static io.deltasql.core.mirror.MirroredLog.assertSnapshotEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Whatever the commits and the storage faults, once storage is healthy and the reconciler
 * has run until there is nothing left, every table's {@code _delta_log} is exactly the
 * catalog: one commit file per version, contiguous from 0, each holding the catalog's
 * canonical bytes; a checkpoint at every multiple of the interval; and our log reader
 * rebuilds the catalog's latest snapshot.
 */
class MirrorConvergenceProperties {
  private static final int INTERVAL = 4;
  private static final MirrorConfig CONFIG = MirrorEngineTest.CONFIG.withAttempts(2).withCheckpointInterval(INTERVAL);
  private static final Map<CatalogBackend, CatalogFixture> CATALOGS = new EnumMap<>(CatalogBackend.class);

  private static synchronized CatalogStore store(CatalogBackend backend) {
    return CATALOGS.computeIfAbsent(backend, b -> b.fresh("mirrorprop")).store();
  }

  @AfterContainer
  static synchronized void closeCatalogs() {
    CATALOGS.values().forEach(CatalogFixture::close);
    CATALOGS.clear();
  }

  /** Which of the three tables each commit goes to; the engine mirrors after each, as the commit path does. */
  @Provide
  Arbitrary<List<Integer>> commits() {
    return Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(24);
  }

  @Property(tries = 14)
  void everyLogConvergesToTheCatalog(@ForAll CatalogBackend backend, @ForAll("commits") List<Integer> commits,
      @ForAll @DoubleRange(min = 0, max = 0.7) double failureRate, @ForAll long seed) {
    CatalogStore store = store(backend);
    FaultyStorage storage = new FaultyStorage().failRandomly(failureRate, seed);
    try (Lake lake = new Lake(store);
        MirrorEngine engine = MirrorEngine.open(store, storage, CONFIG, new SimpleMeterRegistry())) {
      List<TestTable> tables = List.of(lake.table(), lake.table(), lake.table());
      for (int table : commits) {
        tables.get(table).commit(1);
        engine.mirror(tables.get(table).id());
      }

      storage.heal();
      int rounds = 0;
      while (!engine.reconcile().isEmpty()) {
        rounds++;
        if (rounds > 3) {
          throw new AssertionError("the reconciler is not quiet after " + rounds + " rounds");
        }
      }

      for (TestTable table : tables) {
        assertCommitFilesEqualCatalog(store, table);
        long latest = table.version();
        assertEquals(LongStream.rangeClosed(1, latest).filter(v -> v % INTERVAL == 0).boxed().toList(),
            MirroredLog.checkpointVersions(table), "checkpoints");
        assertSnapshotEquals(store.snapshotAt(table.id(), latest),
            DeltaLog.open(LocalStorage.INSTANCE, table.location()).snapshotAt(latest));
      }
    }
  }
}
