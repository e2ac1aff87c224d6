package io.deltasql.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.testing.CatalogBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Large transactions commit through the writer in the catalog's batches, within the
 * default test heap (2 GB), and the catalog holds every file afterwards, on H2 and on
 * PostgreSQL. The million-add run takes about a minute per catalog (docs/benchmarks.md),
 * nearly all of it the catalog's row inserts, so it is tagged {@code slow} and runs with
 * {@code -Ddeltasql.slow=true}; the default run commits 20,000.
 */
class LargeTransactionTest {
  private static final Logger LOG = LoggerFactory.getLogger(LargeTransactionTest.class);

  @ParameterizedTest(name = "{0}")
  @EnumSource(CatalogBackend.class)
  void twentyThousandAddsCommitInOneTransaction(CatalogBackend backend) {
    commit(backend, 20_000);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(CatalogBackend.class)
  @Tag("slow")
  @EnabledIfSystemProperty(named = "deltasql.slow", matches = "true")
  void aMillionAddsCommitWithBoundedMemory(CatalogBackend backend) {
    commit(backend, 1_000_000);
  }

  private static void commit(CatalogBackend backend, int count) {
    try (WriterFixture fixture = new WriterFixture(backend, "large")) {
      long[] catalogCommitStart = new long[1];
      MultiTableWriter writer = fixture.writer(b -> b.commitHook((tx, attempt) ->
          catalogCommitStart[0] = System.nanoTime()));
      TableRef t = fixture.createTable(writer);
      MultiTableTransaction tx = writer.begin();
      TableActionsBuilder builder = new TableActionsBuilder(t.key(), 0);
      for (int i = 0; i < count; i++) {
        builder.addFile(AddFile.of("part-" + i + ".parquet", Map.of(), 1000 + i, 1, Optional.empty()));
      }
      tx.stageActions(builder.build());
      resetPeaks();
      long start = System.nanoTime();
      MultiTableCommitResult result = writer.commit(tx);
      long millis = (System.nanoTime() - start) / 1_000_000;
      long writerMillis = (catalogCommitStart[0] - start) / 1_000_000;
      long peak = heapPeak();
      LOG.info("large commit backend={} files={} ms={} locksAndValidationMs={} heapPeakMb={} maxHeapMb={}", backend, count, millis,
          writerMillis, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);

      assertEquals(Optional.of(1L), result.version(t.key()));
      assertEquals(count, fixture.catalog().count(
          "SELECT COUNT(*) FROM delta_files WHERE table_id = ? AND remove_version IS NULL", t.tableId()));
      assertTrue(peak < Runtime.getRuntime().maxMemory(), "fits in the heap");
    }
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the reset: an upper bound of the heap used at once. */
  private static long heapPeak() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
