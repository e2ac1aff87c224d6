package io.deltasql.bench;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The shape of a synthetic Delta table for the benchmarks.
 *
 * <p>Version 0 creates the table (protocol and metadata); versions 1 to {@code commits - 1}
 * append files, and some of them also rewrite a few files (remove and re-add), so that the
 * latest version has exactly {@code activeFiles} active files.
 *
 * @param commits number of commits, so the latest version is {@code commits - 1}
 * @param activeFiles number of active files at the latest version
 * @param checkpointInterval a checkpoint every that many versions (as Delta's
 *     {@code delta.checkpointInterval}); {@code 0} for a table without any checkpoint
 * @param partitioned whether the table is partitioned by {@code event_date}
 * @param checksums which versions have a {@code .crc} version checksum file
 */
public record TableSpec(int commits, int activeFiles, int checkpointInterval, boolean partitioned,
    Checksums checksums) {
  /**
   * Changes whenever the generator writes different content for the same spec, so that
   * tables cached by an older generator are not reused.
   */
  static final int FORMAT_VERSION = 2;

  public TableSpec {
    if (commits < 1) {
      throw new IllegalArgumentException("A table has at least one commit, got commits=" + commits);
    }
    if (activeFiles < 0) {
      throw new IllegalArgumentException("activeFiles must be >= 0, got " + activeFiles);
    }
    if (activeFiles > 0 && commits < 2) {
      throw new IllegalArgumentException("Version 0 only creates the table: a table with "
          + activeFiles + " active files needs at least 2 commits, got " + commits);
    }
    Objects.requireNonNull(checksums, "checksums");
    if (checkpointInterval < 0) {
      throw new IllegalArgumentException(
          "checkpointInterval must be >= 0 (0 = no checkpoint), got " + checkpointInterval);
    }
  }

  /** The latest version of the table. */
  public long latestVersion() {
    return commits - 1L;
  }

  /**
   * The version of the newest checkpoint: the highest positive multiple of the interval at
   * or below the latest version, as Delta writers place them; empty without checkpoints.
   */
  public OptionalLong checkpointVersion() {
    if (checkpointInterval == 0) {
      return OptionalLong.empty();
    }
    long version = latestVersion() / checkpointInterval * checkpointInterval;
    return version > 0 ? OptionalLong.of(version) : OptionalLong.empty();
  }

  /**
   * A folder name that identifies this spec and the generator's format, e.g.
   * {@code g2-c10000-f100000-cp10-flat} or {@code g2-c10000-f100000-nocp-part-crc}.
   */
  public String directoryName() {
    return "g%d-c%d-f%d-%s-%s%s".formatted(FORMAT_VERSION, commits, activeFiles,
        checkpointInterval == 0 ? "nocp" : "cp" + checkpointInterval,
        partitioned ? "part" : "flat", checksums.directorySuffix());
  }
}
