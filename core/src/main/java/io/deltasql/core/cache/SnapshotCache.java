package io.deltasql.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.json.SchemaJson;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.table.SnapshotBuilder;
import io.deltasql.core.types.StructType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of catalog tables keyed by (table, version), and the parsed schemas of their
 * metadata, in Caffeine caches (DESIGN.md, "Caching").
 *
 * <p><b>Latest is always checked.</b> {@link #latest(long)} asks the catalog for the table's
 * current version (one indexed query) before answering, so a snapshot committed by another
 * JVM is never hidden behind a cached one: only the immutable (table, version) pairs are
 * cached, never "the latest".
 *
 * <p><b>Advancing, not reloading.</b> On a miss for version {@code v}, the newest cached
 * snapshot of the table at some {@code u < v} is advanced by reading only the actions of
 * versions {@code u+1..v} and applying them with {@link SnapshotBuilder}; the table is read
 * whole only when nothing older is cached (or more than {@code maxAdvance} versions lie in
 * between, where one full read is cheaper than many small ones).
 *
 * <p><b>Size.</b> The cache keeps one entry per table (its cached versions, at most
 * {@code maximumVersionsPerTable}, the oldest dropped first) and holds at most
 * {@code maximumFiles} files in all. A version read whole weighs its file count; a version
 * advanced from a cached one shares all but its changes with it and weighs its changes
 * ({@link TableVersions}). Tables are evicted by Caffeine's policy (frequency and recency of
 * use of the table).
 *
 * <p>Thread-safe. Two threads missing the same key at once may both build it; both results
 * are equal, one is kept.
 */
