package io.deltasql.core.mirror;

import static io.deltasql.core.mirror.MirrorEngineTest.CONFIG;
import static io.deltasql.core.mirror.MirrorFaultTest.awaitTrue;
import static io.deltasql.core.mirror.MirroredLog.assertEqualsCatalog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reconciler: on open (in the background, or before {@code open} returns without a
 * background thread), periodically after failures, on demand for one table, and stopped
 * cleanly by {@code close}. On every catalog database.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconcilerTest {
  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("mirrorrec");
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  private CatalogStore store() {
    return catalog.store();
  }

  @Test
  void opensByMirroringWhatEarlierProcessesLeftInTheBackground() throws InterruptedException {
    try (Lake lake = new Lake(store())) {
      TestTable a = lake.table();
      TestTable b = lake.table();
      a.commit(3);
      b.commit(12);
      MirrorConfig hourly = CONFIG.withReconcilePeriod(Duration.ofHours(1));
      try (MirrorEngine engine = MirrorEngine.open(store(), LocalStorage.INSTANCE, hourly, new SimpleMeterRegistry())) {
        assertTrue(engine.backgroundRunning());
        awaitTrue(() -> engine.status().lastRound().isPresent(), "the first round ended");
        assertEquals(0, engine.unmirroredCount(a.id()));
        assertEquals(0, engine.unmirroredCount(b.id()));
      }
      assertEqualsCatalog(store(), a);
      assertEqualsCatalog(store(), b);
    }
  }

  @Test
  void opensByMirroringBeforeReturningWithoutBackground() {
    try (Lake lake = new Lake(store())) {
      TestTable table = lake.table();
      table.commit(4);
      try (MirrorEngine engine = MirrorEngine.open(store(), LocalStorage.INSTANCE, CONFIG, new SimpleMeterRegistry())) {
        assertFalse(engine.backgroundRunning());
        assertEquals(0, engine.unmirroredCount(table.id()));
      }
      assertEqualsCatalog(store(), table);
    }
  }

  @Test
  void retriesFailedVersionsPeriodically() throws InterruptedException {
    FaultyStorage storage = new FaultyStorage().down();
    MirrorConfig config = CONFIG.withAttempts(1).withReconcilePeriod(Duration.ofMillis(20))
        .withSystemicFailure(1_000, Duration.ofSeconds(1));
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), storage, config, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      table.commit(2);
      assertFalse(engine.mirror(table.id()).complete());
      awaitTrue(() -> MirroredLog.status(store(), table, 0).attempts() >= 3, "background retries");
      assertEquals(MirrorState.FAILED, MirroredLog.status(store(), table, 0).state());

      storage.heal();
      awaitTrue(() -> engine.unmirroredCount(table.id()) == 0, "reconciled in the background");
      assertEqualsCatalog(store(), table);
    }
  }

  @Test
  void reconcilesOneTableOnDemand() {
    FaultyStorage storage = new FaultyStorage();
    try (Lake lake = new Lake(store());
        MirrorEngine engine = MirrorEngine.open(store(), storage, CONFIG, new SimpleMeterRegistry())) {
      TestTable table = lake.table();
      TestTable untouched = lake.table();
      storage.down();
      table.commit(2);
      untouched.commit(1);
      assertFalse(engine.mirror(table.id()).complete());
      storage.heal();

      assertTrue(engine.reconcile(table.id()).complete());

      assertEqualsCatalog(store(), table);
      assertEquals(2, engine.unmirroredCount(untouched.id()), "only the table asked for");
    }
  }

  @Test
  void closeStopsTheBackgroundAndLaterCallsReportIt() {
    MirrorEngine engine = MirrorEngine.open(store(), LocalStorage.INSTANCE,
        CONFIG.withReconcilePeriod(Duration.ofMillis(10)), new SimpleMeterRegistry());
    assertTrue(engine.backgroundRunning());

    engine.close();
    engine.close();

    assertFalse(engine.backgroundRunning());
    assertEquals(MirrorEngineStatus.State.CLOSED, engine.status().state());
    try (Lake lake = new Lake(store())) {
      TestTable table = lake.table();
      table.commit(1);
      MirrorOutcome outcome = engine.mirror(table.id());
      assertTrue(outcome.failure().orElseThrow().contains("closed"), outcome.failure().get());
      assertEquals(List.of(), engine.reconcile());
      assertEquals(2, engine.unmirroredCount(table.id()), "left for the next engine");
    }
  }
}
