package io.deltasql.core.catalog;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;

import static io.deltasql.core.catalog.CatalogTest.assertFails;
import static io.deltasql.core.catalog.TestActions.T0;
import static io.deltasql.core.catalog.TestActions.add;
import static io.deltasql.core.catalog.TestActions.remove;
import static io.deltasql.core.catalog.TestActions.withDv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.table.Snapshot;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A table whose log starts at a checkpoint: a base version holding a full snapshot, then commits. */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BaseImportTest {
  private static final long BASE = 10;
  private static final long BASE_TIME = T0 + 10_000;

  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;

  @BeforeParameterizedClassInvocation
  void openCatalog(CatalogBackend backend) {
    catalog = backend.fresh("import");
  }

  @AfterParameterizedClassInvocation
  void closeCatalog() {
    catalog.close();
  }

  private CatalogStore store() {
    return catalog.store();
  }

  /** The state of a table at version 10 as replaying its checkpoint gives it (1,200 files). */
  private static Snapshot checkpoint() {
    Map<FileKey, AddFile> files = new LinkedHashMap<>();
    for (int i = 0; i < 1200; i++) {
      AddFile file = add("part-" + i + ".parquet", i % 3 == 0 ? null : "p" + (i % 3), 100 + i);
      if (i % 100 == 7) {
        file = withDv(file, "dv-" + i, 3);
      }
      files.put(file.fileKey(), file);
    }
    return new Snapshot(BASE, BASE_TIME, TestActions.protocol(), TestActions.metadata(List.of("p")), files,
        Map.of("stream-1", new SetTransaction("stream-1", 42, Optional.of(T0))),
        Map.of("delta.clustering", new DomainMetadata("delta.clustering", "{\"clusteringColumns\":[]}", false)));
  }

  private TableInfo register() {
    String name = TestActions.tableName("imported");
    return store().registerTable("main", name, "/lake/main/" + name, Map.of());
  }

  @Test
  void aBaseVersionHoldsTheCheckpointSnapshotAndCommitsFollow() {
    TableInfo table = register();
    long id = table.tableId();
    Snapshot base = checkpoint();
    BaseVersion request = new BaseVersion(id, base, Optional.of(TestActions.commitInfo(BASE_TIME, "OPTIMIZE")),
        "import-" + id);
    CommitResult imported = store().importBase(request);
    assertEquals(BASE, imported.version());
    assertEquals(base, store().snapshotAt(id, BASE));
    assertEquals(base, store().snapshot(id));
    TableInfo after = store().findTable(id).orElseThrow();
    assertEquals(BASE, after.currentVersion());
    assertEquals(BASE, after.oldestVersion());
    assertTrue(store().importBase(request).alreadyCommitted());

    AddFile first = base.activeFiles().stream().filter(f -> f.path().equals("part-1.parquet")).findFirst().orElseThrow();
    AddFile withDv = base.activeFiles().stream().filter(f -> f.deletionVector().isPresent()).findFirst().orElseThrow();
    AddFile newDv = withDv(withDv, "dv-new", 9);
    List<List<Action>> commits = List.of(
        TestActions.commit(BASE_TIME + 1000, "DELETE", remove(first, BASE_TIME + 1000), remove(withDv, BASE_TIME + 1000), newDv),
        TestActions.commit(BASE_TIME + 2000, "WRITE", add("new.parquet", "p1", 5),
            new SetTransaction("stream-1", 43, Optional.of(BASE_TIME + 2000)),
            new DomainMetadata("delta.clustering", "{}", true)));
    Replay replay = Replay.from(base);
    for (int i = 0; i < commits.size(); i++) {
      store().commit(CommitRequest.of(id, BASE + i, TestActions.txnId(), commits.get(i)));
      Snapshot expected = replay.apply(commits.get(i)).snapshot();
      assertEquals(expected, store().snapshotAt(id, BASE + i + 1));
      assertEquals(commits.get(i), store().versionActions(id, BASE + i + 1));
    }
    assertEquals(base, store().snapshotAt(id, BASE));
    assertEquals(BASE + 1, store().versionAsOf(id, Instant.ofEpochMilli(BASE_TIME + 1500)));

    VersionRecord baseRecord = store().history(id, Instant.EPOCH, Instant.ofEpochMilli(BASE_TIME)).get(0);
    assertTrue(baseRecord.base());
    assertEquals("OPTIMIZE", baseRecord.operation());
    assertEquals(MirrorState.DONE, store().inTransaction(tx -> tx.mirrorStatus(id, BASE)).orElseThrow().state());
    assertEquals(MirrorState.PENDING, store().inTransaction(tx -> tx.mirrorStatus(id, BASE + 1)).orElseThrow().state());
  }

  @Test
  void versionsOlderThanTheBaseAreAClearError() {
    TableInfo table = register();
    long id = table.tableId();
    store().importBase(new BaseVersion(id, checkpoint(), Optional.empty(), "import-" + id));
    assertFails(SqlState.DATA_EXCEPTION, () -> store().snapshotAt(id, BASE - 1),
        "Version 9", table.qualifiedName(), "oldest version it holds is 10");
    assertFails(SqlState.DATA_EXCEPTION, () -> store().snapshotAsOf(id, Instant.ofEpochMilli(T0)),
        table.qualifiedName(), "oldest version 10");
    assertFails(SqlState.DATA_EXCEPTION, () -> store().versionActions(id, BASE),
        "imported as a checkpoint base", "snapshot at 10");
    assertEquals("IMPORT", store().inTransaction(tx -> tx.versionRecord(id, BASE)).orElseThrow().operation());
  }

  @Test
  void refusesToImportIntoATableThatHasVersions() {
    TableInfo table = CatalogTest.createTable(store(), "has_versions");
    assertFails(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
        () -> store().importBase(new BaseVersion(table.tableId(), checkpoint(), Optional.empty(), "import-x")),
        table.qualifiedName(), "already has versions up to 0");
  }
}
