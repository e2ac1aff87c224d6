package io.deltasql.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CommitRequest;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.CatalogFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The snapshot cache on a real catalog: advancing reads only the new versions and equals a
 * fresh snapshot, latest is always checked, several caches (JVMs) never serve stale data as
 * latest, eviction and time travel fall back to whole reads.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotCacheTest {
  private static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}";

  @Parameter
  CatalogBackend backend;

  private CatalogFixture catalog;

  @BeforeParameterizedClassInvocation
  void open(CatalogBackend backend) {
    catalog = backend.fresh("cache");
  }

  @AfterParameterizedClassInvocation
  void close() {
    catalog.close();
  }

  /** Counts the reads the cache makes. */
  private static final class CountingSource implements SnapshotSource {
    static final AtomicInteger CURRENT = new AtomicInteger();
    static final AtomicInteger WHOLE = new AtomicInteger();
    static final List<Long> VERSIONS_READ = java.util.Collections.synchronizedList(new ArrayList<>());
    private final SnapshotSource delegate;

    CountingSource(SnapshotSource delegate) {
      this.delegate = delegate;
    }

    static void reset() {
      CURRENT.set(0);
      WHOLE.set(0);
      VERSIONS_READ.clear();
    }

    @Override
    public long currentVersion(long tableId) {
      CURRENT.incrementAndGet();
      return delegate.currentVersion(tableId);
    }

    @Override
    public Snapshot snapshotAt(long tableId, long version) {
      WHOLE.incrementAndGet();
      return delegate.snapshotAt(tableId, version);
    }

    @Override
    public List<Action> versionActions(long tableId, long version) {
      VERSIONS_READ.add(version);
      return delegate.versionActions(tableId, version);
    }

    @Override
    public long commitTimestamp(long tableId, long version) {
      return delegate.commitTimestamp(tableId, version);
    }
  }

  private static CommitInfo commitInfo(Optional<Long> inCommitTimestamp) {
    ObjectNode values = JsonNodeFactory.instance.objectNode();
    inCommitTimestamp.ifPresent(t -> values.put(CommitInfo.IN_COMMIT_TIMESTAMP, t));
    values.put(CommitInfo.OPERATION, "WRITE");
    return new CommitInfo(values);
  }

  private static AddFile add(String path) {
    return AddFile.of(path, Map.of(), 10, 1, Optional.of("{\"numRecords\":1}"));
  }

  private TableInfo createTable(CatalogStore store, AddFile... files) {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    return store.inTransaction(tx -> {
      TableInfo t = tx.registerTable("main", name, "/lake/main/" + name, Map.of());
      List<Action> actions = new ArrayList<>(List.of(commitInfo(Optional.of(1_000L)), new Protocol(1, 2),
          new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(), Format.PARQUET, SCHEMA,
              List.of(), Map.of(), Optional.of(0L))));
      actions.addAll(List.of(files));
      tx.commit(CommitRequest.of(t.tableId(), -1, UUID.randomUUID().toString(), actions));
      return t;
    });
  }

  private static void commit(CatalogStore store, TableInfo t, long readVersion, Action... actions) {
    List<Action> list = new ArrayList<>();
    list.add(commitInfo(readVersion % 2 == 0 ? Optional.of(2_000L + readVersion) : Optional.empty()));
    list.addAll(List.of(actions));
    store.commit(CommitRequest.of(t.tableId(), readVersion, UUID.randomUUID().toString(), list));
  }

  private SnapshotCache counting(SimpleMeterRegistry registry) {
    return SnapshotCache.builder(catalog.store()).meterRegistry(registry).sourceWrapper(CountingSource::new).build();
  }

  @Test
  void advancingByKVersionsReadsOnlyThoseVersionsAndEqualsAFreshSnapshot() {
    CatalogStore store = catalog.store();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SnapshotCache cache = counting(registry);
    TableInfo t = createTable(store, add("a"), add("b"), add("c"));
    CountingSource.reset();
    assertEquals(store.snapshot(t.tableId()), cache.latest(t.tableId()));
    assertEquals(1, CountingSource.WHOLE.get());

    commit(store, t, 0, add("d"));
    commit(store, t, 1, add("a").toRemove(5, true), add("e"));
    commit(store, t, 2, new SetTransaction("stream", 3, Optional.of(9L)));
    commit(store, t, 3, new DomainMetadata("d", "{}", false));
    commit(store, t, 4, add("b").toRemove(6, true));
    CountingSource.reset();

    Snapshot advanced = cache.latest(t.tableId());

    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), CountingSource.VERSIONS_READ, "only the five new versions");
    assertEquals(0, CountingSource.WHOLE.get(), "the table is never read whole");
    assertEquals(1, CountingSource.CURRENT.get());
    assertEquals(store.snapshotAt(t.tableId(), 5), advanced);
    assertEquals(Set.of("c", "d", "e"), Set.copyOf(advanced.files().keySet().stream().map(k -> k.path()).toList()));
    assertEquals(1.0, registry.get(CacheMetrics.ADVANCES).counter().count());
    assertEquals(5.0, registry.get(CacheMetrics.ADVANCED_VERSIONS).counter().count());

    CountingSource.reset();
    assertSame(advanced, cache.latest(t.tableId()), "a hit");
    assertEquals(1, CountingSource.CURRENT.get(), "latest is always checked against the catalog");
    assertTrue(CountingSource.VERSIONS_READ.isEmpty());
    assertEquals(1.0, registry.get(CacheMetrics.HITS).counter().count());
    assertEquals(2.0, registry.get(CacheMetrics.MISSES).counter().count());
  }

  /**
   * Reading a version back for an advance: an append is the table's row, the version row and its
   * adds (three queries, counted by H2's QUERY_STATISTICS; ten before 2026-12-03: the version row
   * twice and one query per action kind); a version with other kinds still reads them all.
   */
  @Test
  void anAppendIsReadBackInThreeQueries() throws SQLException {
    assumeTrue(backend == CatalogBackend.H2, "counted with H2's QUERY_STATISTICS");
    CatalogStore store = catalog.store();
    TableInfo t = createTable(store, add("a"));
    commit(store, t, 0, add("b"));
    commit(store, t, 1, add("a").toRemove(5, true), new SetTransaction("stream", 1, Optional.empty()), add("c"));
    try (Connection raw = catalog.rawConnection(); Statement s = raw.createStatement()) {
      s.execute("SET QUERY_STATISTICS TRUE");
      s.execute("SET QUERY_STATISTICS FALSE");
      s.execute("SET QUERY_STATISTICS TRUE"); // cleared: only what follows is counted
      List<Action> append = store.versionActions(t.tableId(), 1);
      long appendQueries = selects(s);
      s.execute("SET QUERY_STATISTICS FALSE");
      s.execute("SET QUERY_STATISTICS TRUE");
      List<Action> mixed = store.versionActions(t.tableId(), 2);
      long mixedQueries = selects(s);
      s.execute("SET QUERY_STATISTICS FALSE");

      assertEquals(3, appendQueries, "table row, version row and adds");
      assertEquals(List.of("commitInfo", "add"), append.stream().map(Action::key).toList());
      assertEquals("b", ((AddFile) append.get(1)).path());
      assertEquals(List.of("commitInfo", "remove", "txn", "add"), mixed.stream().map(Action::key).toList());
      assertEquals(5, mixedQueries, "table row, version row, adds, removes and txns");
      SnapshotCache advancing = SnapshotCache.create(store);
      advancing.at(t.tableId(), 0);
      assertEquals(store.snapshotAt(t.tableId(), 2), advancing.at(t.tableId(), 2), "advanced from version 0");
    }
  }

  private static long selects(Statement s) throws SQLException {
    long n = 0;
    try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
      while (rs.next()) {
        String sql = rs.getString(1);
        if (sql.startsWith("SELECT") && !sql.contains("QUERY_STATISTICS")) {
          n += rs.getLong(2);
        }
      }
    }
    return n;
  }

  @Test
  void anotherWritersCommitIsNeverHiddenBehindACachedLatest() {
    CatalogStore store = catalog.store();
    try (CatalogStore otherJvm = CatalogStore.open(catalog.config())) {
      SnapshotCache mine = SnapshotCache.create(store);
      SnapshotCache theirs = SnapshotCache.create(otherJvm);
      TableInfo t = createTable(store, add("a"));
      assertEquals(0, mine.latest(t.tableId()).version());
      assertEquals(0, theirs.latest(t.tableId()).version());

      commit(otherJvm, t, 0, add("b"));

      assertEquals(1, mine.latest(t.tableId()).version());
      assertEquals(otherJvm.snapshot(t.tableId()), mine.latest(t.tableId()));
    }
  }

  @Test
  void timeTravelBeforeTheCachedVersionsReadsWhole() {
    CatalogStore store = catalog.store();
    SnapshotCache cache = counting(new SimpleMeterRegistry());
    TableInfo t = createTable(store, add("a"));
    commit(store, t, 0, add("b"));
    commit(store, t, 1, add("c"));
    cache.latest(t.tableId());
    CountingSource.reset();
    assertEquals(store.snapshotAt(t.tableId(), 1), cache.at(t.tableId(), 1));
    assertEquals(1, CountingSource.WHOLE.get());
    CountingSource.reset();
    assertEquals(store.snapshotAt(t.tableId(), 2), cache.at(t.tableId(), 2));
    assertEquals(0, CountingSource.WHOLE.get());
  }

  @Test
  void anEvictedBaseOrALongGapFallsBackToAWholeRead() {
    CatalogStore store = catalog.store();
    TableInfo t = createTable(store, add("a"), add("b"));
    SnapshotCache tiny = SnapshotCache.builder(store).maximumFiles(1).sourceWrapper(CountingSource::new).build();
    tiny.latest(t.tableId());
    tiny.estimatedSize();
    commit(store, t, 0, add("c"));
    CountingSource.reset();
    assertEquals(store.snapshot(t.tableId()), tiny.latest(t.tableId()));

    SnapshotCache noAdvance = SnapshotCache.builder(store).maximumAdvance(0).sourceWrapper(CountingSource::new).build();
    noAdvance.latest(t.tableId());
    commit(store, t, 1, add("d"));
    CountingSource.reset();
    assertEquals(store.snapshot(t.tableId()), noAdvance.latest(t.tableId()));
    assertEquals(1, CountingSource.WHOLE.get());
    assertTrue(CountingSource.VERSIONS_READ.isEmpty());
  }

  /**
   * With the cache full, each advance by one commit reads exactly that commit. Before
   * 2026-12-03 each (table, version) was its own entry weighing the table's whole file count:
   * a few versions filled the cache, Caffeine's admission then refused each newly advanced
   * version in favour of the older, more used ones, and every advance re-read all versions
   * since the newest one kept (2,691 versions read for 200 advances in the benchmark).
   */
  @Test
  void withAFullCacheEachAdvanceReadsOnlyTheNewVersion() {
    CatalogStore store = catalog.store();
    AddFile[] files = new AddFile[40];
    for (int i = 0; i < files.length; i++) {
      files[i] = add("f" + i);
    }
    TableInfo t = createTable(store, files);
    TableInfo other = createTable(store, files);
    SnapshotCache cache = SnapshotCache.builder(store).maximumFiles(400).sourceWrapper(CountingSource::new).build();
    cache.latest(other.tableId());
    cache.latest(t.tableId());
    CountingSource.reset();

    int advances = 60;
    for (int i = 0; i < advances; i++) {
      commit(store, t, i, add("n" + i));
      cache.latest(other.tableId());
      assertEquals(i + 1, cache.latest(t.tableId()).version());
    }

    assertEquals(advances, CountingSource.VERSIONS_READ.size(), "one version read per advance");
    assertEquals(0, CountingSource.WHOLE.get(), "neither table read whole again");
    assertEquals(store.snapshot(t.tableId()), cache.latest(t.tableId()));
    assertTrue(cache.weight() <= 400, "within maximumFiles: " + cache.weight());
  }

  /**
   * The weight: a version read whole weighs its files, an advanced one its changes, and once
   * the version read whole is dropped (at most maximumVersionsPerTable are kept, oldest first)
   * the newest version's files count once. Tables past maximumFiles are evicted.
   */
  @Test
  void advancedVersionsWeighTheirChangesAndTheOldestAreDroppedFirst() {
    CatalogStore store = catalog.store();
    TableInfo t = createTable(store, add("a"), add("b"), add("c"));
    SnapshotCache cache = SnapshotCache.builder(store).maximumVersionsPerTable(3).build();
    cache.latest(t.tableId());
    assertEquals(4, cache.weight(), "three files, plus one");

    commit(store, t, 0, add("d"));
    cache.latest(t.tableId());
    assertEquals(4 + 3, cache.weight(), "version 1 read back as commitInfo + add: two changes, plus one");
    commit(store, t, 1, add("e"));
    cache.latest(t.tableId());
    commit(store, t, 2, add("a").toRemove(7, true), add("f"));
    cache.latest(t.tableId());

    assertEquals(3, cache.estimatedSize());
    assertTrue(cache.cached(t.tableId(), 0).isEmpty(), "the oldest version was dropped");
    assertTrue(cache.cached(t.tableId(), 1).isPresent());
    assertEquals(3 + 3 + 4 + 5, cache.weight(), "changes plus one each, and the newest version's five files once");

    // Time travel below the cached versions: the old version is kept, the oldest other one goes.
    assertEquals(store.snapshotAt(t.tableId(), 0), cache.at(t.tableId(), 0));
    assertTrue(cache.cached(t.tableId(), 0).isPresent(), "the version just read is kept");
    assertTrue(cache.cached(t.tableId(), 1).isEmpty(), "the oldest other version was dropped");
    assertEquals(3, cache.estimatedSize());
    Snapshot latest = cache.latest(t.tableId());
    assertThrows(DeltaException.class, () -> cache.put(t.tableId(), latest, -1), "negative changes");

    TableInfo big = createTable(store, add("x"), add("y"), add("z"));
    SnapshotCache small = SnapshotCache.builder(store).maximumFiles(6).build();
    small.latest(t.tableId());
    small.latest(big.tableId());
    assertTrue(small.weight() <= 6, "a table is evicted past maximumFiles: " + small.weight());
    assertEquals(store.snapshot(t.tableId()), small.latest(t.tableId()));
    assertEquals(store.snapshot(big.tableId()), small.latest(big.tableId()));
    assertThrows(DeltaException.class, () -> SnapshotCache.builder(store).maximumVersionsPerTable(0));
  }

  @Test
  void metadataComesWithItsParsedSchemaParsedOnce() {
    CatalogStore store = catalog.store();
    SnapshotCache cache = SnapshotCache.create(store);
    TableInfo t = createTable(store, add("a"));
    TableMetadata m = cache.metadata(t.tableId());
    assertEquals(0, m.version());
    assertEquals(List.of("id"), m.schema().fieldNames());
    assertSame(m.schema(), cache.schemaOf(m.metadata()));
    assertEquals(List.of(), m.partitionColumns());
  }

  @Test
  void unknownTablesAndTablesWithoutVersionsFailClearly() {
    CatalogStore store = catalog.store();
    SnapshotCache cache = SnapshotCache.create(store);
    DeltaException unknown = assertThrows(DeltaException.class, () -> cache.latest(999_999));
    assertEquals(SqlState.UNDEFINED_TABLE, unknown.state());
    TableInfo empty = store.registerTable("main", "empty_" + UUID.randomUUID().toString().substring(0, 8),
        "/lake/empty/" + UUID.randomUUID(), Map.of());
    DeltaException noVersions = assertThrows(DeltaException.class, () -> cache.latest(empty.tableId()));
    assertEquals(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, noVersions.state());
  }
}
