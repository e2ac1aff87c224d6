package io.deltasql.core.data;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** The Parquet compression codecs deltasql writes data files with. */
public enum Compression {
  /** Snappy: fast, moderate ratio; what Delta writers use by default. */
  SNAPPY(CompressionCodecName.SNAPPY, "snappy"),
  /** Zstandard: better ratio at some CPU cost. */
  ZSTD(CompressionCodecName.ZSTD, "zstd"),
  /** No compression. */
  UNCOMPRESSED(CompressionCodecName.UNCOMPRESSED, null);

  private final CompressionCodecName codec;
  private final String fileNameTag;

  Compression(CompressionCodecName codec, String fileNameTag) {
    this.codec = codec;
    this.fileNameTag = fileNameTag;
  }

  CompressionCodecName codec() {
    return codec;
  }

  /** The data file name suffix, e.g. {@code .snappy.parquet}. */
  String fileSuffix() {
    return fileNameTag == null ? ".parquet" : "." + fileNameTag + ".parquet";
  }
}
