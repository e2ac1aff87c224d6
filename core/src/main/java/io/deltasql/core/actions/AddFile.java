package io.deltasql.core.actions;

import io.deltasql.core.json.FileStatsView;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code add} action: a data file that becomes part of the table. {@code path} is a
 * URI relative to the table root (or absolute); partition values are serialized strings,
 * {@code null} for a null partition value; {@code stats} is the JSON statistics string.
 *
 * <p>An immutable value with the accessors, equality and hash code of a record of its eleven
 * fields. The stats of a file read from a catalog file image ({@link #ofEncodedStats}) stay
 * bytes until {@link #stats()} is called, which decodes them each time: a listing that never
 * looks at stats (most of a file's size) does not build them. Such a file equals, hashes and
 * prints like the same file built with its stats as a string.
 */
public final class AddFile implements Action {
  private final String path;
  private final Map<String, String> partitionValues;
  private final long size;
  private final long modificationTime;
  private final boolean dataChange;
  /** {@code null} (no stats), a {@link String} or an {@link EncodedText}. */
  private final Object stats;
  private final Map<String, String> tags;
  private final Optional<DeletionVectorDescriptor> deletionVector;
  private final Optional<Long> baseRowId;
  private final Optional<Long> defaultRowCommitVersion;
  private final Optional<String> clusteringProvider;

  public AddFile(String path, Map<String, String> partitionValues, long size, long modificationTime,
      boolean dataChange, Optional<String> stats, Map<String, String> tags,
      Optional<DeletionVectorDescriptor> deletionVector, Optional<Long> baseRowId,
      Optional<Long> defaultRowCommitVersion, Optional<String> clusteringProvider) {
    this(path, partitionValues, size, modificationTime, dataChange,
        Objects.requireNonNull(stats, "stats").orElse(null), tags, deletionVector, baseRowId,
        defaultRowCommitVersion, clusteringProvider);
  }

  private AddFile(String path, Map<String, String> partitionValues, long size, long modificationTime,
      boolean dataChange, Object stats, Map<String, String> tags,
      Optional<DeletionVectorDescriptor> deletionVector, Optional<Long> baseRowId,
      Optional<Long> defaultRowCommitVersion, Optional<String> clusteringProvider) {
    this.path = Objects.requireNonNull(path, "path");
    this.partitionValues = Maps.copyOf(partitionValues);
    this.size = size;
    this.modificationTime = modificationTime;
    this.dataChange = dataChange;
    this.stats = stats;
    this.tags = Maps.copyOf(tags);
    this.deletionVector = Objects.requireNonNull(deletionVector, "deletionVector");
    this.baseRowId = Objects.requireNonNull(baseRowId, "baseRowId");
    this.defaultRowCommitVersion = Objects.requireNonNull(defaultRowCommitVersion, "defaultRowCommitVersion");
    this.clusteringProvider = Objects.requireNonNull(clusteringProvider, "clusteringProvider");
  }

  /** A plain add of a new data file, without deletion vector, tags or row tracking. */
  public static AddFile of(String path, Map<String, String> partitionValues, long size,
      long modificationTime, Optional<String> stats) {
    return new AddFile(path, partitionValues, size, modificationTime, true, stats, Map.of(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * A file whose stats JSON is {@code stats}, decoded by every call of {@link #stats()}; the
   * other fields as in the constructor.
   */
  public static AddFile ofEncodedStats(String path, Map<String, String> partitionValues, long size,
      long modificationTime, boolean dataChange, Optional<EncodedText> stats, Map<String, String> tags,
      Optional<DeletionVectorDescriptor> deletionVector, Optional<Long> baseRowId,
      Optional<Long> defaultRowCommitVersion, Optional<String> clusteringProvider) {
    return new AddFile(path, partitionValues, size, modificationTime, dataChange, stats.orElse(null), tags,
        deletionVector, baseRowId, defaultRowCommitVersion, clusteringProvider);
  }

  public String path() {
    return path;
  }

  public Map<String, String> partitionValues() {
    return partitionValues;
  }

  public long size() {
    return size;
  }

  public long modificationTime() {
    return modificationTime;
  }

  public boolean dataChange() {
    return dataChange;
  }

  /** The stats JSON, if the file has any (decoded on each call when the file was read encoded). */
  public Optional<String> stats() {
    if (stats instanceof EncodedText encoded) {
      return Optional.of(encoded.decode());
    }
    return Optional.ofNullable((String) stats);
  }

  /**
   * The statistics kept in typed form with a file read from a catalog file image (answering as
   * {@link #stats()} parsed would, without parsing it); empty for any other file, whose stats
   * are read by parsing {@link #stats()}.
   */
  public Optional<FileStatsView> typedStats() {
    if (stats instanceof EncodedText text && text.block() instanceof StatsBlock block) {
      return Optional.of(block.statsOf(text));
    }
    return Optional.empty();
  }

  public Map<String, String> tags() {
    return tags;
  }

  public Optional<DeletionVectorDescriptor> deletionVector() {
    return deletionVector;
  }

  public Optional<Long> baseRowId() {
    return baseRowId;
  }

  public Optional<Long> defaultRowCommitVersion() {
    return defaultRowCommitVersion;
  }

  public Optional<String> clusteringProvider() {
    return clusteringProvider;
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
        Optional.of(partitionValues), Optional.of(size), stats(), tags, deletionVector, baseRowId,
        defaultRowCommitVersion);
  }

  @Override
  public String key() {
    return "add";
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof AddFile other
        && size == other.size
        && modificationTime == other.modificationTime
        && dataChange == other.dataChange
        && path.equals(other.path)
        && partitionValues.equals(other.partitionValues)
        && tags.equals(other.tags)
        && deletionVector.equals(other.deletionVector)
        && baseRowId.equals(other.baseRowId)
        && defaultRowCommitVersion.equals(other.defaultRowCommitVersion)
        && clusteringProvider.equals(other.clusteringProvider)
        && stats().equals(other.stats());
  }

  @Override
  public int hashCode() {
    int h = path.hashCode();
    h = 31 * h + partitionValues.hashCode();
    h = 31 * h + Long.hashCode(size);
    h = 31 * h + Long.hashCode(modificationTime);
    h = 31 * h + Boolean.hashCode(dataChange);
    h = 31 * h + stats().hashCode();
    h = 31 * h + tags.hashCode();
    h = 31 * h + deletionVector.hashCode();
    h = 31 * h + baseRowId.hashCode();
    h = 31 * h + defaultRowCommitVersion.hashCode();
    return 31 * h + clusteringProvider.hashCode();
  }

  /** The fields as a record prints them: {@code AddFile[path=…, partitionValues=…, …]}. */
  @Override
  public String toString() {
    return "AddFile[path=" + path + ", partitionValues=" + partitionValues + ", size=" + size
        + ", modificationTime=" + modificationTime + ", dataChange=" + dataChange + ", stats=" + stats()
        + ", tags=" + tags + ", deletionVector=" + deletionVector + ", baseRowId=" + baseRowId
        + ", defaultRowCommitVersion=" + defaultRowCommitVersion + ", clusteringProvider=" + clusteringProvider
        + "]";
  }
}
