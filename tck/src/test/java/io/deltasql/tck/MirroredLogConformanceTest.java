package io.deltasql.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What deltasql mirrors to {@code _delta_log/}, checked field by field against Delta's
 * PROTOCOL.md after a representative SQL workload (CREATE, CTAS, INSERT, UPDATE, DELETE,
 * ALTER TABLE ADD COLUMNS, a partitioned table, OPTIMIZE, CHECKPOINT, automatic checkpoints,
 * one BEGIN MULTI … COMMIT over two tables, and writes to an imported Spark table) on each
 * catalog backend:
 *
 * <ul>
 *   <li>"Delta Log Entries": versions contiguous from 0; each commit newline-delimited JSON, one
 *       action a line, each line one known action; at most one {@code metaData} and one
 *       {@code protocol}; version 0 has both.
 *   <li>"Commit Provenance Information" and "In-Commit Timestamps": one {@code commitInfo},
 *       first; where the table enables in-commit timestamps, the protocol lists the
 *       {@code inCommitTimestamp} writer feature (writer version 7) and each commitInfo carries
 *       an {@code inCommitTimestamp} greater than the previous version's.
 *   <li>"Add File and Remove File" and "Per-file Statistics": {@code add} has {@code path},
 *       {@code partitionValues} (exactly the partition columns), {@code size} (the file's),
 *       {@code modificationTime}, {@code dataChange}, and {@code stats} whose
 *       {@code numRecords} is the file's row count; {@code remove} has {@code path},
 *       {@code deletionTimestamp}, {@code dataChange} and removes an active file.
 *   <li>"Checkpoints" and "Last Checkpoint File": no {@code commitInfo}, exactly one
 *       {@code protocol} and one {@code metaData}, exactly the active files of its version;
 *       {@code _last_checkpoint} names the newest checkpoint with its {@code size} (actions),
 *       and {@code sizeInBytes}, {@code numOfAddFiles} where written.
 * </ul>
 *
 * The JSON-level round trips of single actions are {@code core}'s tests (ActionJsonTest,
 * CheckpointWriterTest); this test checks what a whole workload leaves on disk. Each table is
 * a case of the {@code protocol} suite in the {@link TckReport}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MirroredLogConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
  private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint\\.parquet");
  private static final Set<String> ACTIONS = Set.of("add", "remove", "metaData", "protocol", "commitInfo", "txn",
      "domainMetadata", "cdc", "checkpointMetadata", "sidecar");
  /** The imported Spark table, and the first version deltasql wrote to it. */
  private static final String IMPORTED = "time-travel-start-start20-start40";
  private static final long IMPORTED_FIRST_OWN_VERSION = 3;

  @Parameter
  CatalogBackend backend;

  private Lakes lake;

  @BeforeParameterizedClassInvocation
  void runWorkload(CatalogBackend backend) throws SQLException {
    lake = Lakes.fresh(backend, "conformance");
    Path imported = SharedTables.copyToTemp(IMPORTED, lake.warehouse().orElseThrow().resolve("copies"));
    try (Connection c = lake.connect(); Statement s = c.createStatement()) {
      s.execute("create table orders (id int not null, customer string, amount decimal(10, 2), status string)"
          + " partitioned by (status)");
      s.execute("insert into orders values (1, 'ann', 10.00, 'open'), (2, 'bob', 20.50, 'open'),"
          + " (3, 'ann', 5.25, 'shipped')");
      s.execute("insert into orders values (4, 'cid', 99.99, 'shipped'), (5, 'dan', null, 'open')");
      s.execute("update orders set status = 'shipped' where id = 1");
      s.execute("delete from orders where amount is null");
      s.execute("alter table orders add columns (note string)");
      s.execute("insert into orders values (6, 'eve', 1.00, 'open', 'late')");
      s.execute("optimize orders");
      s.execute("checkpoint orders");
      s.execute("create table summary as select status, count(*) as n from orders group by status");
      s.execute("create table events (id bigint, ts timestamp, payload string)"
          + " tblproperties ('delta.checkpointInterval' = '2')");
      for (int i = 0; i < 5; i++) {
        s.execute("insert into events values (" + i + ", timestamp '2024-01-0" + (i + 1) + " 10:00:00', 'e" + i + "')");
      }
      s.execute("begin multi");
      s.execute("insert into orders values (7, 'fay', 7.00, 'open', null)");
      s.execute("insert into events values (100, timestamp '2024-02-01 00:00:00', 'multi')");
      s.execute("delete from summary where status = 'open'");
      s.execute("commit");
      s.execute("create table imported location '" + imported + "'");
      s.execute("insert into imported select * from imported limit 3");
      s.execute("delete from imported where id < 5");
      s.execute("call reconcile()");
    }
  }

  @AfterParameterizedClassInvocation
  void close() {
    lake.close();
  }

  /**
   * @param checkpoints whether the table must have checkpoints (CHECKPOINT, or automatic by
   *     {@code delta.checkpointInterval}), so that their checks ran
   * @param ict whether every commit must carry an in-commit timestamp (tables deltasql creates)
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"orders, true, true", "summary, false, true", "events, true, true", "imported, false, false"})
  void mirroredLogFollowsTheProtocol(String table, boolean checkpoints, boolean ict) throws IOException {
    Path root = table.equals("imported")
        ? lake.warehouse().orElseThrow().resolve("copies").resolve(IMPORTED)
        : lake.warehouse().orElseThrow().resolve("default").resolve(table);
    boolean passed = false;
    try {
      long firstOwnVersion = table.equals("imported") ? IMPORTED_FIRST_OWN_VERSION : 0;
      LogCheck check = new LogCheck(root, root.resolve("_delta_log"), firstOwnVersion);
      check.run();
      assertEquals(checkpoints, check.checkpoints > 0, table + ": checkpoints checked: " + check.checkpoints);
      assertEquals(ict ? check.commits : 0, check.ictCommits, table + ": commits with in-commit timestamps");
      passed = true;
    } finally {
      TckReport.caseRun(backend.name().toLowerCase(Locale.ROOT), "embedded", "protocol", table, passed);
    }
  }

  /**
   * The check fails on a copy of the log of {@code orders} (its data files stay) broken the way a
   * writer could break it: the commitInfo of version 1 moved after its other actions, a second
   * protocol in version 2, a wrong action count in {@code _last_checkpoint}.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"commitInfo not first", "two protocols", "_last_checkpoint size"})
  void brokenCopiesFailTheCheck(String breakage) throws IOException {
    Path orders = lake.warehouse().orElseThrow().resolve("default").resolve("orders");
    Path log = Files.createTempDirectory(lake.warehouse().orElseThrow(), "broken-log-");
    try (Stream<Path> files = Files.list(orders.resolve("_delta_log"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.copy(p, log.resolve(p.getFileName().toString()));
      }
    }
    switch (breakage) {
      case "commitInfo not first" -> {
        Path v1 = log.resolve("00000000000000000001.json");
        List<String> lines = new ArrayList<>(Files.readAllLines(v1));
        lines.add(lines.remove(0));
        Files.write(v1, lines);
      }
      case "two protocols" -> {
        String protocol = Files.readAllLines(log.resolve("00000000000000000000.json")).stream()
            .filter(l -> l.startsWith("{\"protocol\"")).findFirst().orElseThrow();
        Files.writeString(log.resolve("00000000000000000002.json"), protocol + "\n" + protocol + "\n",
            StandardOpenOption.APPEND);
      }
      default -> {
        JsonNode last = JSON.readTree(Files.readString(log.resolve("_last_checkpoint")));
        ((ObjectNode) last).put("size", last.get("size").asLong() + 1);
        Files.writeString(log.resolve("_last_checkpoint"), JSON.writeValueAsString(last));
      }
    }
    assertThrows(AssertionError.class, () -> new LogCheck(orders, log, 0).run(), breakage);
  }

  /** One table's log replayed version by version, each action checked as it is applied. */
  private static final class LogCheck {
    private final Path root;
    private final Path log;
    private final long firstOwnVersion;
    private final Map<String, JsonNode> active = new TreeMap<>();
    private final Map<Long, Set<String>> activeAt = new HashMap<>();
    private JsonNode metadata;
    private JsonNode protocol;
    private long lastIct = Long.MIN_VALUE;
    int commits;
    int ictCommits;
    int checkpoints;

    /** Checks the log in {@code log} of the table whose data files are under {@code root}. */
    LogCheck(Path root, Path log, long firstOwnVersion) {
      this.root = root;
      this.log = log;
      this.firstOwnVersion = firstOwnVersion;
    }

    void run() throws IOException {
      TreeMap<Long, Path> commits = new TreeMap<>();
      TreeMap<Long, Path> checkpoints = new TreeMap<>();
      try (Stream<Path> files = Files.list(log)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Matcher m = COMMIT.matcher(f.getFileName().toString());
          Matcher c = CHECKPOINT.matcher(f.getFileName().toString());
          if (m.matches()) {
            commits.put(Long.parseLong(m.group(1)), f);
          } else if (c.matches()) {
            checkpoints.put(Long.parseLong(c.group(1)), f);
          }
        }
      }
      assertFalse(commits.isEmpty(), "no commits in " + log);
      assertEquals(0L, commits.firstKey(), "versions start at 0");
      assertEquals(commits.size() - 1, commits.lastKey(), "versions are contiguous: " + commits.keySet());
      for (Map.Entry<Long, Path> commit : commits.entrySet()) {
        commit(commit.getKey(), commit.getValue());
        activeAt.put(commit.getKey(), new TreeSet<>(active.keySet()));
      }
      for (Map.Entry<Long, Path> checkpoint : checkpoints.entrySet()) {
        checkpoint(checkpoint.getKey(), checkpoint.getValue());
      }
      this.commits = commits.size();
      this.checkpoints = checkpoints.size();
      lastCheckpoint(checkpoints);
    }

    private void commit(long version, Path file) throws IOException {
      String where = file.getFileName().toString();
      String text = Files.readString(file);
      List<JsonNode> actions = new ArrayList<>();
      for (String line : text.split("\n", -1)) {
        if (line.isEmpty()) {
          continue;
        }
        JsonNode action = JSON.readTree(line);
        assertTrue(action.isObject() && action.size() == 1, where + ": one action a line: " + line);
        String kind = action.fieldNames().next();
        assertTrue(ACTIONS.contains(kind), where + ": unknown action " + kind);
        actions.add(action);
      }
      assertFalse(text.contains("\n\n") || text.startsWith("\n"), where + ": no blank lines");
      assertTrue(count(actions, "metaData") <= 1, where + ": at most one metaData");
      assertTrue(count(actions, "protocol") <= 1, where + ": at most one protocol");
      if (version == 0) {
        assertEquals(1, count(actions, "metaData"), where + ": version 0 has metaData");
        assertEquals(1, count(actions, "protocol"), where + ": version 0 has protocol");
      }
      for (JsonNode action : actions) {
        if (action.has("protocol")) {
          protocol(where, action.get("protocol"));
        } else if (action.has("metaData")) {
          metadata(where, action.get("metaData"));
        }
      }
      boolean own = version >= firstOwnVersion;
      if (own) {
        assertEquals(1, count(actions, "commitInfo"), where + ": one commitInfo");
        assertTrue(actions.get(0).has("commitInfo"), where + ": commitInfo is the first action");
      }
      if (inCommitTimestamps()) {
        assertTrue(protocol.path("minWriterVersion").asInt() >= 7
                && contains(protocol.path("writerFeatures"), "inCommitTimestamp"),
            where + ": in-commit timestamps need the inCommitTimestamp writer feature: " + protocol);
        assertTrue(actions.get(0).has("commitInfo"), where + ": with in-commit timestamps commitInfo is first");
        JsonNode ict = actions.get(0).get("commitInfo").get("inCommitTimestamp");
        assertTrue(ict != null && ict.canConvertToLong() && ict.isIntegralNumber(),
            where + ": commitInfo.inCommitTimestamp is a long: " + actions.get(0));
        assertTrue(ict.asLong() > lastIct, where + ": inCommitTimestamp " + ict + " after " + lastIct);
        lastIct = ict.asLong();
        ictCommits++;
      }
      Set<String> added = new HashSet<>();
      Set<String> removed = new HashSet<>();
      for (JsonNode action : actions) {
        if (action.has("remove")) {
          JsonNode r = action.get("remove");
          String path = text(where, r, "path");
          assertTrue(removed.add(path), where + ": one remove per path: " + path);
          assertTrue(r.path("dataChange").isBoolean(), where + ": remove.dataChange: " + r);
          if (own) {
            assertTrue(r.path("deletionTimestamp").isIntegralNumber(), where + ": remove.deletionTimestamp: " + r);
          }
          assertTrue(active.remove(path) != null, where + ": removes an active file: " + path);
        }
      }
      for (JsonNode action : actions) {
        if (action.has("add")) {
          JsonNode a = action.get("add");
          String path = text(where, a, "path");
          assertTrue(added.add(path), where + ": one add per path: " + path);
          add(where, a, path, own);
          active.put(path, a);
        }
      }
    }

    private void protocol(String where, JsonNode p) {
      int reader = p.path("minReaderVersion").asInt(-1);
      int writer = p.path("minWriterVersion").asInt(-1);
      assertTrue(p.path("minReaderVersion").isInt() && reader >= 1, where + ": protocol.minReaderVersion: " + p);
      assertTrue(p.path("minWriterVersion").isInt() && writer >= 1, where + ": protocol.minWriterVersion: " + p);
      assertEquals(reader >= 3, p.has("readerFeatures"), where + ": readerFeatures exactly from reader version 3");
      assertEquals(writer >= 7, p.has("writerFeatures"), where + ": writerFeatures exactly from writer version 7");
      protocol = p;
    }

    private void metadata(String where, JsonNode m) throws IOException {
      text(where, m, "id");
      assertEquals("parquet", m.path("format").path("provider").asText(), where + ": metaData.format.provider");
      JsonNode schema = JSON.readTree(text(where, m, "schemaString"));
      assertEquals("struct", schema.path("type").asText(), where + ": schemaString is a struct: " + schema);
      assertTrue(m.path("partitionColumns").isArray(), where + ": metaData.partitionColumns");
      for (JsonNode column : m.get("partitionColumns")) {
        assertTrue(contains(schema.path("fields"), column.asText(), "name"), where + ": partition column " + column);
      }
      JsonNode configuration = m.path("configuration");
      assertTrue(configuration.isObject(), where + ": metaData.configuration");
      configuration.fields().forEachRemaining(e -> assertTrue(e.getValue().isTextual(),
          where + ": configuration values are strings: " + e));
      metadata = m;
    }

    private void add(String where, JsonNode a, String path, boolean own) throws IOException {
      Set<String> keys = new TreeSet<>();
      a.path("partitionValues").fieldNames().forEachRemaining(keys::add);
      Set<String> columns = new TreeSet<>();
      metadata.get("partitionColumns").forEach(c -> columns.add(c.asText()));
      assertTrue(a.path("partitionValues").isObject(), where + ": add.partitionValues: " + a);
      assertEquals(columns, keys, where + ": add.partitionValues has exactly the partition columns: " + a);
      a.get("partitionValues").forEach(v -> assertTrue(v.isTextual() || v.isNull(), where + ": partition value " + v));
      assertTrue(a.path("size").isIntegralNumber(), where + ": add.size: " + a);
      assertTrue(a.path("modificationTime").isIntegralNumber(), where + ": add.modificationTime: " + a);
      assertTrue(a.path("dataChange").isBoolean(), where + ": add.dataChange: " + a);
      Path data = dataFile(path);
      assertTrue(Files.isRegularFile(data), where + ": add.path names a file: " + data);
      assertEquals(Files.size(data), a.get("size").asLong(), where + ": add.size is the file's size: " + path);
      if (own) {
        JsonNode stats = JSON.readTree(text(where, a, "stats"));
        assertTrue(stats.path("numRecords").isIntegralNumber(), where + ": stats.numRecords: " + stats);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(data))) {
          assertEquals(reader.getRecordCount(), stats.get("numRecords").asLong(), where + ": numRecords of " + path);
        }
      }
    }

    private void checkpoint(long version, Path file) throws IOException {
      String where = file.getFileName().toString();
      Map<String, Integer> kinds = new TreeMap<>();
      Set<String> adds = new TreeSet<>();
      for (Group row : rows(file)) {
        List<String> present = new ArrayList<>();
        for (int i = 0; i < row.getType().getFieldCount(); i++) {
          if (row.getFieldRepetitionCount(i) > 0) {
            present.add(row.getType().getFieldName(i));
          }
        }
        assertEquals(1, present.size(), where + ": one action a row: " + present);
        String kind = present.get(0);
        kinds.merge(kind, 1, Integer::sum);
        if (kind.equals("add")) {
          Group add = row.getGroup("add", 0);
          adds.add(add.getString("path", 0));
          for (String field : List.of("path", "size", "modificationTime", "dataChange")) {
            assertEquals(1, add.getFieldRepetitionCount(field), where + ": add." + field);
          }
        } else if (kind.equals("remove")) {
          Group remove = row.getGroup("remove", 0);
          for (String field : List.of("path", "deletionTimestamp", "dataChange")) {
            assertEquals(1, remove.getFieldRepetitionCount(field), where + ": remove." + field);
          }
        }
      }
      assertFalse(kinds.containsKey("commitInfo"), where + ": a checkpoint holds no commitInfo: " + kinds);
      assertEquals(1, kinds.getOrDefault("protocol", 0), where + ": one protocol: " + kinds);
      assertEquals(1, kinds.getOrDefault("metaData", 0), where + ": one metaData: " + kinds);
      assertEquals(activeAt.get(version), adds, where + ": exactly the active files of version " + version);
    }

    private void lastCheckpoint(TreeMap<Long, Path> checkpoints) throws IOException {
      Path last = log.resolve("_last_checkpoint");
      if (checkpoints.isEmpty()) {
        assertFalse(Files.exists(last), "_last_checkpoint without a checkpoint");
        return;
      }
      JsonNode json = JSON.readTree(Files.readString(last));
      long version = checkpoints.lastKey();
      Path file = checkpoints.get(version);
      List<Group> rows = rows(file);
      assertEquals(version, json.path("version").asLong(-1), "_last_checkpoint.version: " + json);
      assertEquals(rows.size(), json.path("size").asLong(-1), "_last_checkpoint.size counts the actions: " + json);
      if (json.has("sizeInBytes")) {
        assertEquals(Files.size(file), json.get("sizeInBytes").asLong(), "_last_checkpoint.sizeInBytes: " + json);
      }
      if (json.has("numOfAddFiles")) {
        assertEquals(activeAt.get(version).size(), json.get("numOfAddFiles").asLong(),
            "_last_checkpoint.numOfAddFiles: " + json);
      }
      assertFalse(json.has("parts"), "a single-file checkpoint has no parts: " + json);
    }

    private boolean inCommitTimestamps() {
      return "true".equals(metadata.path("configuration").path("delta.enableInCommitTimestamps").asText());
    }

    private Path dataFile(String path) {
      if (path.contains(":")) {
        return Path.of(URI.create(path));
      }
      return root.resolve(URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8));
    }

    private static List<Group> rows(Path file) throws IOException {
      List<Group> rows = new ArrayList<>();
      try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
        MessageType schema = reader.getFooter().getFileMetaData().getSchema();
        PageReadStore pages;
        while ((pages = reader.readNextRowGroup()) != null) {
          RecordReader<Group> records =
              new ColumnIOFactory().getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
          for (long i = 0; i < pages.getRowCount(); i++) {
            rows.add(records.read());
          }
        }
      }
      return rows;
    }

    private static long count(List<JsonNode> actions, String kind) {
      return actions.stream().filter(a -> a.has(kind)).count();
    }

    private static String text(String where, JsonNode node, String field) {
      JsonNode value = node.get(field);
      assertTrue(value != null && value.isTextual(), where + ": " + field + " is a string: " + node);
      return value.asText();
    }

    private static boolean contains(JsonNode array, String value) {
      for (JsonNode element : array) {
        if (element.asText().equals(value)) {
          return true;
        }
      }
      return false;
    }

    private static boolean contains(JsonNode array, String value, String field) {
      for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
        if (it.next().path(field).asText().equals(value)) {
          return true;
        }
      }
      return false;
    }
  }
}
