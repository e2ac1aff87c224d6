package io.deltasql.core.data;

import java.util.Objects;

/**
 * How {@link DataFileWriter} writes data files. Immutable; start from {@link #DEFAULTS}.
 *
 * @param compression the Parquet codec ({@link Compression#SNAPPY} by default)
 * @param targetFileSize a file is closed and a new one started once it holds about this many
 *     bytes (128 MiB by default); files may be a little larger, never split mid-row
 * @param rowGroupSize the Parquet row group size in bytes (128 MiB by default; at most the
 *     target file size is used)
 * @param rowGroupRowLimit the most rows in one row group (no limit by default); smaller row
 *     groups let readers skip more precisely
 * @param statsStringPrefix string minimums and maximums in the statistics keep this many
 *     characters (32, as Delta)
 * @param maxOpenFiles the most files written at once when rows of many partitions arrive
 *     mixed (32 by default); past it the oldest open file is finished
 */
public record WriteOptions(Compression compression, long targetFileSize, long rowGroupSize,
    int rowGroupRowLimit, int statsStringPrefix, int maxOpenFiles) {
  private static final long MIB = 1024L * 1024L;

  /** The default options. */
  public static final WriteOptions DEFAULTS = new WriteOptions(Compression.SNAPPY, 128 * MIB,
      128 * MIB, Integer.MAX_VALUE, 32, 32);

  public WriteOptions {
    Objects.requireNonNull(compression, "compression");
    if (targetFileSize < 1 || rowGroupSize < 1 || rowGroupRowLimit < 1 || statsStringPrefix < 1
        || maxOpenFiles < 1) {
      throw new IllegalArgumentException("write options must be positive: target file size "
          + targetFileSize + ", row group size " + rowGroupSize + ", row group row limit "
          + rowGroupRowLimit + ", stats string prefix " + statsStringPrefix + ", open files "
          + maxOpenFiles);
    }
  }

  public WriteOptions withCompression(Compression value) {
    return new WriteOptions(value, targetFileSize, rowGroupSize, rowGroupRowLimit,
        statsStringPrefix, maxOpenFiles);
  }

  public WriteOptions withTargetFileSize(long bytes) {
    return new WriteOptions(compression, bytes, rowGroupSize, rowGroupRowLimit,
        statsStringPrefix, maxOpenFiles);
  }

  public WriteOptions withRowGroupSize(long bytes) {
    return new WriteOptions(compression, targetFileSize, bytes, rowGroupRowLimit,
        statsStringPrefix, maxOpenFiles);
  }

  public WriteOptions withRowGroupRowLimit(int rows) {
    return new WriteOptions(compression, targetFileSize, rowGroupSize, rows,
        statsStringPrefix, maxOpenFiles);
  }

  public WriteOptions withStatsStringPrefix(int characters) {
    return new WriteOptions(compression, targetFileSize, rowGroupSize, rowGroupRowLimit,
        characters, maxOpenFiles);
  }

  public WriteOptions withMaxOpenFiles(int files) {
    return new WriteOptions(compression, targetFileSize, rowGroupSize, rowGroupRowLimit,
        statsStringPrefix, files);
  }
}
