package io.deltasql.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code stats} JSON string of an {@code add} or {@code remove}, to and from
 * {@link FileStats}. Absent or partial statistics are fine (every part is optional); unknown
 * keys are ignored; a part of the wrong type is a {@code DATA_CORRUPTED} error.
 */
public final class FileStatsJson {
  private static final String OWNER = "file statistics";

  private FileStatsJson() {}

  /** Parses a file's {@code stats}; absent or empty stats are {@link FileStats#EMPTY}. */
  public static FileStats parse(Optional<String> stats, String source) {
    Objects.requireNonNull(stats, "stats");
    return stats.map(s -> parse(s, source)).orElse(FileStats.EMPTY);
  }

  /**
   * Parses a {@code stats} string.
   *
   * @param source whose statistics these are, for errors (e.g. the file path and commit)
   */
  public static FileStats parse(String stats, String source) {
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(source, "source");
    if (stats.isBlank()) {
      return FileStats.EMPTY;
    }
    JsonFields f = JsonFields.ofObject(JsonSupport.readTree(stats, source), OWNER, source);
    return FileStats.owning(
        f.optionalLong("numRecords"),
        columns(f, "minValues"),
        columns(f, "maxValues"),
        columns(f, "nullCount"),
        f.optionalBoolean("tightBounds"));
  }

  private static ObjectNode columns(JsonFields f, String name) {
    return f.optionalObjectNode(name).orElseGet(() -> JsonSupport.mapper().createObjectNode());
  }

  /**
   * The {@code stats} string of {@code stats}: {@code numRecords, minValues, maxValues,
   * nullCount, tightBounds} in that order, absent parts and empty objects omitted.
   */
  public static String write(FileStats stats) {
    Objects.requireNonNull(stats, "stats");
    return JsonSupport.writeString(g -> {
      g.writeStartObject();
      if (stats.numRecords().isPresent()) {
        g.writeNumberField("numRecords", stats.numRecords().get());
      }
      writeColumns(g, "minValues", stats.minValues());
      writeColumns(g, "maxValues", stats.maxValues());
      writeColumns(g, "nullCount", stats.nullCount());
      if (stats.tightBounds().isPresent()) {
        g.writeBooleanField("tightBounds", stats.tightBounds().get());
      }
      g.writeEndObject();
    });
  }

  private static void writeColumns(JsonGenerator g, String name, JsonNode columns)
      throws IOException {
    if (!columns.isEmpty()) {
      g.writeFieldName(name);
      g.writeTree(columns);
    }
  }
}