public final class SnapshotCache {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotCache.class);

  /** Heap one cached file takes, measured (SnapshotMemory: 600 bytes at 1M files, 622 at 100k). */
  static final long BYTES_PER_FILE = 600;
  /**
   * Default {@link Builder#maximumFiles}: as many files as a quarter of the JVM's maximum heap
   * holds, at least 100,000 (1.3M files with a 3 GB heap). A fixed 1M (until 2026-12-03) left
   * no room for a 1M-file table: its snapshot outweighed the whole cache, was never kept, and
   * every advance read the table whole (8.8 s on PostgreSQL instead of milliseconds).
   */
  public static final long DEFAULT_MAXIMUM_FILES =
      Math.max(100_000, Runtime.getRuntime().maxMemory() / 4 / BYTES_PER_FILE);
  /** Default {@link Builder#maximumAdvance}: versions read to advance a snapshot before a full read is preferred. */
  public static final int DEFAULT_MAXIMUM_ADVANCE = 1_000;
  /** Default {@link Builder#maximumVersionsPerTable}: versions of one table kept. */
  public static final int DEFAULT_MAXIMUM_VERSIONS_PER_TABLE = 64;
  /** Default {@link Builder#maximumSchemas}: parsed schemas kept. */
  public static final long DEFAULT_MAXIMUM_SCHEMAS = 10_000;

  private final CatalogStore catalog;
  /** The cached versions of each table, by table id. */
  private final Cache<Long, TableVersions> tables;
  private final Cache<Metadata, StructType> schemas;
  private final CacheMetrics metrics;
  private final UnaryOperator<SnapshotSource> sourceWrapper;
  private final int maximumAdvance;
  private final int maximumVersionsPerTable;

  private SnapshotCache(Builder b) {
    this.catalog = b.catalog;
    this.metrics = new CacheMetrics(b.registry);
    this.sourceWrapper = b.sourceWrapper;
    this.maximumAdvance = b.maximumAdvance;
    this.maximumVersionsPerTable = b.maximumVersionsPerTable;
    this.tables = Caffeine.newBuilder()
        .maximumWeight(b.maximumFiles)
        .weigher((Long tableId, TableVersions versions) -> versions.weight())
        .build();
    this.schemas = Caffeine.newBuilder().maximumSize(b.maximumSchemas).build();
  }

  /** A cache over {@code catalog} with the default sizes and a private meter registry. */
  public static SnapshotCache create(CatalogStore catalog) {
    return builder(catalog).build();
  }

  /** A builder of a cache over {@code catalog}. */
  public static Builder builder(CatalogStore catalog) {
    return new Builder(Objects.requireNonNull(catalog, "catalog"));
  }

  /**
   * The latest snapshot of a table: its current version is read from the catalog (one
   * query), then served from the cache, advanced from an older cached snapshot, or read.
   *
   * @throws io.deltasql.core.errors.DeltaException {@code 42P01} for an unknown table,
   *     {@code 55000} for a table without versions
   */
  public Snapshot latest(long tableId) {
    return catalog.inTransaction(tx -> latest(source(tx), tableId));
  }

  /** {@link #latest(long)} through a caller's source (e.g. inside its catalog transaction). */
  public Snapshot latest(SnapshotSource source, long tableId) {
    long current = source.currentVersion(tableId);
    if (current < 0) {
      throw CacheErrors.noVersions(tableId);
    }
    return at(source, tableId, current);
  }

  /** The snapshot of a table at {@code version} (time travel), in its own catalog transaction. */
  public Snapshot at(long tableId, long version) {
    return catalog.inTransaction(tx -> at(source(tx), tableId, version));
  }

  /**
   * The snapshot of a table at {@code version}: cached, advanced from the newest cached
   * older version, or read whole through {@code source}.
   */
  public Snapshot at(SnapshotSource source, long tableId, long version) {
    Objects.requireNonNull(source, "source");
    if (version < 0) {
      throw CacheErrors.invalidArgument("version " + version + " of table id " + tableId + " is negative");
    }
    TableVersions versions = tables.getIfPresent(tableId);
    Snapshot hit = versions == null ? null : versions.get(version);
    if (hit != null) {
      metrics.hits.increment();
      return hit;
    }
    metrics.misses.increment();
    long start = System.nanoTime();
    Optional<Snapshot> base = versions == null ? Optional.empty() : versions.newestBefore(version);
    Snapshot built;
    if (base.isPresent() && version - base.get().version() <= maximumAdvance) {
      Advanced advanced = advance(source, tableId, base.get(), version);
      built = advanced.snapshot();
      remember(tableId, built, Optional.of(advanced.changes()));
    } else {
      metrics.fullLoads.increment();
      built = source.snapshotAt(tableId, version);
      LOG.debug("snapshot cache full load table={} version={} files={}", tableId, version, built.files().size());
      remember(tableId, built, Optional.empty());
    }
    metrics.loadTime.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    return built;
  }

  /** The snapshot of {@code (tableId, version)} if it is cached; counts neither hit nor miss. */
  public Optional<Snapshot> cached(long tableId, long version) {
    TableVersions versions = tables.getIfPresent(tableId);
    return Optional.ofNullable(versions == null ? null : versions.get(version));
  }

  /**
   * The newest version of a table this cache holds, if any: not necessarily the table's
   * current version (another process, or a commit whose snapshot was not cached, may have
   * moved the table on since); no catalog access.
   */
  public OptionalLong newestCached(long tableId) {
    TableVersions versions = tables.getIfPresent(tableId);
    return versions == null ? OptionalLong.empty() : versions.newest();
  }

  /**
   * Caches a snapshot its caller built itself, e.g. a committer that applied the actions it
   * just committed to the snapshot of the version it read, so that the next validation or
   * read of the new version finds it here instead of reading the version back. The caller
   * must hold exactly the committed state of {@code snapshot.version()}. It is weighed as
   * a snapshot read whole; see {@link #put(long, Snapshot, int)} for one built from a cached
   * snapshot.
   */
  public void put(long tableId, Snapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    remember(tableId, snapshot, Optional.empty());
  }

  /**
   * {@link #put(long, Snapshot)} for a snapshot built by applying {@code changes} actions to
   * a snapshot of this cache: it shares the rest with that one and weighs its changes.
   */
  public void put(long tableId, Snapshot snapshot, int changes) {
    Objects.requireNonNull(snapshot, "snapshot");
    if (changes < 0) {
      throw CacheErrors.invalidArgument("changes must not be negative, got " + changes);
    }
    remember(tableId, snapshot, Optional.of(changes));
  }

  /** The latest protocol, metadata and parsed schema of a table (the current version is checked). */
  public TableMetadata metadata(long tableId) {
    Snapshot s = latest(tableId);
    return new TableMetadata(tableId, s.version(), s.protocol(), s.metadata(), schemaOf(s.metadata()));
  }

  /** The metadata of a table at a version, through a caller's source. */
  public TableMetadata metadata(SnapshotSource source, long tableId, long version) {
    Snapshot s = at(source, tableId, version);
    return new TableMetadata(tableId, s.version(), s.protocol(), s.metadata(), schemaOf(s.metadata()));
  }

  /**
   * The parsed schema of {@code metadata}, parsed once per distinct metadata.
   *
   * @throws io.deltasql.core.errors.DeltaException when the schema string does not parse
   */
  public StructType schemaOf(Metadata metadata) {
    Objects.requireNonNull(metadata, "metadata");
    StructType cached = schemas.getIfPresent(metadata);
    if (cached != null) {
      return cached;
    }
    StructType parsed = SchemaJson.parse(metadata.schemaString(), "the schema of table " + metadata.id());
    schemas.put(metadata, parsed);
    return parsed;
  }

  /** The source this cache reads through inside {@code tx} (wrapped if the builder said so). */
  public SnapshotSource source(CatalogTransaction tx) {
    return sourceWrapper.apply(SnapshotSource.of(tx));
  }

  /** Drops every cached snapshot of a table (a dropped table, a repaired catalog). */
  public void invalidate(long tableId) {
    tables.invalidate(tableId);
  }

  /** Drops everything. */
  public void invalidateAll() {
    tables.invalidateAll();
  }

  /** How many snapshots are cached, over all tables (approximately). */
  public long estimatedSize() {
    tables.cleanUp();
    return tables.asMap().values().stream().mapToLong(TableVersions::size).sum();
  }

  /** The weight of all cached snapshots (approximately): see {@link Builder#maximumFiles}. */
  public long weight() {
    tables.cleanUp();
    return tables.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
  }

  /** A snapshot advanced from a cached one, and how many actions were applied to it. */
  private record Advanced(Snapshot snapshot, int changes) {}

  /** {@code base} with the actions of versions {@code base.version()+1 .. version} applied. */
  private Advanced advance(SnapshotSource source, long tableId, Snapshot base, long version) {
    SnapshotBuilder builder = new SnapshotBuilder(base);
    Optional<Long> timestamp = Optional.empty();
    int changes = 0;
    for (long v = base.version() + 1; v <= version; v++) {
      List<Action> actions = source.versionActions(tableId, v);
      builder.applyAll(actions);
      changes += actions.size();
      if (v == version) {
        timestamp = inCommitTimestamp(actions);
      }
    }
    if (builder.protocol().isEmpty() || builder.metadata().isEmpty()) {
      throw CacheErrors.incompleteReplay(tableId, version);
    }
    long ts = timestamp.orElseGet(() -> source.commitTimestamp(tableId, version));
    metrics.advances.increment();
    metrics.advancedVersions.increment(version - base.version());
    LOG.debug("snapshot cache advanced table={} from={} to={}", tableId, base.version(), version);
    return new Advanced(builder.build(version, ts), changes);
  }

  /**
   * The catalog's commit timestamp is the in-commit timestamp whenever the commit carries
   * one (the catalog raises it, in the stored commitInfo too, to stay increasing).
   */
  private static Optional<Long> inCommitTimestamp(List<Action> actions) {
    for (Action a : actions) {
      if (a instanceof CommitInfo info) {
        return info.inCommitTimestamp();
      }
    }
    return Optional.empty();
  }

  private void remember(long tableId, Snapshot snapshot, Optional<Integer> changes) {
    tables.asMap().compute(tableId, (id, cached) ->
        (cached == null ? TableVersions.empty() : cached).with(snapshot, changes, maximumVersionsPerTable));
  }

  /** Options of a {@link SnapshotCache}; each has a default. */
  public static final class Builder {
    private final CatalogStore catalog;
    private MeterRegistry registry = new SimpleMeterRegistry();
    private long maximumFiles = DEFAULT_MAXIMUM_FILES;
    private long maximumSchemas = DEFAULT_MAXIMUM_SCHEMAS;
    private int maximumAdvance = DEFAULT_MAXIMUM_ADVANCE;
    private int maximumVersionsPerTable = DEFAULT_MAXIMUM_VERSIONS_PER_TABLE;
    private UnaryOperator<SnapshotSource> sourceWrapper = UnaryOperator.identity();

    private Builder(CatalogStore catalog) {
      this.catalog = catalog;
    }

    /** Where hit, miss and advance counters go; default: a private {@link SimpleMeterRegistry}. */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.registry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * Most files held over all cached snapshots: a snapshot read whole weighs its file count
     * plus one, a snapshot advanced from a cached one its changes plus one.
     */
    public Builder maximumFiles(long files) {
      if (files < 1) {
        throw CacheErrors.invalidArgument("maximumFiles must be at least 1, got " + files);
      }
      this.maximumFiles = files;
      return this;
    }

    /** Most versions of one table kept; older ones are dropped first. */
    public Builder maximumVersionsPerTable(int versions) {
      if (versions < 1) {
        throw CacheErrors.invalidArgument("maximumVersionsPerTable must be at least 1, got " + versions);
      }
      this.maximumVersionsPerTable = versions;
      return this;
    }

    /** Most parsed schemas kept. */
    public Builder maximumSchemas(long count) {
      if (count < 1) {
        throw CacheErrors.invalidArgument("maximumSchemas must be at least 1, got " + count);
      }
      this.maximumSchemas = count;
      return this;
    }

    /** Most versions read to advance a cached snapshot; further behind, the snapshot is read whole. */
    public Builder maximumAdvance(int versions) {
      if (versions < 0) {
        throw CacheErrors.invalidArgument("maximumAdvance must not be negative, got " + versions);
      }
      this.maximumAdvance = versions;
      return this;
    }

    /** Wraps every catalog source the cache reads through (to count or time the reads). */
    public Builder sourceWrapper(UnaryOperator<SnapshotSource> wrapper) {
      this.sourceWrapper = Objects.requireNonNull(wrapper, "wrapper");
      return this;
    }

    public SnapshotCache build() {
      return new SnapshotCache(this);
    }
  }
}
