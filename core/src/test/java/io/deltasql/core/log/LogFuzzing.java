package io.deltasql.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.imports.ImportProgress;
import io.deltasql.core.imports.ImportResult;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The oracle of the log reader fuzzer and of its regression corpus: one damaged copy of a
 * shared table is opened, read (latest snapshot and full replay) and imported, and
 *
 * <ul>
 *   <li>each either succeeds or fails with a {@link DeltaException} of a documented state
 *       ({@link #ALLOWED}), never another exception or error;
 *   <li>no file is written, inside the table or outside it;
 *   <li>a failed import leaves no catalog row; a successful one holds the snapshot the
 *       reader computed, and the reader succeeded too;
 *   <li>after a neutral damage ({@link LogMutation#neutral()}), a successful read equals the
 *       undamaged table's.
 * </ul>
 */
final class LogFuzzing {
  /** The states a damaged log may fail with. */
  static final Set<SqlState> ALLOWED = Set.of(SqlState.DATA_CORRUPTED, SqlState.INDEX_CORRUPTED, SqlState.IO_ERROR,
      SqlState.FEATURE_NOT_SUPPORTED, SqlState.INVALID_PARAMETER_VALUE, SqlState.DATA_EXCEPTION,
      SqlState.UNDEFINED_TABLE);
  /** The shared tables the fuzzer damages: every kind of checkpoint, DVs, app transactions, ICT, partitions. */
  static final List<String> TABLES = List.of("125-iterator-bug", "multi-part-checkpoint", "v2-checkpoint-json",
      "v2-checkpoint-parquet", "dv-partitioned-with-checkpoint", "app-txn-checkpoint", "cdc_ict_table",
      "time-travel-start-start20-start40", "snapshot-data2-deleted", "checkpoint_with_partitions",
      "data-reader-partition-values", "table-with-columnmapping-mode-name");

  private static final Map<String, Snapshot> TRUTH = new ConcurrentHashMap<>();
  private static final AtomicLong NAMES = new AtomicLong();

  private LogFuzzing() {}

  /**
   * Damages a copy of the table as {@code mutation} says (under {@code work}) and checks the
   * oracle. Returns the SQLState the import failed with, or {@code ok}.
   */
  static String check(LogMutation mutation, CatalogStore catalog, Path work) throws IOException {
    return check(List.of(mutation), catalog, work);
  }

  /**
   * {@link #check(LogMutation, CatalogStore, Path)} for several damages done one after the
   * other to one copy (of the first mutation's table); neutral only if each is.
   */
  static String check(List<LogMutation> mutations, CatalogStore catalog, Path work) throws IOException {
    LogMutation mutation = mutations.get(0);
    boolean neutral = mutations.stream().allMatch(LogMutation::neutral);
    Path caseDir = Files.createTempDirectory(work, "case");
    try {
      Path root = SharedTables.copyToTemp(mutation.table(), caseDir);
      Path outside = Files.createDirectories(caseDir.resolve("outside"));
      StringBuilder done = new StringBuilder();
      for (LogMutation m : mutations) {
        done.append(done.length() == 0 ? "" : "; ").append(m.apply(root, outside));
      }
      String what = LogMutation.format(mutations) + " (" + done + ")";
      Map<String, String> before = listing(caseDir);

      Outcome<Snapshot> read = attempt(what, () -> {
        DeltaLog log = DeltaLog.open(LocalStorage.INSTANCE, root.toString());
        Snapshot latest = log.snapshot();
        log.replay(new DeltaLog.ReplayVisitor() {
          @Override
          public void base(Snapshot snapshot) {}

          @Override
          public void commit(long version, long timestamp, List<io.deltasql.core.actions.Action> actions) {}
        });
        return latest;
      });
      String name = "t" + NAMES.incrementAndGet();
      Outcome<ImportResult> imported = attempt(what, () -> new TableImporter(catalog, LocalStorage.INSTANCE,
          ImportProgress.SILENT).importTable("fuzz", name, root.toString()));
      assertEquals(before, listing(caseDir), () -> "reading and importing wrote files: " + what);

      if (imported.value().isEmpty()) {
        assertTrue(catalog.findTable("fuzz", name).isEmpty(), () -> "a failed import left a table: " + what);
      } else {
        long id = imported.value().get().tableId();
        assertTrue(read.value().isPresent(), () -> "imported what the reader refuses (" + read.failure() + "): "
            + what);
        assertSameState(read.value().get(), catalog.snapshot(id), "catalog vs reader after " + what);
        catalog.dropTable(id);
      }
      if (neutral && read.value().isPresent()) {
        assertSameState(truth(mutation.table()), read.value().get(), "undamaged vs damaged " + what);
      }
      return imported.failure().map(DeltaException::sqlState).orElse("ok");
    } finally {
      deleteTree(caseDir);
    }
  }

  private static Snapshot truth(String table) {
    return TRUTH.computeIfAbsent(table, t -> DeltaLog.open(LocalStorage.INSTANCE, SharedTables.table(t).toString())
        .snapshot());
  }

  static void assertSameState(Snapshot expected, Snapshot actual, String what) {
    assertEquals(expected.version(), actual.version(), () -> "version: " + what);
    assertEquals(expected.protocol(), actual.protocol(), () -> "protocol: " + what);
    assertEquals(expected.metadata(), actual.metadata(), () -> "metadata: " + what);
    assertEquals(expected.files(), actual.files(), () -> "files: " + what);
    assertEquals(expected.appTransactions(), actual.appTransactions(), () -> "txns: " + what);
    assertEquals(expected.domains(), actual.domains(), () -> "domains: " + what);
  }

  /** A value, or the allowed failure that took its place. */
  record Outcome<T>(Optional<T> value, Optional<DeltaException> failure) {}

  private static <T> Outcome<T> attempt(String what, Supplier<T> work) {
    try {
      return new Outcome<>(Optional.of(work.get()), Optional.empty());
    } catch (DeltaException e) {
      if (!ALLOWED.contains(e.state())) {
        throw new AssertionError("state " + e.sqlState() + " is not one a damaged log may fail with: " + what, e);
      }
      return new Outcome<>(Optional.empty(), Optional.of(e));
    } catch (Throwable t) {
      throw new AssertionError(t.getClass().getName() + " instead of a DeltaException: " + what, t);
    }
  }

  /** Path, size and modification time of everything under a folder (links not followed). */
  static Map<String, String> listing(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      Map<String, String> out = new TreeMap<>();
      for (Path p : files.toList()) {
        out.put(dir.relativize(p).toString(), Files.isSymbolicLink(p) ? "link->" + Files.readSymbolicLink(p)
            : Files.size(p) + "@" + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
