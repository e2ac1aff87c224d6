package io.deltasql.core.parquet;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

/**
 * Writes the classic single-file checkpoint {@code _delta_log/<version>.checkpoint.parquet}
 * of a {@link Snapshot}, in the schema Delta Spark writes (see {@link CheckpointSchema}),
 * Snappy-compressed, streamed to storage. Rows: protocol, metadata, app transactions,
 * domains, then every active file, then the tombstones the caller passes. File actions are
 * written as state ({@code dataChange=false}).
 *
 * <p>A table with the {@code v2Checkpoint} feature gets a V2-spec classic checkpoint (with
 * a {@code checkpointMetadata} row and no sidecars); others a V1-spec one.
 *
 * <p>The file appears only once complete: a failure publishes nothing. An existing
 * checkpoint of the same version is replaced, which PROTOCOL.md allows (both hold the same
 * state). Writing {@code _last_checkpoint} is the caller's step, with
 * {@link CheckpointInfo#toLastCheckpointJson()}.
 */
public final class CheckpointWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);
  private static final String V2_CHECKPOINT_FEATURE = "v2Checkpoint";

  private final Storage storage;

  public CheckpointWriter(Storage storage) {
    this.storage = Objects.requireNonNull(storage, "storage");
  }

  /** The path of the classic checkpoint of {@code version} of the table at {@code tableRoot}. */
  public static String classicCheckpointPath(String tableRoot, long version) {
    return StoragePaths.join(StoragePaths.logDir(tableRoot), LogFile.checkpointFileName(version));
  }

  /** Writes the checkpoint of {@code snapshot}, without tombstones. */
  public CheckpointInfo write(String tableRoot, Snapshot snapshot) {
    return write(tableRoot, snapshot, List.of());
  }

  /**
   * Writes the checkpoint of {@code snapshot} with {@code tombstones}, the unexpired
   * {@code remove} actions to keep for VACUUM.
   *
   * @throws DeltaException {@code 58030} if storage fails; {@code XX000} if a tombstone
   *     names an active file (a caller bug: a file cannot be both)
   */
  public CheckpointInfo write(String tableRoot, Snapshot snapshot, Iterable<RemoveFile> tombstones) {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(tombstones, "tombstones");
    String path = classicCheckpointPath(tableRoot, snapshot.version());
    boolean v2 = snapshot.protocol().writerFeatures().contains(V2_CHECKPOINT_FEATURE);
    StorageOutputFile file = new StorageOutputFile(storage, path);
    RowCounter rows = new RowCounter();
    try {
      ParquetWriter<Action> writer = open(file, v2 ? CheckpointSchema.V2 : CheckpointSchema.V1);
      writeState(writer, rows, snapshot, v2);
      for (RemoveFile tombstone : tombstones) {
        requireInactive(snapshot, tombstone, path);
        rows.write(writer, tombstone);
      }
      writer.close();
    } catch (IOException e) {
      file.abandon();
      throw CheckpointErrors.writeFailed(path, e);
    } catch (RuntimeException e) {
      file.abandon();
      throw e;
    }
    CheckpointInfo info = new CheckpointInfo(path, snapshot.version(), rows.actions,
        file.bytesWritten(), rows.adds);
    LOG.info("Checkpoint written: path={} version={} actions={} addFiles={} bytes={}",
        path, info.version(), info.size(), info.numOfAddFiles(), info.sizeInBytes());
    return info;
  }

  private static void writeState(ParquetWriter<Action> writer, RowCounter rows, Snapshot snapshot,
      boolean v2) throws IOException {
    rows.write(writer, snapshot.protocol());
    rows.write(writer, snapshot.metadata());
    if (v2) {
      rows.write(writer, new CheckpointMetadata(snapshot.version(), Map.of()));
    }
    for (SetTransaction txn : snapshot.appTransactions().values().stream()
        .sorted(Comparator.comparing(SetTransaction::appId)).toList()) {
      rows.write(writer, txn);
    }
    for (DomainMetadata domain : snapshot.domains().values().stream()
        .sorted(Comparator.comparing(DomainMetadata::domain)).toList()) {
      rows.write(writer, domain);
    }
    for (AddFile add : snapshot.files().values()) {
      rows.write(writer, add);
    }
  }

  private static void requireInactive(Snapshot snapshot, RemoveFile tombstone, String path) {
    if (snapshot.files().containsKey(tombstone.fileKey())) {
      throw new DeltaException(SqlState.INTERNAL_ERROR, "Cannot write checkpoint '" + path
          + "': tombstone " + tombstone.fileKey() + " is also an active file of version "
          + snapshot.version() + "; a file is either active or removed, never both");
    }
  }

  /**
   * Columns whose values are (nearly) all distinct: a dictionary never pays for them, yet
   * building one costs a hash of every value (a quarter of a 1,000-file checkpoint's CPU).
   */
  private static final List<String> WITHOUT_DICTIONARY = List.of("add.path", "add.stats", "remove.path");

  private static ParquetWriter<Action> open(StorageOutputFile file, MessageType schema)
      throws IOException {
    Builder builder = new Builder(file, schema)
        .withConf(new PlainParquetConfiguration())
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withCodecFactory(SnappyCodec.INSTANCE);
    WITHOUT_DICTIONARY.forEach(column -> builder.withDictionaryEncoding(column, false));
    return builder.build();
  }

  /**
   * Snappy page compression without Hadoop: Parquet's own codec factory builds a Hadoop
   * {@code Configuration} (parsing its XML defaults) and a codec per writer, which was a
   * tenth of the CPU of a small checkpoint, and the mirror writes one every ten versions.
   * Parquet's {@code SNAPPY} is the raw Snappy block format of each page, which
   * {@link Snappy#compress(byte[])} writes; it holds no state, so one instance serves every
   * thread, and {@link #release()} (which {@code ParquetWriter.close} calls) has nothing to do.
   */
  private static final class SnappyCodec implements CompressionCodecFactory, CompressionCodecFactory.BytesInputCompressor {
    static final SnappyCodec INSTANCE = new SnappyCodec();

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      if (codec != CompressionCodecName.SNAPPY) {
        throw new IllegalArgumentException("checkpoints are Snappy-compressed, not " + codec);
      }
      return this;
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      throw new UnsupportedOperationException("the checkpoint writer only compresses");
    }

    @Override
    public BytesInput compress(BytesInput page) throws IOException {
      return BytesInput.from(Snappy.compress(page.toByteArray()));
    }

    @Override
    public CompressionCodecName getCodecName() {
      return CompressionCodecName.SNAPPY;
    }

    @Override
    public void release() {
      // stateless
    }
  }

  /** Counts what was written, for {@code _last_checkpoint}. */
  private static final class RowCounter {
    private long actions;
    private long adds;

    void write(ParquetWriter<Action> writer, Action action) throws IOException {
      writer.write(action);
      actions++;
      if (action instanceof AddFile) {
        adds++;
      }
    }
  }

  /** The Parquet writer builder for actions; Parquet's API requires a subclass. */
  private static final class Builder extends ParquetWriter.Builder<Action, Builder> {
    private final MessageType schema;

    Builder(StorageOutputFile file, MessageType schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** Required by Parquet's API (abstract there, though deprecated). */
    @Override
    @SuppressWarnings("deprecation")
    protected WriteSupport<Action> getWriteSupport(Configuration configuration) {
      return new ActionWriteSupport(schema);
    }

    @Override
    protected WriteSupport<Action> getWriteSupport(ParquetConfiguration configuration) {
      return new ActionWriteSupport(schema);
    }
  }
}
