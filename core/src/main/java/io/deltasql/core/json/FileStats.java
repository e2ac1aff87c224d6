package io.deltasql.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The statistics of one data file, as an {@code add}'s {@code stats} string holds them
 * (PROTOCOL.md, "Per-file Statistics"). Column statistics are JSON objects keyed by physical
 * column name, nested like the schema's structs; any of them may be missing or partial.
 *
 * <p>Immutable: the objects are private copies, exposed as read-only {@link JsonNode}s.
 * Numbers are exact (decimals keep every digit and their scale).
 */
public final class FileStats implements FileStatsView {
  /** Statistics that say nothing. */
  public static final FileStats EMPTY = new FileStats(Optional.empty(), empty(), empty(),
      empty(), Optional.empty());

  private final Optional<Long> numRecords;
  private final ObjectNode minValues;
  private final ObjectNode maxValues;
  private final ObjectNode nullCount;
  private final Optional<Boolean> tightBounds;

  private FileStats(Optional<Long> numRecords, ObjectNode minValues, ObjectNode maxValues,
      ObjectNode nullCount, Optional<Boolean> tightBounds) {
    this.numRecords = Objects.requireNonNull(numRecords, "numRecords");
    this.minValues = Objects.requireNonNull(minValues, "minValues");
    this.maxValues = Objects.requireNonNull(maxValues, "maxValues");
    this.nullCount = Objects.requireNonNull(nullCount, "nullCount");
    this.tightBounds = Objects.requireNonNull(tightBounds, "tightBounds");
  }

  /**
   * Statistics from copies of the given objects.
   *
   * @param minValues per-column minimums keyed by physical name (an empty object if none)
   * @param maxValues per-column maximums keyed by physical name (an empty object if none)
   * @param nullCount per-column null counts keyed by physical name (an empty object if none)
   */
  public static FileStats of(Optional<Long> numRecords, ObjectNode minValues,
      ObjectNode maxValues, ObjectNode nullCount, Optional<Boolean> tightBounds) {
    return new FileStats(numRecords, minValues.deepCopy(), maxValues.deepCopy(),
        nullCount.deepCopy(), tightBounds);
  }

  /** Statistics that own the given objects (freshly parsed, never shared). */
  static FileStats owning(Optional<Long> numRecords, ObjectNode minValues, ObjectNode maxValues,
      ObjectNode nullCount, Optional<Boolean> tightBounds) {
    return new FileStats(numRecords, minValues, maxValues, nullCount, tightBounds);
  }

  private static ObjectNode empty() {
    return JsonSupport.mapper().createObjectNode();
  }

  /** The number of records in the data file (deleted rows of a deletion vector included). */
  @Override
  public Optional<Long> numRecords() {
    return numRecords;
  }

  /** Per-column minimums keyed by physical column name; empty if none. */
  public JsonNode minValues() {
    return minValues;
  }

  /** Per-column maximums keyed by physical column name; empty if none. */
  public JsonNode maxValues() {
    return maxValues;
  }

  /** Per-column null counts keyed by physical column name; empty if none. */
  public JsonNode nullCount() {
    return nullCount;
  }

  /** The {@code tightBounds} flag as written, if it was. */
  public Optional<Boolean> tightBounds() {
    return tightBounds;
  }

  /** Whether min and max are tight; the protocol says to assume so when the flag is absent. */
  public boolean hasTightBounds() {
    return tightBounds.orElse(true);
  }

  @Override
  public Optional<JsonNode> minValue(String column) {
    return leaf(minValues, column);
  }

  @Override
  public Optional<JsonNode> maxValue(String column) {
    return leaf(maxValues, column);
  }

  @Override
  public Optional<Long> nullCount(String column) {
    return nullCount(new String[] {column});
  }

  /** The minimum of the column at {@code physicalPath} (struct fields, outermost first). */
  public Optional<JsonNode> minValue(String... physicalPath) {
    return leaf(minValues, physicalPath);
  }

  /** The maximum of the column at {@code physicalPath} (struct fields, outermost first). */
  public Optional<JsonNode> maxValue(String... physicalPath) {
    return leaf(maxValues, physicalPath);
  }

  /** The null count of the column at {@code physicalPath}, if it is a number. */
  public Optional<Long> nullCount(String... physicalPath) {
    return leaf(nullCount, physicalPath)
        .filter(n -> n.isIntegralNumber() && n.canConvertToLong())
        .map(JsonNode::longValue);
  }

  private static Optional<JsonNode> leaf(JsonNode root, String... path) {
    JsonNode node = root;
    for (String name : path) {
      node = node.get(name);
      if (node == null) {
        return Optional.empty();
      }
    }
    return node.isNull() || node.isContainerNode() ? Optional.empty() : Optional.of(node);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileStats other
        && numRecords.equals(other.numRecords)
        && minValues.equals(other.minValues)
        && maxValues.equals(other.maxValues)
        && nullCount.equals(other.nullCount)
        && tightBounds.equals(other.tightBounds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(numRecords, minValues, maxValues, nullCount, tightBounds);
  }

  @Override
  public String toString() {
    return "FileStats" + FileStatsJson.write(this);
  }
}
