package io.deltasql.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.imports.ImportProgress;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.json.LastCheckpoint;
import io.deltasql.core.json.LastCheckpointJson;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.mirror.MirrorEngine;
import io.deltasql.core.mirror.TableMirror;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.deltasql.core.testing.SharedTables;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.TableRef;
import io.deltasql.core.verify.VerifyFinding.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TableVerifier} on H2 and PostgreSQL catalogs: tables written through the writer and
 * the mirror, and imported shared tables, verify clean; each difference induced in the log or
 * in the catalog is reported, as its own finding, all at once; verification writes nothing.
 */
class TableVerifierTest {
  /**
   * Shared tables whose own logs are inconsistent, and the one finding each must produce: an
   * empty {@code _last_checkpoint}, and one (written by delta-rs) whose {@code size} is the
   * checkpoint's size in bytes rather than its number of actions.
   */
  private static final Map<String, Kind> INCONSISTENT_SHARED = Map.of(
      "corrupted-last-checkpoint-kernel", Kind.LAST_CHECKPOINT_UNREADABLE,
      "checkpoint_with_partitions", Kind.LAST_CHECKPOINT_MISMATCH);
  /** Whether to verify every shared table ({@code -Ddeltasql.slow=true}) or {@link #QUICK_SHARED}. */
  private static final boolean SLOW = Boolean.getBoolean("deltasql.slow");
  /** The shared tables of the default run: one of each kind of checkpoint, DVs, app transactions, domains, ICT. */
  private static final List<String> QUICK_SHARED = List.of("multi-part-checkpoint", "v2-checkpoint-json",
      "dv-partitioned-with-checkpoint", "cdc_ict_table", "corrupted-last-checkpoint-kernel",
      "checkpoint_with_partitions", "app-txn-checkpoint", "collations-table");
  /** Importable shared tables (as TableImporterTest: the readable ones but deltalog-commit-info). */
  private static final List<String> REFUSED = List.of("deltalog-commit-info");

  @TempDir
  Path dir;

  /** A lake: a fresh catalog, a mirror engine and a writer on it. */
  private record Lake(CatalogFixture fixture, MirrorEngine mirror, MultiTableWriter writer) implements AutoCloseable {
    static Lake open(CatalogBackend backend) {
      CatalogFixture fixture = backend.fresh("verify");
      MirrorEngine mirror = MirrorEngine.open(fixture.store(), LocalStorage.INSTANCE, WrittenTables.MIRROR,
          new SimpleMeterRegistry());
      return new Lake(fixture, mirror, WrittenTables.writer(fixture.store(), mirror));
    }

    CatalogStore store() {
      return fixture.store();
    }

    TableVerifier verifier() {
      return new TableVerifier(store(), LocalStorage.INSTANCE);
    }

    @Override
    public void close() {
      writer.close();
      mirror.close();
      fixture.close();
    }
  }

  private Path log(TableRef table) {
    return Path.of(table.location(), "_delta_log");
  }

  private Path commit(TableRef table, long version) {
    return log(table).resolve(LogFile.commitFileName(version));
  }

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void writtenTablesVerifyClean(CatalogBackend backend) {
    try (Lake lake = Lake.open(backend)) {
      List<TableRef> tables = WrittenTables.history(lake.writer(), "w", dir.toString());
      for (TableRef t : tables) {
        DeltaLog log = DeltaLog.open(LocalStorage.INSTANCE, t.location());
        assertEquals(List.of(3L, 6L), log.checkpointVersions(), "the history has checkpoints to check");
        assertTrue(Files.exists(log(t).resolve("_last_checkpoint")));
        assertEquals(WrittenTables.LATEST, log.latestVersion());
      }
      List<VerifyReport> reports = lake.verifier().verifyAll();
      assertEquals(2, reports.size());
      reports.forEach(r -> assertTrue(r.clean(), r::toString));
      assertEquals(WrittenTables.LATEST, reports.get(0).logLatestVersion());
    }
  }

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void importedSharedTablesVerifyClean(CatalogBackend backend) {
    try (CatalogFixture fixture = backend.fresh("verifyimp")) {
      CatalogStore store = fixture.store();
      TableImporter importer = new TableImporter(store, LocalStorage.INSTANCE, ImportProgress.SILENT);
      List<String> names = SharedTables.readable().stream().filter(n -> !REFUSED.contains(n))
          .filter(n -> SLOW || QUICK_SHARED.contains(n)).toList();
      assertTrue(names.size() >= QUICK_SHARED.size(), "every quick table exists: " + names);
      for (String name : names) {
        importer.importTable("shared", tableName(name), SharedTables.table(name).toString());
      }
      TableVerifier verifier = new TableVerifier(store, LocalStorage.INSTANCE);
      for (String name : names) {
        VerifyReport report = verifier.verify("shared", tableName(name));
        Kind expected = INCONSISTENT_SHARED.get(name);
        if (expected == null) {
          assertTrue(report.clean(), report::toString);
        } else {
          assertEquals(List.of(expected), report.findings().stream().map(VerifyFinding::kind).toList(),
              report::toString);
        }
      }
      assertEquals(names.size(), verifier.verifyAll().size());
    }
  }

