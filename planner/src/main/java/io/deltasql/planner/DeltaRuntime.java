package io.deltasql.planner;

import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.data.FooterCache;
import io.deltasql.core.mirror.MirrorConfig;
import io.deltasql.core.mirror.MirrorEngine;
import io.deltasql.core.storage.RoutingStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.storage.Storages;
import io.deltasql.core.txn.MultiTableConfig;
import io.deltasql.core.txn.MultiTableWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection to one catalog shares in a JVM: the catalog store, the storage, the
 * mirror engine, and the multi-table writer with its lock manager and snapshot cache. Opened
 * by the driver on the first connection and closed after the last one.
 *
 * <p>The warehouse is a local folder or an S3 location ({@code s3://bucket/prefix}); the one
 * {@link #storage()} sends each table's paths to the storage of its location
 * ({@link RoutingStorage}), so tables on S3 and in local folders mix in one catalog.
 */
public final class DeltaRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaRuntime.class);

  private final String warehouse;
  private final CatalogStore catalog;
  private final Storage storage;
  private final MirrorEngine mirror;
  private final MultiTableWriter writer;
  private final MeterRegistry registry;
  /**
   * The parsed footers of the data files queries read, kept for the next queries: up to 65,536
   * column chunks (10,000 files of 6 columns in one row group; some tens of MB at most).
   */
  private final FooterCache footers = new FooterCache(65_536);

  private DeltaRuntime(String warehouse, CatalogStore catalog, Storage storage, MirrorEngine mirror,
      MultiTableWriter writer, MeterRegistry registry) {
    this.warehouse = warehouse;
    this.catalog = catalog;
    this.storage = storage;
    this.mirror = mirror;
    this.writer = writer;
    this.registry = registry;
  }

  /**
   * Opens the catalog (creating or migrating its schema), starts the mirror (which reconciles
   * what earlier processes left unmirrored) and the writer, on a local warehouse folder.
   */
  public static DeltaRuntime open(Path warehouse, CatalogConfig catalogConfig, MultiTableConfig txnConfig,
      MirrorConfig mirrorConfig) {
    return open(warehouse, catalogConfig, txnConfig, mirrorConfig, MultiTableWriter.MirrorMode.SYNCHRONOUS);
  }

  /** As {@link #open(String, Map, CatalogConfig, MultiTableConfig, MirrorConfig, MultiTableWriter.MirrorMode)}, local. */
  public static DeltaRuntime open(Path warehouse, CatalogConfig catalogConfig, MultiTableConfig txnConfig,
      MirrorConfig mirrorConfig, MultiTableWriter.MirrorMode mirrorMode) {
    Objects.requireNonNull(warehouse, "warehouse");
    return open(warehouse.toString(), Map.of(), catalogConfig, txnConfig, mirrorConfig, mirrorMode);
  }

  /**
   * @param warehouse a local folder (absolute) or {@code s3://bucket/prefix}
   * @param storageProperties the {@code s3.*} settings of S3 storage
   *     ({@link io.deltasql.core.storage.s3.S3Property}); credentials among them are never logged
   * @param mirrorMode SYNCHRONOUS: a statement returns once its versions are in the tables'
   *     {@code _delta_log} (other readers see them at once); ASYNCHRONOUS: after the catalog
   *     commit, the mirror following in the background (faster commits; see sys.mirror_status)
   */
  public static DeltaRuntime open(String warehouse, Map<String, String> storageProperties,
      CatalogConfig catalogConfig, MultiTableConfig txnConfig, MirrorConfig mirrorConfig,
      MultiTableWriter.MirrorMode mirrorMode) {
    Objects.requireNonNull(warehouse, "warehouse");
    MeterRegistry registry = new SimpleMeterRegistry();
    RoutingStorage storage = RoutingStorage.open(warehouse, storageProperties);
    CatalogStore catalog = null;
    MirrorEngine mirror = null;
    try {
      catalog = CatalogStore.open(catalogConfig);
      mirror = MirrorEngine.open(catalog, storage, mirrorConfig, registry);
      MultiTableWriter writer = MultiTableWriter.builder(catalog)
          .config(txnConfig)
          .mirror(mirror)
          .mirrorMode(mirrorMode)
          .meterRegistry(registry)
          .dataFileCleaner(new UncommittedFiles(storage))
          .build();
      LOG.info("deltasql runtime opened warehouse={} catalog={} storage={}", warehouse,
          catalogConfig.redactedUrl(), storage);
      return new DeltaRuntime(warehouse, catalog, storage, mirror, writer, registry);
    } catch (RuntimeException e) {
      if (mirror != null) {
        mirror.close();
      }
      if (catalog != null) {
        catalog.close();
      }
      storage.close();
      throw e;
    }
  }

  /**
   * Where tables created without {@code LOCATION} live: an absolute local folder, or
   * {@code s3://bucket/prefix} (no trailing slash).
   */
  public String warehouse() {
    return warehouse;
  }

  public CatalogStore catalog() {
    return catalog;
  }

  public Storage storage() {
    return storage;
  }

  /** The footers of data files that scans and aggregates of this catalog's tables parsed. */
  public FooterCache footers() {
    return footers;
  }

  public MirrorEngine mirror() {
    return mirror;
  }

  public MultiTableWriter writer() {
    return writer;
  }

  /** Where the driver's meters go ({@code sys.metrics}). */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Counts a scan's files: {@code deltasql.scan.files} tagged {@code outcome=read|skipped} in
   * {@code sys.metrics}, the evidence that statistics and partition values skipped files.
   */
  public void scanned(int files, int skipped) {
    registry.counter("deltasql.scan.files", "outcome", "read").increment(files - skipped);
    registry.counter("deltasql.scan.files", "outcome", "skipped").increment(skipped);
  }

  /** The default location of a table: {@code WAREHOUSE/<schema>/<table>}. */
  public String defaultLocation(String schema, String table) {
    return StoragePaths.join(StoragePaths.join(warehouse, schema), table);
  }

  @Override
  public void close() {
    try {
      writer.close();
    } finally {
      try {
        mirror.close();
      } finally {
        try {
          catalog.close();
        } finally {
          Storages.close(storage);
          LOG.info("deltasql runtime closed warehouse={}", warehouse);
        }
      }
    }
  }

  /** Deletes the data files a rolled-back transaction wrote (each new add's file). */
  private record UncommittedFiles(Storage storage) implements io.deltasql.core.txn.DataFileCleaner {
    @Override
    public void deleteUncommitted(String table, String location, List<io.deltasql.core.actions.AddFile> adds) {
      for (io.deltasql.core.actions.AddFile add : adds) {
        if (add.dataChange()) {
          storage.delete(StoragePaths.resolveInTable(location, add.path()));
        }
      }
    }
  }
}
