package io.deltasql.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
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
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
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
 * <p><b>Size.</b> Snapshots are weighed by their file count; the cache holds at most
 * {@code maximumFiles} files in all, evicting the least recently used snapshots.
 *
 * <p>Thread-safe. Two threads missing the same key at once may both build it; both results
 * are equal, one is kept.
 */
public final class SnapshotCache {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotCache.class);

  /** Default {@link Builder#maximumFiles}: files held over all cached snapshots. */
  public static final long DEFAULT_MAXIMUM_FILES = 1_000_000;
  /** Default {@link Builder#maximumAdvance}: versions read to advance a snapshot before a full read is preferred. */
  public static final int DEFAULT_MAXIMUM_ADVANCE = 1_000;
  /** Default {@link Builder#maximumSchemas}: parsed schemas kept. */
  public static final long DEFAULT_MAXIMUM_SCHEMAS = 10_000;

  private final CatalogStore catalog;
  private final Cache<SnapshotKey, Snapshot> snapshots;
  private final Cache<Metadata, StructType> schemas;
  /** Which versions of each table are cached, to find the base of an advance without scanning the cache. */
  private final Map<Long, NavigableSet<Long>> cachedVersions = new ConcurrentHashMap<>();
  private final CacheMetrics metrics;
  private final UnaryOperator<SnapshotSource> sourceWrapper;
  private final int maximumAdvance;

  private SnapshotCache(Builder b) {
    this.catalog = b.catalog;
    this.metrics = new CacheMetrics(b.registry);
    this.sourceWrapper = b.sourceWrapper;
    this.maximumAdvance = b.maximumAdvance;
    this.snapshots = Caffeine.newBuilder()
        .maximumWeight(b.maximumFiles)
        .weigher((SnapshotKey key, Snapshot s) -> (int) Math.min(Integer.MAX_VALUE, s.files().size() + 1L))
        .evictionListener((SnapshotKey key, Snapshot s, RemovalCause cause) -> forget(key))
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
    SnapshotKey key = new SnapshotKey(tableId, version);
    Snapshot hit = snapshots.getIfPresent(key);
    if (hit != null) {
      metrics.hits.increment();
      return hit;
    }
    metrics.misses.increment();
    long start = System.nanoTime();
    Snapshot built = build(source, tableId, version);
    metrics.loadTime.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    remember(key, built);
    return built;
  }

  /** The snapshot of {@code (tableId, version)} if it is cached; counts neither hit nor miss. */
  public Optional<Snapshot> cached(long tableId, long version) {
    return Optional.ofNullable(snapshots.getIfPresent(new SnapshotKey(tableId, version)));
  }

  /**
   * Caches a snapshot its caller built itself, e.g. a committer that applied the actions it
   * just committed to the snapshot of the version it read, so that the next validation or
   * read of the new version finds it here instead of reading the version back. The caller
   * must hold exactly the committed state of {@code snapshot.version()}.
   */
  public void put(long tableId, Snapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    remember(new SnapshotKey(tableId, snapshot.version()), snapshot);
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
    NavigableSet<Long> versions = cachedVersions.remove(tableId);
    if (versions != null) {
      for (long v : versions) {
        snapshots.invalidate(new SnapshotKey(tableId, v));
      }
    }
  }

  /** Drops everything. */
  public void invalidateAll() {
    snapshots.invalidateAll();
    cachedVersions.clear();
  }

  /** How many snapshots are cached (approximately). */
  public long estimatedSize() {
    return snapshots.estimatedSize();
  }

  private Snapshot build(SnapshotSource source, long tableId, long version) {
    Optional<Snapshot> base = newestCachedBefore(tableId, version);
    if (base.isPresent() && version - base.get().version() <= maximumAdvance) {
      return advance(source, tableId, base.get(), version);
    }
    metrics.fullLoads.increment();
    Snapshot loaded = source.snapshotAt(tableId, version);
    LOG.debug("snapshot cache full load table={} version={} files={}", tableId, version, loaded.files().size());
    return loaded;
  }

  /** {@code base} with the actions of versions {@code base.version()+1 .. version} applied. */
  private Snapshot advance(SnapshotSource source, long tableId, Snapshot base, long version) {
    SnapshotBuilder builder = new SnapshotBuilder(base);
    Optional<Long> timestamp = Optional.empty();
    for (long v = base.version() + 1; v <= version; v++) {
      List<Action> actions = source.versionActions(tableId, v);
      builder.applyAll(actions);
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
    return builder.build(version, ts);
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

  private Optional<Snapshot> newestCachedBefore(long tableId, long version) {
    NavigableSet<Long> versions = cachedVersions.get(tableId);
    if (versions == null) {
      return Optional.empty();
    }
    for (Long v = versions.lower(version); v != null; v = versions.lower(v)) {
      Snapshot s = snapshots.getIfPresent(new SnapshotKey(tableId, v));
      if (s != null) {
        return Optional.of(s);
      }
      versions.remove(v);
    }
    return Optional.empty();
  }

  private void remember(SnapshotKey key, Snapshot snapshot) {
    cachedVersions.computeIfAbsent(key.tableId(), id -> new ConcurrentSkipListSet<>()).add(key.version());
    snapshots.put(key, snapshot);
  }

  private void forget(SnapshotKey key) {
    NavigableSet<Long> versions = cachedVersions.get(key.tableId());
    if (versions != null) {
      versions.remove(key.version());
    }
  }

  /** Options of a {@link SnapshotCache}; each has a default. */
  public static final class Builder {
    private final CatalogStore catalog;
    private MeterRegistry registry = new SimpleMeterRegistry();
    private long maximumFiles = DEFAULT_MAXIMUM_FILES;
    private long maximumSchemas = DEFAULT_MAXIMUM_SCHEMAS;
    private int maximumAdvance = DEFAULT_MAXIMUM_ADVANCE;
    private UnaryOperator<SnapshotSource> sourceWrapper = UnaryOperator.identity();

    private Builder(CatalogStore catalog) {
      this.catalog = catalog;
    }

    /** Where hit, miss and advance counters go; default: a private {@link SimpleMeterRegistry}. */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.registry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /** Most files held over all cached snapshots (a snapshot weighs its file count plus one). */
    public Builder maximumFiles(long files) {
      if (files < 1) {
        throw CacheErrors.invalidArgument("maximumFiles must be at least 1, got " + files);
      }
      this.maximumFiles = files;
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
