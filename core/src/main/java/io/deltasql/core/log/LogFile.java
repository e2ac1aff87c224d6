package io.deltasql.core.log;

import io.deltasql.core.storage.FileStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file of a {@code _delta_log} folder, recognised by its name (PROTOCOL.md, "Delta Log
 * Entries", "Checkpoints"). Files the protocol does not name are not {@code LogFile}s.
 *
 * @param kind what the file is
 * @param version the table version it belongs to
 * @param part the part number of a multi-part checkpoint (1-based), else 1
 * @param parts the number of parts of a multi-part checkpoint, else 1
 * @param status the file's path, size and modification time
 */
public record LogFile(Kind kind, long version, int part, int parts, FileStatus status) {
  /** The kinds of log files deltasql reads. */
  public enum Kind {
    COMMIT,
    CLASSIC_CHECKPOINT,
    MULTI_PART_CHECKPOINT,
    V2_CHECKPOINT_JSON,
    V2_CHECKPOINT_PARQUET,
    CHECKSUM,
    LOG_COMPACTION
  }

  /** Digits of a version in a log file name. */
  private static final int VERSION_DIGITS = 20;
  private static final String ZEROS = "0".repeat(VERSION_DIGITS);
  private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
  private static final Pattern CLASSIC = Pattern.compile("(\\d{20})\\.checkpoint\\.parquet");
  private static final Pattern MULTI_PART =
      Pattern.compile("(\\d{20})\\.checkpoint\\.(\\d{10})\\.(\\d{10})\\.parquet");
  private static final Pattern V2 =
      Pattern.compile("(\\d{20})\\.checkpoint\\.[0-9a-fA-F-]{36}\\.(json|parquet)");
  private static final Pattern CHECKSUM = Pattern.compile("(\\d{20})\\.crc");
  private static final Pattern COMPACTION = Pattern.compile("(\\d{20})\\.(\\d{20})\\.compacted\\.json");

  public LogFile {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
  }

  /**
   * The log file this listed file is, if its name is one the protocol defines. A name of the
   * right shape whose version does not fit a {@code long} is a corrupt log.
   */
  public static Optional<LogFile> parse(FileStatus status) {
    try {
      return parseName(status);
    } catch (NumberFormatException e) {
      throw LogErrors.corrupt("Log file " + status.path() + " has a version number out of range;"
          + " versions are at most " + Long.MAX_VALUE + ".", e);
    }
  }

  private static Optional<LogFile> parseName(FileStatus status) {
    String name = status.name();
    Matcher m;
    if ((m = COMMIT.matcher(name)).matches()) {
      return Optional.of(new LogFile(Kind.COMMIT, Long.parseLong(m.group(1)), 1, 1, status));
    }
    if ((m = CLASSIC.matcher(name)).matches()) {
      return Optional.of(new LogFile(Kind.CLASSIC_CHECKPOINT, Long.parseLong(m.group(1)), 1, 1, status));
    }
    if ((m = MULTI_PART.matcher(name)).matches()) {
      int part = Integer.parseInt(m.group(2));
      int parts = Integer.parseInt(m.group(3));
      if (part < 1 || parts < 1 || part > parts) {
        return Optional.empty();
      }
      return Optional.of(new LogFile(Kind.MULTI_PART_CHECKPOINT, Long.parseLong(m.group(1)), part, parts, status));
    }
    if ((m = V2.matcher(name)).matches()) {
      Kind kind = m.group(2).equals("json") ? Kind.V2_CHECKPOINT_JSON : Kind.V2_CHECKPOINT_PARQUET;
      return Optional.of(new LogFile(kind, Long.parseLong(m.group(1)), 1, 1, status));
    }
    if ((m = CHECKSUM.matcher(name)).matches()) {
      return Optional.of(new LogFile(Kind.CHECKSUM, Long.parseLong(m.group(1)), 1, 1, status));
    }
    if ((m = COMPACTION.matcher(name)).matches()) {
      return Optional.of(new LogFile(Kind.LOG_COMPACTION, Long.parseLong(m.group(1)), 1, 1, status));
    }
    return Optional.empty();
  }

  /** Whether this file is (part of) a checkpoint. */
  public boolean isCheckpoint() {
    return kind == Kind.CLASSIC_CHECKPOINT || kind == Kind.MULTI_PART_CHECKPOINT
        || kind == Kind.V2_CHECKPOINT_JSON || kind == Kind.V2_CHECKPOINT_PARQUET;
  }

  public String path() {
    return status.path();
  }

  /** The file name of a commit of {@code version}: twenty digits, {@code .json}. */
  public static String commitFileName(long version) {
    return zeroPadded(version) + ".json";
  }

  /** The file name of a classic checkpoint of {@code version}. */
  public static String checkpointFileName(long version) {
    return zeroPadded(version) + ".checkpoint.parquet";
  }

  /**
   * {@code version} in {@value #VERSION_DIGITS} digits, as {@code String.format("%020d")}
   * writes it. Not {@code String.format}: the mirror names a file per version, and parsing
   * the format string each time was an eighth of its CPU.
   */
  private static String zeroPadded(long version) {
    if (version < 0) {
      return String.format("%020d", version); // never a log file; kept as it was
    }
    String digits = Long.toString(version);
    return ZEROS.substring(digits.length()) + digits;
  }
}
