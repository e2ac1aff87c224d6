package io.deltasql.core.actions;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The {@code remove} action: a file that leaves the table (a tombstone). */
public record RemoveFile(
    String path,
    Optional<Long> deletionTimestamp,
    boolean dataChange,
    Optional<Boolean> extendedFileMetadata,
    Optional<Map<String, String>> partitionValues,
    Optional<Long> size,
    Optional<String> stats,
    Map<String, String> tags,
    Optional<DeletionVectorDescriptor> deletionVector,
    Optional<Long> baseRowId,
    Optional<Long> defaultRowCommitVersion)
    implements Action {

  public RemoveFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(deletionTimestamp, "deletionTimestamp");
    Objects.requireNonNull(extendedFileMetadata, "extendedFileMetadata");
    partitionValues = partitionValues.map(Maps::copyOf);
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(stats, "stats");
    tags = Maps.copyOf(tags);
    Objects.requireNonNull(deletionVector, "deletionVector");
    Objects.requireNonNull(baseRowId, "baseRowId");
    Objects.requireNonNull(defaultRowCommitVersion, "defaultRowCommitVersion");
  }

  /** The replay key of this file: (path, deletion vector id). */
  public FileKey fileKey() {
    return new FileKey(path, deletionVector.map(DeletionVectorDescriptor::uniqueId));
  }

  @Override
  public String key() {
    return "remove";
  }
}
