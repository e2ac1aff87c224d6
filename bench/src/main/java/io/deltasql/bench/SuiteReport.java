package io.deltasql.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Command-line tool of {@code bench/run --all}: gathers the results of one suite run (JMH JSON
 * files of the open, snapshot-advance and SQL benchmarks, {@link CommitBenchmark}'s,
 * {@link ServerLoadBenchmark}'s and {@link SnapshotMemory}'s JSON) into one list of rows, each
 * deltasql's figure next to its baseline measured in the same run and the goal, and
 * writes it as {@code BASE.json} (machine-readable) and {@code BASE.md} (the run's header,
 * the table with a "met" column, the scaling curves).
 *
 * <p>A row's {@code met} is {@code true} or {@code false} when the row has a goal, {@code null}
 * when it has none (a measure reported for information). The ratio's meaning depends on the
 * measure and is named in {@code ratioMeaning}: baseline/deltasql (times faster than Kernel),
 * deltasql/baseline (a share of raw JDBC's rate, or how many times DuckDB's time).
 *
 * <pre>
 *   java -cp ... io.deltasql.bench.SuiteReport --out results/base [--jmh a.json ...] [--commits c.json]
 *       [--server s.json] [--memory m.json ...] [--meta key=value ...]
 * </pre>
 */
public final class SuiteReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One line of the report. {@code baseline}, {@code ratio}, {@code goal} and {@code met} may be absent. */
  record Row(String measure, String caseName, double value, String unit, String detail, String baselineName,
      Double baseline, Double ratio, String ratioMeaning, String goal, Boolean met) {

    ObjectNode json() {
      ObjectNode node = JSON.createObjectNode();
      node.put("measure", measure);
      node.put("case", caseName);
      node.put("deltasql", round(value));
      node.put("unit", unit);
      node.put("detail", detail);
      node.put("baselineName", baselineName);
      if (baseline == null) {
        node.putNull("baseline");
      } else {
        node.put("baseline", round(baseline));
      }
      if (ratio == null) {
        node.putNull("ratio");
      } else {
        node.put("ratio", round(ratio));
      }
      node.put("ratioMeaning", ratioMeaning);
      node.put("goal", goal);
      if (met == null) {
        node.putNull("met");
      } else {
        node.put("met", met);
      }
      return node;
    }

    String markdown() {
      String ratioText = ratio == null ? "" : ratioMeaning.equals(FASTER)
          ? (ratio >= 1 ? fmt(ratio) + "x faster" : fmt(1 / ratio) + "x slower")
          : ratioMeaning.equals(SHARE) ? Math.round(100 * ratio) + " % of it" : fmt(ratio) + "x its time";
      return "| " + measure + " | " + caseName + " | " + fmt(value) + " " + unit
          + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")") + " | "
          + (baselineName == null ? "" : baselineName + (baseline == null ? "" : " " + fmt(baseline) + " " + unit))
          + " | " + ratioText + " | " + (goal == null ? "" : goal) + " | "
          + (met == null ? "" : met ? "met" : "**not met**") + " |";
    }
  }

  /** Ratio = baseline / deltasql: how many times faster deltasql is. */
  static final String FASTER = "times faster: baseline/deltasql";
  /** Ratio = deltasql / baseline: deltasql's share of the baseline's rate. */
  static final String SHARE = "share of baseline: deltasql/baseline";
  /** Ratio = deltasql / baseline: how many times the baseline's time deltasql takes. */
  static final String SLOWER = "times the baseline's time: deltasql/baseline";

  private final List<Row> rows = new ArrayList<>();
  /** Scaling curves: reader → size → ms. */
  private final Map<String, Map<String, Double>> curves = new TreeMap<>();

  private SuiteReport() {}

  public static void main(String[] args) throws IOException {
    Path out = null;
    List<Path> jmh = new ArrayList<>();
    Optional<Path> commits = Optional.empty();
    Optional<Path> server = Optional.empty();
    Optional<Path> commitScaling = Optional.empty();
    List<Path> memory = new ArrayList<>();
    Map<String, String> meta = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--jmh" -> jmh.add(Path.of(args[++i]));
        case "--commits" -> commits = Optional.of(Path.of(args[++i]));
        case "--server" -> server = Optional.of(Path.of(args[++i]));
        case "--commit-scaling" -> commitScaling = Optional.of(Path.of(args[++i]));
        case "--memory" -> memory.add(Path.of(args[++i]));
        case "--meta" -> {
          String pair = args[++i];
          int eq = pair.indexOf('=');
          meta.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--out BASE is required");
    }
    SuiteReport report = new SuiteReport();
    List<JsonNode> results = new ArrayList<>();
    for (Path file : jmh) {
      if (Files.exists(file)) {
        JSON.readTree(file.toFile()).forEach(results::add);
      }
    }
    report.open(results);
    report.advance(results);
    if (commits.isPresent() && Files.exists(commits.get())) {
      report.commits(JSON.readTree(commits.get().toFile()));
    }
    if (commitScaling.isPresent() && Files.exists(commitScaling.get())) {
      report.commitScaling(JSON.readTree(commitScaling.get().toFile()));
    }
    report.sql(results);
    if (server.isPresent() && Files.exists(server.get())) {
      report.server(JSON.readTree(server.get().toFile()));
    }
    for (Path file : memory) {
      if (Files.exists(file)) {
        report.memory(JSON.readTree(file.toFile()));
      }
    }
    ObjectNode root = JSON.createObjectNode();
    ObjectNode run = root.putObject("run");
    meta.forEach(run::put);
    ArrayNode array = root.putArray("rows");
    report.rows.forEach(row -> array.add(row.json()));
    ObjectNode curves = root.putObject("scaling");
    report.curves.forEach((reader, points) -> {
      ObjectNode node = curves.putObject(reader);
      points.forEach((size, ms) -> node.put(size, round(ms)));
    });
    Files.writeString(Path.of(out + ".json"), JSON.writeValueAsString(root) + "\n");
    String markdown = report.markdown(meta);
    Files.writeString(Path.of(out + ".md"), markdown);
    System.out.print(markdown);
  }

  // ---- (1) and (7): opening a table, and its scaling curve ---------------------------------

  private void open(List<JsonNode> results) {
    Map<String, Double> kernel = new LinkedHashMap<>();
    for (JsonNode r : results) {
      if (r.get("benchmark").asText().contains("TableOpenBenchmark.")) {
        kernel.put(method(r) + size(r), r.path("primaryMetric").path("score").asDouble());
      }
    }
    for (JsonNode r : results) {
      String benchmark = r.get("benchmark").asText();
      if (!benchmark.contains("OpenBenchmark.")) {
        continue;
      }
      String method = method(r);
      double ms = r.path("primaryMetric").path("score").asDouble();
      String size = size(r);
      String reader = benchmark.contains("CatalogOpenBenchmark.") ? method + " " + param(r, "catalog") : method;
      curves.computeIfAbsent(reader, k -> new TreeMap<>()).put(sizeKey(r), ms);
      if (method.startsWith("kernel")) {
        continue;
      }
      String caseName = size + (r.path("params").has("catalog") ? ", " + param(r, "catalog") : "");
      openRow(method, caseName, size, ms, kernel);
      // The catalog imports a table from its checkpoint; the latest state is the same without
      // one, so when no catalog row exists for the un-checkpointed table, it is compared as well.
      String uncheckpointed = size.replaceFirst("checkpoint every \\d+", "no checkpoint");
      if (method.startsWith("catalog") && !uncheckpointed.equals(size) && !catalogRowFor(results, r)
          && kernel.containsKey("kernelFullListing" + uncheckpointed)) {
        openRow(method, uncheckpointed + " (catalog: same state, imported from the checkpoint), "
            + param(r, "catalog"), uncheckpointed, ms, kernel);
      }
    }
  }

  /** Whether {@code results} hold a row of the same catalog method on the same table without checkpoint. */
  private static boolean catalogRowFor(List<JsonNode> results, JsonNode r) {
    for (JsonNode other : results) {
      if (other.get("benchmark").asText().equals(r.get("benchmark").asText())
          && param(other, "checkpointInterval").equals("0") && param(other, "catalog").equals(param(r, "catalog"))
          && param(other, "commits").equals(param(r, "commits")) && param(other, "files").equals(param(r, "files"))) {
        return true;
      }
    }
    return false;
  }

  private void openRow(String method, String caseName, String size, double ms, Map<String, Double> kernel) {
    switch (method) {
      case "catalogFullListing" -> {
        Double base = kernel.get("kernelFullListing" + size);
        boolean big = size.startsWith("50k commits × 100k files");
        boolean checkpointed = !size.contains("no checkpoint");
        String goal = checkpointed ? "≥ 20x Kernel" + (big ? " and < 150 ms" : "") : "≥ 20x Kernel (DESIGN.md)";
        Boolean met = base == null ? null : base / ms >= 20 && (!big || ms < 150);
        rows.add(new Row("1 open: latest snapshot, every file", caseName, ms, "ms", "", "Kernel full listing",
            base, base == null ? null : base / ms, FASTER, goal, met));
      }
      case "catalogMetadataOpen" -> {
        Double base = kernel.get("kernelMetadataOpen" + size);
        rows.add(new Row("1 open: version, protocol, schema", caseName, ms, "ms", "", "Kernel metadata open",
            base, base == null ? null : base / ms, FASTER, "≥ 50x Kernel (DESIGN.md)",
            base == null ? null : base / ms >= 50));
      }
      case "catalogSelectivePlanning" -> {
        Double base = kernel.get("kernelSelectivePlanning" + size);
        rows.add(new Row("1 open: files for id = k (stats)", caseName, ms, "ms", "", "Kernel selective planning",
            base, base == null ? null : base / ms, FASTER, "≥ 20x Kernel (DESIGN.md)",
            base == null ? null : base / ms >= 20));
      }
      case "deltaLogFullListing" -> {
        Double base = kernel.get("kernelFullListing" + size);
        rows.add(new Row("1 open: latest snapshot, every file", caseName + ", _delta_log reader (import path)", ms,
            "ms", "", "Kernel full listing", base, base == null ? null : base / ms, FASTER, null, null));
      }
      default -> { }
    }
  }

  // ---- (2): a cached snapshot advanced by one commit ---------------------------------------

  private void advance(List<JsonNode> results) {
    for (JsonNode r : results) {
      if (!r.get("benchmark").asText().contains("SnapshotAdvanceBenchmark.")) {
        continue;
      }
      JsonNode p = r.path("primaryMetric").path("scorePercentiles");
      double p50 = p.path("50.0").asDouble();
      double p99 = p.path("99.0").asDouble();
      curves.computeIfAbsent("cachedSnapshotOneCommit p50 " + param(r, "catalog"), k -> new TreeMap<>())
          .put(sizeKey(r), p50);
      rows.add(new Row("2 cached snapshot + 1 commit", size(r) + ", " + param(r, "catalog"), p50, "ms",
          "p99 " + fmt(p99) + " ms, " + JmhMarkdown.samples(r) + " samples", null, null, null, null, "p50 < 2 ms", p50 < 2));
    }
  }

  // ---- (3) and (4): commits per second, mirror lag -----------------------------------------

  private void commits(JsonNode json) {
    for (JsonNode r : json.path("results")) {
      String catalog = r.path("catalog").asText();
      int writers = r.path("writers").asInt();
      String caseName = catalog + ", " + r.path("tables").asInt() + "-table txn, " + writers + " writer"
          + (writers == 1 ? "" : "s") + ", mirror " + r.path("mirror").asText();
      double rate = r.path("commitsPerSecond").asDouble();
      double raw = r.path("rawCommitsPerSecond").asDouble();
      boolean pg8 = catalog.equals("postgresql") && writers == 8;
      rows.add(new Row("3 commits/s", caseName, rate, "commits/s", r.path("commits").asLong() + " commits",
          "raw JDBC", raw, raw > 0 ? rate / raw : null, SHARE, "≥ 50 % of raw" + (pg8 ? ", ≥ 2,000/s" : ""),
          raw > 0 && rate / raw >= 0.5 && (!pg8 || rate >= 2000)));
    }
    for (JsonNode r : json.path("results")) {
      String catalog = r.path("catalog").asText();
      int writers = r.path("writers").asInt();
      double p99 = r.path("lagP99Ms").asDouble();
      rows.add(new Row("4 mirror lag p99", catalog + ", " + r.path("tables").asInt() + "-table txn, " + writers
          + " writer" + (writers == 1 ? "" : "s"), p99, "ms", "p50 " + fmt(r.path("lagP50Ms").asDouble()) + " ms",
          null, null, null, null, "p99 < 1 s", p99 < 1000));
    }
  }

  /** Measure 7 for measure 3: one writer's commits/s on tables of growing size, against a new table's. */
  private void commitScaling(JsonNode json) {
    for (JsonNode r : json.path("results")) {
      int commits = r.path("tableCommits").asInt();
      if (commits == 0) {
        continue;
      }
      double rate = r.path("commitsPerSecond").asDouble();
      double base = r.path("newTableCommitsPerSecond").asDouble();
      rows.add(new Row("7 commits/s by table size", r.path("catalog").asText() + ", 1 writer, " + count(
          String.valueOf(commits)) + " commits × " + count(r.path("tableFiles").asText()) + " files (imported)",
          rate, "commits/s", "JVM CPU " + fmt(r.path("cpuMicrosPerCommit").asDouble()) + " µs/commit, lag p99 "
          + fmt(r.path("lagP99Ms").asDouble()) + " ms, " + r.path("checkpoints").asLong() + " checkpoints, "
          + r.path("refused").asLong() + " refused", "new table", base, base > 0 ? rate / base : null, SHARE,
          null, null));
    }
  }

  // ---- (5): 10-row INSERT and queries against DuckDB -----------------------------------------

  private void sql(List<JsonNode> results) {
    Map<String, Double> duckdb = new LinkedHashMap<>();
    for (JsonNode r : results) {
      if (r.get("benchmark").asText().contains("SqlQueryBenchmark.") && param(r, "engine").startsWith("duckdb")) {
        duckdb.put(method(r) + param(r, "engine"), r.path("primaryMetric").path("score").asDouble());
      }
    }
    for (JsonNode r : results) {
      String benchmark = r.get("benchmark").asText();
      if (benchmark.contains("SqlInsertBenchmark.")) {
        JsonNode p = r.path("primaryMetric").path("scorePercentiles");
        double p50 = p.path("50.0").asDouble();
        rows.add(new Row("5 10-row INSERT p50", param(r, "statement") + ", H2 catalog, mirror on", p50, "ms",
            "p99 " + fmt(p.path("99.0").asDouble()) + " ms, " + JmhMarkdown.samples(r) + " samples", null, null, null, null,
            "p50 < 10 ms", p50 < 10));
      } else if (benchmark.contains("SqlQueryBenchmark.") && param(r, "engine").equals("deltasql")) {
        double ms = r.path("primaryMetric").path("score").asDouble();
        String caseName = method(r) + ", " + param(r, "rows") + " rows in " + param(r, "days") + " partitions";
        for (String engine : List.of("duckdb-2", "duckdb-1")) {
          Double base = duckdb.get(method(r) + engine);
          rows.add(new Row("5 query vs DuckDB read_parquet", caseName, ms, "ms", "",
              "DuckDB " + engine.substring(engine.indexOf('-') + 1) + " thread" + (engine.endsWith("1") ? "" : "s"),
              base, base == null ? null : ms / base, SLOWER, "≤ 4x DuckDB",
              base == null ? null : ms / base <= 4));
        }
      }
    }
  }

  // ---- (6): remote clients ------------------------------------------------------------------

  private void server(JsonNode json) {
    for (JsonNode r : json.path("results")) {
      boolean errors = r.path("errors").size() > 0;
      rows.add(new Row("6 remote clients, txn/s", r.path("catalog").asText() + ", " + r.path("clients").asInt()
          + " Avatica clients, " + r.path("transactionsPerClient").asInt() + " txns each",
          r.path("transactionsPerSecond").asDouble(), "txn/s", "p50 " + fmt(r.path("p50Ms").asDouble()) + " ms, p99 "
          + fmt(r.path("p99Ms").asDouble()) + " ms, conflicts " + r.path("conflicts") + ", errors "
          + r.path("errors") + ", heap after " + r.path("heapAfterMb").asInt() + " MB", null, null, null, null,
          "no errors", !errors));
    }
  }

  // ---- (7): memory of a large snapshot --------------------------------------------------------

  private void memory(JsonNode json) {
    for (JsonNode r : json.path("results")) {
      rows.add(new Row("7 heap of one snapshot", r.path("files").asInt() + " files, " + r.path("commits").asInt()
          + " commits", r.path("retainedMb").asDouble(), "MB", fmt(r.path("bytesPerFile").asDouble())
          + " bytes per file", null, null, null, null, null, null));
    }
  }

  // ---- output --------------------------------------------------------------------------------

  private String markdown(Map<String, String> meta) {
    StringBuilder md = new StringBuilder();
    md.append("### ").append(meta.getOrDefault("name", "suite")).append("\n\n");
    meta.forEach((k, v) -> {
      if (!k.equals("name")) {
        md.append("* ").append(k).append(": ").append(v).append('\n');
      }
    });
    long met = rows.stream().filter(r -> Boolean.TRUE.equals(r.met())).count();
    long notMet = rows.stream().filter(r -> Boolean.FALSE.equals(r.met())).count();
    md.append("* goals: ").append(met).append(" met, ").append(notMet).append(" not met, ")
        .append(rows.size() - met - notMet).append(" rows without a goal\n\n");
    md.append("| measure | case | deltasql | baseline (same run) | ratio | goal | met |\n");
    md.append("|---|---|---:|---|---:|---|---|\n");
    rows.forEach(r -> md.append(r.markdown()).append('\n'));
    if (!curves.isEmpty()) {
      List<String> sizes = curves.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
      md.append("\nScaling (ms; commits × active files, checkpoint):\n\n| reader |");
      sizes.forEach(s -> md.append(' ').append(s.substring(s.indexOf(' ') + 1)).append(" |"));
      md.append("\n|---|");
      sizes.forEach(s -> md.append("---:|"));
      md.append('\n');
      curves.forEach((reader, points) -> {
        md.append("| ").append(reader).append(" |");
        sizes.forEach(s -> md.append(' ').append(points.containsKey(s) ? fmt(points.get(s)) : "").append(" |"));
        md.append('\n');
      });
    }
    return md.toString();
  }

  private static String method(JsonNode r) {
    String benchmark = r.get("benchmark").asText();
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  private static String param(JsonNode r, String name) {
    return r.path("params").path(name).asText("");
  }

  /** "10k commits × 100k files, checkpoint every 10". */
  private static String size(JsonNode r) {
    String cp = param(r, "checkpointInterval");
    return count(param(r, "commits")) + " commits × " + count(param(r, "files")) + " files, "
        + (cp.equals("0") ? "no checkpoint" : "checkpoint every " + cp);
  }

  /** A key that sorts sizes: zero-padded counts, then the readable size. */
  private static String sizeKey(JsonNode r) {
    String cp = param(r, "checkpointInterval");
    return String.format(Locale.ROOT, "%09d%09d%s %s×%s%s", Long.parseLong(param(r, "files")),
        Long.parseLong(param(r, "commits")), cp.equals("0") ? "b" : "a", count(param(r, "commits")),
        count(param(r, "files")), cp.equals("0") ? " nocp" : "");
  }

  private static String count(String n) {
    long v = Long.parseLong(n);
    return v >= 1_000_000 && v % 1_000_000 == 0 ? v / 1_000_000 + "M" : v >= 1000 && v % 1000 == 0 ? v / 1000 + "k"
        : n;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f"
        : Math.abs(v) >= 1 ? "%.2f" : "%.3f", v);
  }
}
