package io.deltasql.core.catalog;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;

import static io.deltasql.core.catalog.TestActions.T0;
import static io.deltasql.core.catalog.TestActions.add;
import static io.deltasql.core.catalog.TestActions.remove;
import static io.deltasql.core.catalog.TestActions.withDv;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.table.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The catalog's snapshot at every version equals the replay of the committed actions,
 * and each version's actions come back exactly as committed (what the mirror writes).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotReplayTest {
  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;
  private CatalogStore store;

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("replay");
    // Tiny batches, so that commits cross batch boundaries.
    store = catalog.store(config -> config.withBatchSize(3));
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  @Test
  void deletionVectorUpdatesAndReAddsReplaceTheFile() {
    AddFile f1 = add("p=a/f1.parquet", "a", 10);
    AddFile f2 = add("p=null/f2.parquet", null, 20);
    AddFile f1dv1 = withDv(f1, "dv1", 2);
    AddFile f1dv2 = withDv(f1, "dv2", 5);
    AddFile f2again = add("p=null/f2.parquet", null, 21);
    List<List<Action>> commits = List.of(
        TestActions.create(T0),
        TestActions.commit(T0 + 1000, "WRITE", f1, f2),
        // the same path removed and re-added with a deletion vector, in one commit
        TestActions.commit(T0 + 2000, "DELETE", remove(f1, T0 + 2000), f1dv1),
        TestActions.commit(T0 + 3000, "DELETE", remove(f1dv1, T0 + 3000), f1dv2),
        // the same logical file added again without a remove: it replaces the active one
        TestActions.commit(T0 + 4000, "WRITE", f2again),
        TestActions.commit(T0 + 5000, "DELETE", remove(f2again, T0 + 5000)),
        TestActions.commit(T0 + 6000, "WRITE", f2));
    List<Snapshot> snapshots = commitAndCheck(commits);
    assertEquals(Map.of(f1.fileKey(), f1.withDataChange(false), f2.fileKey(), f2.withDataChange(false)), snapshots.get(1).files());
    assertEquals(Map.of(f1dv1.fileKey(), f1dv1.withDataChange(false), f2.fileKey(), f2.withDataChange(false)), snapshots.get(2).files());
    assertEquals(Map.of(f1dv2.fileKey(), f1dv2.withDataChange(false), f2.fileKey(), f2again.withDataChange(false)), snapshots.get(4).files());
    assertEquals(Map.of(f1dv2.fileKey(), f1dv2.withDataChange(false)), snapshots.get(5).files());
    assertEquals(Map.of(f1dv2.fileKey(), f1dv2.withDataChange(false), f2.fileKey(), f2.withDataChange(false)), snapshots.get(6).files());
  }

  /**
   * Commits removing many files at once (on PostgreSQL closed by arrays, a slice of the batch
   * size at a time), files with deletion vectors among them, and a file removed and added again
   * with a deletion vector in the same commit.
   */
  @Test
  void manyRemovesInOneCommitCloseExactlyTheirFiles() {
    List<AddFile> files = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      AddFile file = add("p=" + (i % 3) + "/m" + i + ".parquet", Integer.toString(i % 3), 100 + i);
      files.add(i % 5 == 0 ? withDv(file, "dv-m" + i, 1 + i % 4) : file);
    }
    List<Action> second = new ArrayList<>(List.of(TestActions.commitInfo(T0 + 2000, "DELETE")));
    for (int i = 0; i < 14; i++) {
      second.add(i % 2 == 0 ? remove(files.get(i), T0 + 2000) : Scenario.bareRemove(files.get(i), T0 + 2000));
    }
    // removed and added again with a new deletion vector in the same commit
    second.add(withDv(add("p=1/m4.parquet", "1", 104), "dv-again", 2));
    List<Action> third = new ArrayList<>(List.of(TestActions.commitInfo(T0 + 3000, "DELETE")));
    for (int i = 14; i < 23; i++) {
      third.add(remove(files.get(i), T0 + 3000));
    }
    List<Action> first = new ArrayList<>(List.of(TestActions.commitInfo(T0 + 1000, "WRITE")));
    first.addAll(files);
    List<Snapshot> snapshots = commitAndCheck(List.of(TestActions.create(T0), first, second, third));
    assertEquals(30, snapshots.get(1).files().size());
    assertEquals(17, snapshots.get(2).files().size());
    assertEquals(8, snapshots.get(3).files().size());
  }

  @Test
  void randomHistoriesReplayToTheSameSnapshots() {
    for (long seed = 1; seed <= 3; seed++) {
      commitAndCheck(new Scenario(new Random(seed)).commits(40));
    }
  }

  /** Commits each version, then checks every snapshot and every version's actions. */
  private List<Snapshot> commitAndCheck(List<List<Action>> commits) {
    TableInfo table = store.registerTable("main", TestActions.tableName("replay"), "/lake/" + TestActions.txnId(),
        Map.of());
    long id = table.tableId();
    Replay replay = new Replay();
    List<Snapshot> expected = new ArrayList<>();
    for (int v = 0; v < commits.size(); v++) {
      store.commit(CommitRequest.of(id, v - 1, TestActions.txnId(), commits.get(v)));
      expected.add(replay.apply(commits.get(v)).snapshot());
    }
    for (int v = 0; v < commits.size(); v++) {
      assertEquals(expected.get(v), store.snapshotAt(id, v), "snapshot at version " + v);
      assertEquals(commits.get(v), store.versionActions(id, v), "actions of version " + v);
    }
    assertEquals(expected.get(expected.size() - 1), store.snapshot(id));
    return expected;
  }

  /** Random but valid commits: appends, deletes, DV updates, re-adds, txns, domains, metadata. */
  static final class Scenario {
    private final Random random;
    private final Map<FileKey, AddFile> active = new LinkedHashMap<>();
    private final Map<String, Long> appVersions = new HashMap<>();
    private final Set<String> domains = new HashSet<>();
    private Protocol protocol = TestActions.protocol();
    private Metadata metadata = TestActions.metadata(List.of("p"));
    private int files;

    Scenario(Random random) {
      this.random = random;
    }

    List<List<Action>> commits(int count) {
      List<List<Action>> commits = new ArrayList<>();
      commits.add(List.of(TestActions.commitInfo(T0, "CREATE TABLE"), protocol, metadata));
      for (int v = 1; v < count; v++) {
        commits.add(next(T0 + 1000L * v));
      }
      return commits;
    }

    private List<Action> next(long timestamp) {
      List<Action> actions = new ArrayList<>();
      actions.add(TestActions.commitInfo(timestamp, "WRITE"));
      Set<String> touched = new HashSet<>();
      Map<FileKey, AddFile> after = new LinkedHashMap<>(active);
      int operations = 1 + random.nextInt(3);
      for (int i = 0; i < operations; i++) {
        switch (random.nextInt(9)) {
          case 0, 1 -> {
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
              AddFile file = add("part-" + files++ + ".parquet", partition(), 1 + random.nextInt(1000));
              touched.add(file.path());
              actions.add(file);
              after.put(file.fileKey(), file);
            }
          }
          case 2 -> pick(touched).ifPresent(file -> {
            actions.add(random.nextBoolean() ? remove(file, timestamp) : bareRemove(file, timestamp));
            after.remove(file.fileKey());
          });
          case 3 -> pick(touched).ifPresent(file -> {
            AddFile updated = withDv(file, "dv-" + files++, 1 + random.nextInt(9));
            actions.add(remove(file, timestamp));
            actions.add(updated);
            after.remove(file.fileKey());
            after.put(updated.fileKey(), updated);
          });
          case 4 -> pick(touched).ifPresent(file -> {
            AddFile again = new AddFile(file.path(), file.partitionValues(), file.size() + 1, timestamp, false,
                Optional.of("{\"numRecords\":" + (file.size() + 1) + "}"), Map.of("k", "v"), file.deletionVector(),
                file.baseRowId(), Optional.of(9L), Optional.empty());
            actions.add(again);
            after.put(again.fileKey(), again);
          });
          case 5 -> {
            String app = "app-" + random.nextInt(3);
            if (touched.add("txn:" + app)) {
              long version = appVersions.merge(app, 1L, Long::sum);
              actions.add(new SetTransaction(app, version, random.nextBoolean() ? Optional.of(timestamp) : Optional.empty()));
            }
          }
          case 6 -> {
            String domain = "domain-" + random.nextInt(3);
            if (touched.add("domain:" + domain)) {
              boolean remove = domains.contains(domain) && random.nextBoolean();
              actions.add(new DomainMetadata(domain, "{\"at\":" + timestamp + "}", remove));
              if (remove) {
                domains.remove(domain);
              } else {
                domains.add(domain);
              }
            }
          }
          case 7 -> {
            if (touched.add("metadata")) {
              Map<String, String> configuration = new HashMap<>(metadata.configuration());
              configuration.put("deltasql.test.at", Long.toString(timestamp));
              metadata = metadata.withConfiguration(configuration);
              actions.add(metadata);
              if (random.nextInt(3) == 0 && touched.add("protocol")) {
                Set<String> writer = new HashSet<>(protocol.writerFeatures());
                writer.add("feature" + timestamp);
                protocol = new Protocol(3, 7, protocol.readerFeatures(), writer);
                actions.add(protocol);
              }
            }
          }
          default -> actions.add(new AddCdcFile("_change_data/cdc-" + files++ + ".parquet", Map.of("p", "a"),
              10, false, Map.of()));
        }
      }
      active.clear();
      active.putAll(after);
      return actions;
    }

    /** An active file whose path this commit has not touched yet. */
    private Optional<AddFile> pick(Set<String> touched) {
      List<AddFile> candidates = active.values().stream().filter(f -> !touched.contains(f.path())).toList();
      if (candidates.isEmpty()) {
        return Optional.empty();
      }
      AddFile file = candidates.get(random.nextInt(candidates.size()));
      touched.add(file.path());
      return Optional.of(file);
    }

    private String partition() {
      int p = random.nextInt(3);
      return p == 0 ? null : p == 1 ? "a" : "b";
    }

    private static RemoveFile bareRemove(AddFile file, long timestamp) {
      Optional<DeletionVectorDescriptor> dv = file.deletionVector();
      return new RemoveFile(file.path(), Optional.of(timestamp), true, Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), Map.of(), dv, Optional.empty(), Optional.empty());
    }
  }
}