  private static String tableName(String shared) {
    return shared.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  /**
   * Seven differences induced in one table at once, in the log and in the catalog: each is
   * reported where it is, with every consequence (a file row altered in the catalog differs
   * from its commit, from both checkpoints after it and from the latest snapshot), and the
   * untouched table stays clean.
   */
  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void everyInducedDifferenceIsReportedAtOnce(CatalogBackend backend) throws Exception {
    try (Lake lake = Lake.open(backend)) {
      List<TableRef> tables = WrittenTables.history(lake.writer(), "w", dir.toString());
      TableRef a = tables.get(0);
      // 1. a mirrored commit deleted (after checkpoint 3, before checkpoint 6: the latest snapshot still reads)
      Files.delete(commit(a, 5));
      // 2. a foreign commit after the catalog's latest version
      Files.writeString(commit(a, 8), "{\"commitInfo\":{\"operation\":\"FOREIGN\"}}\n");
      // 3. a file row altered in the catalog: f2 was added at version 2
      execute(lake.fixture(), "UPDATE delta_files SET size_bytes = size_bytes + 1 WHERE table_id = ? AND path = ?",
          a.tableId(), "p=y/f2.parquet");
      // 4. checkpoint 3 truncated
      Path checkpoint3 = log(a).resolve(LogFile.checkpointFileName(3));
      byte[] bytes = Files.readAllBytes(checkpoint3);
      Files.write(checkpoint3, Arrays.copyOf(bytes, bytes.length / 2));
      // 5. an extra add in commit 1
      Files.writeString(commit(a, 1), "{\"add\":{\"path\":\"p=x/extra.parquet\",\"partitionValues\":{\"p\":\"x\"},"
          + "\"size\":1,\"modificationTime\":1,\"dataChange\":true}}\n", java.nio.file.StandardOpenOption.APPEND);
      // 6. commit 4 made unreadable
      Files.writeString(commit(a, 4), "{\"remove\":{\"path\":");
      // 7. _last_checkpoint pointing at a version without a checkpoint
      Files.writeString(log(a).resolve("_last_checkpoint"), "{\"version\":4,\"size\":7}");

      Map<String, String> before = listing(log(a));
      List<VerifyReport> reports = lake.verifier().verifyAll();
      assertEquals(before, listing(log(a)), "verify wrote nothing");

      VerifyReport report = reports.stream().filter(r -> r.table().tableId() == a.tableId()).findFirst().orElseThrow();
      Set<String> found = report.findings().stream().map(TableVerifierTest::brief)
          .collect(Collectors.toCollection(TreeSet::new));
      String f2 = "p=y/f2.parquet";
      Set<String> expected = new TreeSet<>(List.of(
          "MISSING_COMMIT 5 " + commit(a, 5),
          "FOREIGN_COMMIT 8 " + commit(a, 8),
          "ACTION_DIFFERS 2 " + f2,
          "CHECKPOINT_DIFFERS 6 " + f2,
          "SNAPSHOT_DIFFERS 7 " + f2,
          "CHECKPOINT_UNREADABLE 3 " + checkpoint3,
          "ACTION_EXTRA 1 p=x/extra.parquet",
          "COMMIT_UNREADABLE 4 " + commit(a, 4),
          "LAST_CHECKPOINT_DANGLING 4 " + log(a).resolve("_last_checkpoint")));
      assertEquals(expected, found, report::toString);
      assertEquals(expected.size(), report.findings().size(), report::toString);
      assertTrue(report.findings(Kind.ACTION_DIFFERS).get(0).detail().contains("size: catalog="),
          report::toString);

      VerifyReport untouched = reports.stream().filter(r -> r.table().tableId() == tables.get(1).tableId())
          .findFirst().orElseThrow();
      assertTrue(untouched.clean(), untouched::toString);
    }
  }

  /** Versions committed without the mirror are mirror lag, not damage; a reconcile makes the table clean. */
  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void unmirroredVersionsAreReportedUntilReconciled(CatalogBackend backend) {
    try (Lake lake = Lake.open(backend)) {
      TableRef a = WrittenTables.history(lake.writer(), "w", dir.toString()).get(0);
      try (MultiTableWriter unmirrored = WrittenTables.writer(lake.store(), TableMirror.NONE)) {
        WrittenTables.append(unmirrored, a, "late-1.parquet", "x");
        WrittenTables.append(unmirrored, a, "late-2.parquet", "x");
      }
      VerifyReport report = lake.verifier().verify(a.tableId());
      assertEquals(List.of("UNMIRRORED 8 " + commit(a, 8), "UNMIRRORED 9 " + commit(a, 9)),
          report.findings().stream().map(TableVerifierTest::brief).toList(), report::toString);
      lake.mirror().reconcile();
      VerifyReport after = lake.verifier().verify(a.tableId());
      assertTrue(after.clean(), after::toString);
      assertEquals(9, after.logLatestVersion());
    }
  }

  /** A foreign commit met by the mirror: the table is diverged, and the foreign commit's actions differ. */
  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void divergedTableIsReportedWithTheForeignCommit(CatalogBackend backend) throws IOException {
    try (Lake lake = Lake.open(backend)) {
      TableRef a = WrittenTables.history(lake.writer(), "w", dir.toString()).get(0);
      Files.writeString(commit(a, 8), "{\"add\":{\"path\":\"p=x/spark.parquet\",\"partitionValues\":{\"p\":\"x\"},"
          + "\"size\":1,\"modificationTime\":1,\"dataChange\":true}}\n");
      WrittenTables.append(lake.writer(), a, "ours.parquet", "x"); // version 8 in the catalog; the mirror diverges
      VerifyReport report = lake.verifier().verify(a.tableId());
      assertTrue(report.table().diverged());
      assertEquals(Set.of(Kind.DIVERGED, Kind.ACTION_MISSING, Kind.ACTION_EXTRA, Kind.SNAPSHOT_DIFFERS),
          report.kinds(), report::toString);
      assertTrue(report.findings(Kind.ACTION_EXTRA).stream().anyMatch(f -> f.path().orElse("").equals(
          "p=x/spark.parquet")), report::toString);
      assertTrue(report.findings(Kind.ACTION_MISSING).stream().anyMatch(f -> f.path().orElse("").equals(
          "p=x/ours.parquet")), report::toString);

      // the runbook's repair when deltasql's history wins: move the foreign commit aside, clear, reconcile
      Files.move(commit(a, 8), dir.resolve("foreign-8.json"));
      lake.store().inTransaction(tx -> {
        tx.setDivergence(a.tableId(), Optional.empty());
        return null;
      });
      lake.mirror().reconcile(a.tableId());
      VerifyReport repaired = lake.verifier().verify(a.tableId());
      assertTrue(repaired.clean(), repaired::toString);
    }
  }

  /** The runbook's repair of a damaged log: set every version pending again and reconcile. */
  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void damagedLogIsWrittenAgainFromTheCatalog(CatalogBackend backend) throws Exception {
    try (Lake lake = Lake.open(backend)) {
      TableRef a = WrittenTables.history(lake.writer(), "w", dir.toString()).get(0);
      Files.delete(commit(a, 5));
      Files.writeString(commit(a, 2), "garbage");
      Path checkpoint6 = log(a).resolve(LogFile.checkpointFileName(6));
      Files.write(checkpoint6, Arrays.copyOf(Files.readAllBytes(checkpoint6), 100));
      assertEquals(Set.of(Kind.MISSING_COMMIT, Kind.COMMIT_UNREADABLE, Kind.CHECKPOINT_UNREADABLE,
          Kind.SNAPSHOT_UNREADABLE), lake.verifier().verify(a.tableId()).kinds());

      Files.move(log(a), dir.resolve("damaged_delta_log"));
      try (Connection c = lake.fixture().rawConnection(); PreparedStatement ps = c.prepareStatement(
          "UPDATE delta_mirror_status SET state = 'PENDING', attempts = 0, last_error = NULL WHERE table_id = ?")) {
        ps.setLong(1, a.tableId());
        assertEquals(WrittenTables.LATEST + 1, ps.executeUpdate());
      }
      lake.mirror().reconcile();
      VerifyReport repaired = lake.verifier().verify(a.tableId());
      assertTrue(repaired.clean(), repaired::toString);
      // The pass writes every commit file and the newest checkpoint due, not the older ones.
      assertEquals(List.of(6L), DeltaLog.open(LocalStorage.INSTANCE, a.location()).checkpointVersions());
    }
  }

  /** A stale, a garbage and a miscounted {@code _last_checkpoint}, and a missing log. */
  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void lastCheckpointAndLogProblems(CatalogBackend backend) throws IOException {
    try (Lake lake = Lake.open(backend)) {
      TableRef a = WrittenTables.history(lake.writer(), "w", dir.toString()).get(0);
      Path hint = log(a).resolve("_last_checkpoint");
      String good = Files.readString(hint);
      TableVerifier verifier = lake.verifier();

      Files.writeString(hint, "{\"version\":3,\"size\":" + checkpointSize(a, 3) + "}");
      assertEquals(Set.of(Kind.LAST_CHECKPOINT_STALE), verifier.verify(a.tableId()).kinds());

      Files.writeString(hint, "{\"version\":");
      assertEquals(Set.of(Kind.LAST_CHECKPOINT_UNREADABLE), verifier.verify(a.tableId()).kinds());

      LastCheckpoint parsed = LastCheckpointJson.parse(good.getBytes(StandardCharsets.UTF_8), "hint");
      Files.write(hint, LastCheckpointJson.write(new LastCheckpoint(parsed.version(), 1, parsed.parts(),
          parsed.sizeInBytes(), parsed.numOfAddFiles(), parsed.checkpointSchema(), parsed.v2Checkpoint(),
          parsed.tags(), Optional.empty())));
      VerifyReport miscounted = verifier.verify(a.tableId());
      assertEquals(Set.of(Kind.LAST_CHECKPOINT_MISMATCH), miscounted.kinds(), miscounted::toString);

      Files.writeString(hint, good);
      assertTrue(verifier.verify(a.tableId()).clean());

      try (Stream<Path> files = Files.walk(log(a))) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      VerifyReport gone = verifier.verify(a.tableId());
      assertEquals(Set.of(Kind.LOG_UNREADABLE), gone.kinds(), gone::toString);
    }
  }

  @ParameterizedTest
  @EnumSource(CatalogBackend.class)
  void unknownTableIsAnError(CatalogBackend backend) {
    try (CatalogFixture fixture = backend.fresh("verifyunknown")) {
      TableVerifier verifier = new TableVerifier(fixture.store(), LocalStorage.INSTANCE);
      assertEquals(SqlState.UNDEFINED_TABLE, assertThrows(DeltaException.class, () -> verifier.verify(12345)).state());
      assertEquals(SqlState.UNDEFINED_TABLE,
          assertThrows(DeltaException.class, () -> verifier.verify("no", "such")).state());
      assertEquals(List.of(), verifier.verifyAll());
    }
  }

  private static long checkpointSize(TableRef table, long version) {
    return DeltaLog.open(LocalStorage.INSTANCE, table.location()).checkpointContent(version).actions();
  }

  /** "KIND version path" of a finding. */
  static String brief(VerifyFinding f) {
    return f.kind() + " " + (f.version().isPresent() ? f.version().getAsLong() : "-") + " " + f.path().orElse("-");
  }

  /** Name, size and modification time of every file under a folder. */
  static Map<String, String> listing(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      Map<String, String> out = new TreeMap<>();
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void execute(CatalogFixture fixture, String sql, long id, String path) throws SQLException {
    try (Connection c = fixture.rawConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      ps.setString(2, path);
      assertEquals(1, ps.executeUpdate(), sql);
    }
  }
}
