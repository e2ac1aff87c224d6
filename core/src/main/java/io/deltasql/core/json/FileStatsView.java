package io.deltasql.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The statistics of one data file as file skipping reads them: the record count, then the
 * minimum, maximum and null count of a top-level column by its physical name. {@link FileStats}
 * answers from its parsed JSON; a file read from a catalog file image answers from typed
 * columns kept in the image, without parsing the JSON, and gives the same answers.
 */
public interface FileStatsView {
  /** The number of records in the data file, if known. */
  Optional<Long> numRecords();

  /** The null count of {@code column}, if it is a number that fits a {@code long}. */
  Optional<Long> nullCount(String column);

  /** The minimum of {@code column}, unless it is absent, null or an object. */
  Optional<JsonNode> minValue(String column);

  /** The maximum of {@code column}, unless it is absent, null or an object. */
  Optional<JsonNode> maxValue(String column);

  /**
   * Whether the minimum and the maximum of {@code column} are both {@code int} or {@code long}
   * numbers that {@link #minLong} and {@link #maxLong} give without making a node (what file
   * skipping reads most, for every file). When it is false, read {@link #minValue} and
   * {@link #maxValue}.
   */
  default boolean hasLongBounds(String column) {
    return false;
  }

  /** The minimum of {@code column}, if {@link #hasLongBounds}. */
  default long minLong(String column) {
    throw new IllegalStateException("no long bounds of column " + column);
  }

  /** The maximum of {@code column}, if {@link #hasLongBounds}. */
  default long maxLong(String column) {
    throw new IllegalStateException("no long bounds of column " + column);
  }
}
