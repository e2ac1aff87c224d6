package io.deltasql.planner;

import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.mirror.MirrorConfig;
import io.deltasql.core.mirror.MirrorEngine;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.txn.MultiTableConfig;
import io.deltasql.core.txn.MultiTableWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection to one catalog shares in a JVM: the catalog store, the storage, the
 * mirror engine, and the multi-table writer with its lock manager and snapshot cache. Opened
 * by the driver on the first connection and closed after the last one.
 */
public final class DeltaRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaRuntime.class);

  private final Path warehouse;
  private final CatalogStore catalog;
  private final Storage storage;
  private final MirrorEngine mirror;
  private final MultiTableWriter writer;
  private final MeterRegistry registry;

  private DeltaRuntime(Path warehouse, CatalogStore catalog, Storage storage, MirrorEngine mirror,
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
   * what earlier processes left unmirrored) and the writer.
   */
  public static DeltaRuntime open(Path warehouse, CatalogConfig catalogConfig, MultiTableConfig txnConfig,
      MirrorConfig mirrorConfig) {
    return open(warehouse, catalogConfig, txnConfig, mirrorConfig, MultiTableWriter.MirrorMode.SYNCHRONOUS);
  }

  /**
   * @param mirrorMode SYNCHRONOUS: a statement returns once its versions are in the tables'
   *     {@code _delta_log} (other readers see them at once); ASYNCHRONOUS: after the catalog
   *     commit, the mirror following in the background (faster commits; see sys.mirror_status)
   */
  public static DeltaRuntime open(Path warehouse, CatalogConfig catalogConfig, MultiTableConfig txnConfig,
      MirrorConfig mirrorConfig, MultiTableWriter.MirrorMode mirrorMode) {
    Objects.requireNonNull(warehouse, "warehouse");
    MeterRegistry registry = new SimpleMeterRegistry();
    Storage storage = LocalStorage.INSTANCE;
    CatalogStore catalog = CatalogStore.open(catalogConfig);
    MirrorEngine mirror = null;
    try {
      mirror = MirrorEngine.open(catalog, storage, mirrorConfig, registry);
      MultiTableWriter writer = MultiTableWriter.builder(catalog)
          .config(txnConfig)
          .mirror(mirror)
          .mirrorMode(mirrorMode)
          .meterRegistry(registry)
          .dataFileCleaner(new UncommittedFiles(storage))
          .build();
      LOG.info("deltasql runtime opened warehouse={} catalog={}", warehouse, catalogConfig.redactedUrl());
      return new DeltaRuntime(warehouse, catalog, storage, mirror, writer, registry);
    } catch (RuntimeException e) {
      if (mirror != null) {
        mirror.close();
      }
      catalog.close();
      throw e;
    }
  }

  /** The warehouse folder, where tables created without {@code LOCATION} live. */
  public Path warehouse() {
    return warehouse;
  }

  public CatalogStore catalog() {
    return catalog;
  }

  public Storage storage() {
    return storage;
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
    return warehouse.resolve(schema).resolve(table).toString();
  }

  @Override
  public void close() {
    try {
      writer.close();
    } finally {
      try {
        mirror.close();
      } finally {
        catalog.close();
        LOG.info("deltasql runtime closed warehouse={}", warehouse);
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
