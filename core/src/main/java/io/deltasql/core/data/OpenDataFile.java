package io.deltasql.core.data;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.parquet.StorageOutputFile;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.schema.MessageType;

/**
 * One data file being written: its Parquet writer, its statistics so far, and the partition it
 * belongs to. Either {@link #finish} publishes it and returns its {@code add} action, or
 * {@link #abandon} gives it up and nothing appears at its path.
 */
final class OpenDataFile {
  private final Storage storage;
  private final String relativePath;
  private final String path;
  private final Map<String, String> partitionValues;
  private final StorageOutputFile output;
  private final ParquetWriter<Object[]> writer;
  private final StatsCollector stats;

  OpenDataFile(Storage storage, String path, String relativePath,
      Map<String, String> partitionValues, StructType dataColumns, MessageType schema,
      WriteOptions options, StatsCollector stats) throws IOException {
    this.storage = storage;
    this.path = path;
    this.relativePath = relativePath;
    this.partitionValues = partitionValues;
    this.stats = stats;
    this.output = new StorageOutputFile(storage, path);
    try {
      this.writer = new Builder(output, new RowWriteSupport(dataColumns, schema))
          .withConf(new PlainParquetConfiguration())
          .withWriteMode(ParquetFileWriter.Mode.CREATE)
          .withCompressionCodec(options.compression().codec())
          .withRowGroupSize(Math.min(options.rowGroupSize(), options.targetFileSize()))
          .withRowGroupRowCountLimit(options.rowGroupRowLimit())
          .withPageRowCountLimit(Math.min(20_000, options.rowGroupRowLimit()))
          .build();
    } catch (IOException | RuntimeException e) {
      // Opening writes the file's magic bytes already: give the write up, or it would stay behind.
      output.abandon();
      throw e;
    }
  }

  String path() {
    return path;
  }

  /** Writes one row of the data columns (already checked). */
  void write(Object[] dataRow) throws IOException {
    writer.write(dataRow);
    stats.add(dataRow);
  }

  /** Bytes written and buffered so far: about the size the file would have if finished now. */
  long size() {
    return writer.getDataSize();
  }

  /**
   * Closes the file, which publishes it, and returns its {@code add} action. If that fails,
   * nothing of the file is left: an unfinished write is abandoned, a published file deleted.
   */
  AddFile finish() throws IOException {
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      output.abandon();
      throw e;
    }
    try {
      long size = output.bytesWritten();
      long modified = storage.status(path).map(FileStatus::modificationTime)
          .orElseGet(System::currentTimeMillis);
      String stats = FileStatsJson.write(this.stats.toStats());
      return AddFile.of(PartitionPaths.toUriPath(relativePath), partitionValues, size, modified,
          Optional.of(stats));
    } catch (RuntimeException e) {
      try {
        storage.delete(path);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Gives the file up after a failure: nothing is published at its path. */
  void abandon() {
    output.abandon();
  }

  /** Parquet's writer builder for rows; its API requires a subclass. */
  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final RowWriteSupport support;

    Builder(StorageOutputFile file, RowWriteSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** Required by Parquet's API (abstract there, though deprecated). */
    @Override
    @SuppressWarnings("deprecation")
    protected WriteSupport<Object[]> getWriteSupport(Configuration configuration) {
      return support;
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration configuration) {
      return support;
    }
  }
}
