package io.deltasql.bench;

/**
 * Which versions of a synthetic table get a {@code .crc} version checksum file. Delta Spark
 * writes one for every version; readers such as Kernel then take protocol and metadata from
 * the latest one instead of replaying the log, but also list one more file per version.
 */
public enum Checksums {
  /** No {@code .crc} file (the design's baseline table). */
  NONE(""),
  /** Only the latest version's, to separate reading a checksum from listing ten thousand. */
  LATEST("-crclast"),
  /** Every version's, as Delta Spark writes them. */
  ALL("-crc");

  private final String directorySuffix;

  Checksums(String directorySuffix) {
    this.directorySuffix = directorySuffix;
  }

  /** Whether {@code version} gets a checksum file in a table whose latest version is {@code latest}. */
  boolean covers(long version, long latest) {
    return this == ALL || (this == LATEST && version == latest);
  }

  /** What the table's cache folder name ends with. */
  String directorySuffix() {
    return directorySuffix;
  }
}
