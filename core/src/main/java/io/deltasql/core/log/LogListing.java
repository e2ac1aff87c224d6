package io.deltasql.core.log;

import io.deltasql.core.storage.FileStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One listing of a {@code _delta_log} folder: its commits and complete checkpoints by
 * version, and from them the {@link LogSegment} of any version. Incomplete multi-part
 * checkpoints are ignored, as the protocol requires.
 */
final class LogListing {
  private final String tableRoot;
  private final NavigableMap<Long, LogFile> commits = new TreeMap<>();
  private final NavigableMap<Long, Checkpoint> checkpoints = new TreeMap<>();

  LogListing(String tableRoot, List<FileStatus> listed) {
    this.tableRoot = tableRoot;
    Map<Long, LogFile> classic = new HashMap<>();
    Map<Long, LogFile> v2 = new HashMap<>();
    Map<String, List<LogFile>> multiPart = new HashMap<>();
    for (FileStatus status : listed) {
      Optional<LogFile> parsed = LogFile.parse(status);
      if (parsed.isEmpty()) {
        continue;
      }
      LogFile file = parsed.get();
      switch (file.kind()) {
        case COMMIT -> commits.put(file.version(), file);
        case CLASSIC_CHECKPOINT -> classic.put(file.version(), file);
        case V2_CHECKPOINT_JSON, V2_CHECKPOINT_PARQUET -> v2.merge(file.version(), file,
            (a, b) -> a.path().compareTo(b.path()) <= 0 ? a : b);
        case MULTI_PART_CHECKPOINT -> multiPart
            .computeIfAbsent(file.version() + "/" + file.parts(), k -> new ArrayList<>())
            .add(file);
        case CHECKSUM, LOG_COMPACTION -> { }
      }
    }
    // Preference at one version: a classic file, then a complete multi-part set, then V2.
    v2.forEach((version, file) -> checkpoints.put(version, new Checkpoint(version, List.of(file))));
    for (List<LogFile> parts : multiPart.values()) {
      LogFile first = parts.get(0);
      long distinct = parts.stream().mapToInt(LogFile::part).distinct().count();
      if (distinct == first.parts()) {
        List<LogFile> ordered = parts.stream()
            .sorted(Comparator.comparingInt(LogFile::part))
            .filter(distinctPart())
            .toList();
        checkpoints.put(first.version(), new Checkpoint(first.version(), ordered));
      }
    }
    classic.forEach((version, file) -> checkpoints.put(version, new Checkpoint(version, List.of(file))));
  }

  private static java.util.function.Predicate<LogFile> distinctPart() {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    return f -> seen.add(f.part());
  }

  boolean isEmpty() {
    return commits.isEmpty() && checkpoints.isEmpty();
  }

  /** The newest version in the log: its last commit, or a newer checkpoint. */
  long latestVersion() {
    long latest = -1;
    if (!commits.isEmpty()) {
      latest = commits.lastKey();
    }
    if (!checkpoints.isEmpty()) {
      latest = Math.max(latest, checkpoints.lastKey());
    }
    return latest;
  }

  SortedSet<Long> commitVersions() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(commits.keySet()));
  }

  Optional<LogFile> commit(long version) {
    return Optional.ofNullable(commits.get(version));
  }

  /** The oldest version the listing holds a commit or checkpoint for. */
  long firstVersion() {
    long first = Long.MAX_VALUE;
    if (!commits.isEmpty()) {
      first = commits.firstKey();
    }
    if (!checkpoints.isEmpty()) {
      first = Math.min(first, checkpoints.firstKey());
    }
    return first;
  }

  boolean hasCheckpoint(long version) {
    return checkpoints.containsKey(version);
  }

  List<Checkpoint> checkpoints() {
    return List.copyOf(checkpoints.values());
  }

  /**
   * The oldest version from which every later version up to the latest can be rebuilt:
   * 0 when the log is whole from commit 0, else the oldest checkpoint followed by an
   * unbroken run of commits.
   */
  long oldestReconstructableVersion() {
    long latest = latestVersion();
    List<Long> candidates = new ArrayList<>(checkpoints.keySet());
    if (commits.containsKey(0L) && !checkpoints.containsKey(0L)) {
      candidates.add(0, 0L);
    }
    long lastBase = -1;
    long missing = 0;
    for (long base : candidates) {
      Optional<Long> gap = firstMissingCommit(base, latest);
      if (gap.isEmpty()) {
        return base;
      }
      lastBase = checkpoints.containsKey(base) ? base : -1;
      missing = gap.get();
    }
    throw LogErrors.missingCommit(tableRoot, missing, lastBase, latest);
  }

  /** The first commit missing after {@code base} (a checkpoint, or commit 0) up to {@code target}. */
  private Optional<Long> firstMissingCommit(long base, long target) {
    long from = checkpoints.containsKey(base) ? base + 1 : base;
    for (long v = from; v <= target; v++) {
      if (!commits.containsKey(v)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** What must be read to rebuild {@code version}. */
  LogSegment segment(long version) {
    long latest = latestVersion();
    if (version > latest || version < 0) {
      throw LogErrors.versionNotFound(tableRoot, version, latest);
    }
    Optional<Checkpoint> checkpoint = Optional.ofNullable(checkpoints.floorEntry(version)).map(Map.Entry::getValue);
    long start = checkpoint.map(c -> c.version() + 1).orElse(0L);
    List<LogFile> needed = new ArrayList<>();
    for (long v = start; v <= version; v++) {
      LogFile commit = commits.get(v);
      if (commit == null) {
        if (checkpoint.isEmpty() && !checkpoints.isEmpty() && checkpoints.firstKey() > version) {
          throw LogErrors.versionNotReconstructable(tableRoot, version, oldestReconstructableVersion());
        }
        throw LogErrors.missingCommit(tableRoot, v, checkpoint.map(Checkpoint::version).orElse(-1L), version);
      }
      needed.add(commit);
    }
    return new LogSegment(tableRoot, version, checkpoint, needed);
  }
}
