package io.deltasql.core.mirror;

import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.json.LastCheckpoint;
import io.deltasql.core.json.LastCheckpointJson;
import io.deltasql.core.parquet.CheckpointInfo;
import io.deltasql.core.parquet.CheckpointWriter;
import io.deltasql.core.parquet.StorageInputFile;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the classic checkpoint of a mirrored version from the catalog's snapshot, then
 * points {@code _last_checkpoint} at it.
 *
 * <p>A checkpoint that already exists is left alone: checkpoints appear only complete
 * ({@link Storage#create}), and two checkpoints of one version hold the same state, so
 * another engine's (or an earlier try's) is as good as ours, and not replacing it keeps a
 * reader that is reading it by ranges safe. {@code _last_checkpoint} is only a hint for
 * readers; it is overwritten, but never moved back to an older version.
 */
final class CheckpointPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointPublisher.class);
  static final String LAST_CHECKPOINT = "_last_checkpoint";

  private final CatalogStore catalog;
  private final Storage storage;
  private final CheckpointWriter writer;

  CheckpointPublisher(CatalogStore catalog, Storage storage) {
    this.catalog = catalog;
    this.storage = storage;
    this.writer = new CheckpointWriter(storage);
  }

  /**
   * Writes the checkpoint of {@code version} unless it exists, then makes sure
   * {@code _last_checkpoint} names it or a newer one. Returns whether this call wrote the
   * checkpoint. Safe to repeat: a try that failed after the checkpoint and before the hint
   * completes the hint.
   */
  boolean publish(TableInfo table, long version) {
    return publish(table, version, () -> catalog.snapshotAt(table.tableId(), version));
  }

  /** {@link #publish(TableInfo, long)} with the snapshot of {@code version} from {@code snapshot}, asked only when needed. */
  boolean publish(TableInfo table, long version, Supplier<Snapshot> snapshot) {
    String path = CheckpointWriter.classicCheckpointPath(table.location(), version);
    Optional<FileStatus> existing = storage.status(path);
    Optional<CheckpointInfo> written = Optional.empty();
    if (existing.isEmpty()) {
      written = Optional.of(writer.write(table.location(), snapshot.get()));
    } else {
      LOG.debug("mirror checkpoint already present table={} version={} path={}", table.qualifiedName(), version,
          path);
    }
    String hintPath = StoragePaths.join(StoragePaths.logDir(table.location()), LAST_CHECKPOINT);
    Optional<Long> current = currentHint(hintPath);
    if (current.isEmpty() || current.get() < version) {
      LastCheckpoint hint = written
          .map(info -> hint(version, info.size(), info.sizeInBytes(), Optional.of(info.numOfAddFiles())))
          .orElseGet(() -> hint(version, rowCount(existing.get()), existing.get().size(), Optional.empty()));
      storage.write(hintPath, LastCheckpointJson.write(hint));
    }
    return written.isPresent();
  }

  private static LastCheckpoint hint(long version, long size, long sizeInBytes, Optional<Long> numOfAddFiles) {
    return new LastCheckpoint(version, size, Optional.empty(), Optional.of(sizeInBytes), numOfAddFiles,
        Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
  }

  /** The number of actions of a checkpoint, from its Parquet footer. */
  private long rowCount(FileStatus checkpoint) {
    ParquetReadOptions options = new ParquetReadOptions.Builder(new PlainParquetConfiguration()).build();
    try (ParquetFileReader reader = ParquetFileReader.open(StorageInputFile.of(storage, checkpoint), options)) {
      return reader.getRecordCount();
    } catch (IOException e) {
      throw new DeltaException(SqlState.IO_ERROR, "Cannot read the footer of checkpoint '" + checkpoint.path()
          + "' to point _last_checkpoint at it: " + e.getMessage(), e);
    }
  }

  /** The version {@code _last_checkpoint} names; empty if there is none or it is unreadable (then replaced). */
  private Optional<Long> currentHint(String path) {
    if (storage.status(path).isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LastCheckpointJson.parse(storage.readAll(path), path).version());
    } catch (DeltaException e) {
      if (StorageRetry.isTransient(e)) {
        throw e;
      }
      LOG.warn("mirror replaces unreadable _last_checkpoint path={} reason={}", path, e.getMessage());
      return Optional.empty();
    }
  }
}
