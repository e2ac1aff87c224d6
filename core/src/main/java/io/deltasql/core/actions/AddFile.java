package io.deltasql.core.actions;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code add} action: a data file that becomes part of the table. {@code path} is a
 * URI relative to the table root (or absolute); partition values are serialized strings,
 * {@code null} for a null partition value; {@code stats} is the JSON statistics string.
 */
public record AddFile(
    String path,
    Map<String, String> partitionValues,
    long size,
    long modificationTime,
    boolean dataChange,
    Optional<String> stats,
    Map<String, String> tags,
    Optional<DeletionVectorDescriptor> deletionVector,
    Optional<Long> baseRowId,
    Optional<Long> defaultRowCommitVersion,
    Optional<String> clusteringProvider)
    implements Action {

  public AddFile {
    Objects.requireNonNull(path, "path");
    partitionValues = Maps.copyOf(partitionValues);
    Objects.requireNonNull(stats, "stats");
    tags = Maps.copyOf(tags);
    Objects.requireNonNull(deletionVector, "deletionVector");
    Objects.requireNonNull(baseRowId, "baseRowId");
    Objects.requireNonNull(defaultRowCommitVersion, "defaultRowCommitVersion");
    Objects.requireNonNull(clusteringProvider, "clusteringProvider");
  }

  /** A plain add of a new data file, without deletion vector, tags or row tracking. */
  public static AddFile of(String path, Map<String, String> partitionValues, long size,
      long modificationTime, Optional<String> stats) {
    return new AddFile(path, partitionValues, size, modificationTime, true, stats, Map.of(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The replay key of this file: (path, deletion vector id). */
  public FileKey fileKey() {
    return new FileKey(path, deletionVector.map(DeletionVectorDescriptor::uniqueId));
  }

  public AddFile withDataChange(boolean newDataChange) {
    return new AddFile(path, partitionValues, size, modificationTime, newDataChange, stats, tags,
        deletionVector, baseRowId, defaultRowCommitVersion, clusteringProvider);
  }

  public AddFile withPath(String newPath) {
    return new AddFile(newPath, partitionValues, size, modificationTime, dataChange, stats, tags,
        deletionVector, baseRowId, defaultRowCommitVersion, clusteringProvider);
  }

  /** The remove action that takes this file out of the table at {@code deletionTimestamp}. */
  public RemoveFile toRemove(long deletionTimestamp, boolean removeDataChange) {
    return new RemoveFile(path, Optional.of(deletionTimestamp), removeDataChange, Optional.of(true),
        Optional.of(partitionValues), Optional.of(size), stats, tags, deletionVector, baseRowId,
        defaultRowCommitVersion);
  }

  @Override
  public String key() {
    return "add";
  }
}
