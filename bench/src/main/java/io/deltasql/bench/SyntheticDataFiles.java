package io.deltasql.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsJson;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes the {@code add} actions of a synthetic table: Spark-like file names, sizes and
 * statistics for the columns of {@link #SCHEMA_JSON}. The data files themselves are never
 * written: opening a table reads only its log.
 *
 * <p>Statistics: {@code numRecords}, and min, max and null count of {@code id} (a
 * contiguous, growing range per file, as an append-only id would give), {@code amount},
 * {@code category} and {@code ts}, plus {@code event_date} when it is not the partition
 * column. Deterministic for a given seed.
 */
final class SyntheticDataFiles {
  /** The table's schema, as the {@code metaData} action's {@code schemaString}. */
  static final String SCHEMA_JSON = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
      + "{\"name\":\"amount\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"category\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"ts\",\"type\":\"timestamp\",\"nullable\":true,\"metadata\":{}},"
      + "{\"name\":\"event_date\",\"type\":\"date\",\"nullable\":true,\"metadata\":{}}]}";

  /** The partition column of partitioned tables. */
  static final String PARTITION_COLUMN = "event_date";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final long HOUR_MS = 3_600_000L;

  private final SplittableRandom random;
  private final boolean partitioned;
  private long nextId;
  private int fileIndex;

  SyntheticDataFiles(long seed, boolean partitioned) {
    this.random = new SplittableRandom(seed);
    this.partitioned = partitioned;
  }

  /** The metadata's partition columns. */
  List<String> partitionColumns() {
    return partitioned ? List.of(PARTITION_COLUMN) : List.of();
  }

  /** A random UUID string from this generator's seed. */
  String uuid() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  /** A number in {@code [0, bound)}. */
  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /**
   * A new data file written at {@code commitTimestamp} holding rows of {@code day}.
   *
   * @param commitTimestamp the commit's timestamp in ms, also the file's modification time
   * @param day the event date of the file's rows (its partition in a partitioned table)
   */
  AddFile next(long commitTimestamp, LocalDate day) {
    long rows = 50_000 + random.nextInt(100_000);
    long minId = nextId;
    long maxId = nextId + rows - 1;
    nextId += rows;
    String date = day.toString();
    String name = "part-%05d-%s-c000.snappy.parquet".formatted(fileIndex++ % 100_000, uuid());
    String path = partitioned ? PARTITION_COLUMN + "=" + date + "/" + name : name;
    long size = 8L * 1024 * 1024 + random.nextInt(120 * 1024 * 1024);
    Map<String, String> partitionValues = partitioned ? Map.of(PARTITION_COLUMN, date) : Map.of();
    return AddFile.of(path, partitionValues, size, commitTimestamp,
        Optional.of(stats(rows, minId, maxId, commitTimestamp, date)));
  }

  private String stats(long rows, long minId, long maxId, long commitTimestamp, String date) {
    ObjectNode min = JSON.objectNode();
    ObjectNode max = JSON.objectNode();
    ObjectNode nulls = JSON.objectNode();
    min.put("id", minId);
    max.put("id", maxId);
    nulls.put("id", 0);
    double lowAmount = random.nextInt(10_000) / 100.0;
    min.put("amount", lowAmount);
    max.put("amount", lowAmount + 100 + random.nextInt(1_000_000) / 100.0);
    nulls.put("amount", random.nextInt(50));
    int lowCategory = random.nextInt(100);
    min.put("category", "cat_%03d".formatted(lowCategory));
    max.put("category", "cat_%03d".formatted(lowCategory + 1 + random.nextInt(899)));
    nulls.put("category", random.nextInt(500));
    min.put("ts", TIMESTAMP.format(Instant.ofEpochMilli(commitTimestamp - 2 * HOUR_MS)));
    max.put("ts", TIMESTAMP.format(Instant.ofEpochMilli(commitTimestamp)));
    nulls.put("ts", 0);
    if (!partitioned) {
      min.put(PARTITION_COLUMN, date);
      max.put(PARTITION_COLUMN, date);
      nulls.put(PARTITION_COLUMN, 0);
    }
    return FileStatsJson.write(FileStats.of(Optional.of(rows), min, max, nulls, Optional.empty()));
  }
}
