package io.deltasql.core.parquet;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.Sidecar;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads the actions of one Parquet checkpoint file: a classic checkpoint, one part of a
 * multi-part checkpoint, a V2 checkpoint (manifest) in Parquet, or a sidecar file. The
 * caller puts the parts together: this class reads files, it does not find them (see
 * {@link #sidecarPath} for the one path rule of V2 checkpoints).
 *
 * <p>Actions stream: only one row group's column chunks and one row are in memory at a
 * time, so a checkpoint of millions of files is never held as a list. The returned stream
 * holds the file open until it is exhausted or closed; use try-with-resources.
 *
 * <p>A file that is not Parquet, is cut short, lacks the {@code add} column, or holds a row
 * that cannot be an action fails with {@code XX001} naming the file (and the row); a file
 * that cannot be read at all fails with storage's {@code 58030}.
 */
public final class CheckpointReader {
  private final Storage storage;

  public CheckpointReader(Storage storage) {
    this.storage = Objects.requireNonNull(storage, "storage");
  }

  /** Every action of the checkpoint file at {@code path}. */
  public Stream<Action> read(String path) {
    return read(path, CheckpointProjection.ALL);
  }

  /** The projected actions of the checkpoint file at {@code path}. */
  public Stream<Action> read(String path, CheckpointProjection projection) {
    return read(StorageInputFile.open(storage, path), projection);
  }

  /** The projected actions of a listed checkpoint file (its size is taken from the listing). */
  public Stream<Action> read(FileStatus file, CheckpointProjection projection) {
    return read(StorageInputFile.of(storage, file), projection);
  }

  /**
   * Where the file of a V2 checkpoint's {@code sidecar} action is: in
   * {@code _delta_log/_sidecars/}, unless the action holds an absolute URI.
   *
   * @param logDir the table's {@code _delta_log} folder
   */
  public static String sidecarPath(String logDir, Sidecar sidecar) {
    return StoragePaths.resolveInTable(StoragePaths.join(logDir, "_sidecars"), sidecar.path());
  }

  private Stream<Action> read(StorageInputFile file, CheckpointProjection projection) {
    Objects.requireNonNull(projection, "projection");
    ParquetFileReader reader = open(file);
    try {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      Optional<MessageType> requested = ReadSchema.project(fileSchema, projection, file.path());
      if (requested.isEmpty()) {
        reader.close();
        return Stream.empty();
      }
      reader.setRequestedSchema(requested.get());
      CheckpointActionIterator actions = new CheckpointActionIterator(file.path(), reader,
          fileSchema, requested.get(), new ActionDecoder(projection.stats()));
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(actions,
          Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(actions::close);
    } catch (IOException e) {
      closeAfterFailure(reader, e);
      throw CheckpointErrors.notParquet(file.path(), e);
    } catch (RuntimeException e) {
      closeAfterFailure(reader, e);
      throw e;
    }
  }

  private static ParquetFileReader open(StorageInputFile file) {
    ParquetReadOptions options = new ParquetReadOptions.Builder(new PlainParquetConfiguration())
        .build();
    try {
      return ParquetFileReader.open(file, options);
    } catch (DeltaException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw CheckpointErrors.notParquet(file.path(), e);
    }
  }

  private static void closeAfterFailure(ParquetFileReader reader, Exception failure) {
    try {
      reader.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
