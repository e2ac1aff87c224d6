package io.deltasql.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line tool of {@code bench/run}: turns a JMH JSON result file into the markdown table
 * of docs/benchmarks.md, printed to standard output.
 *
 * <p>Per benchmark and parameter set (one column per JMH parameter): JMH's score (mean of
 * all measurement iterations) with its 99.9% error, the median, minimum and maximum of the
 * iteration means, the number of iterations, and how many times faster than Kernel's full
 * listing on the same table. Rows with an {@code engine} parameter ({@link SqlQueryBenchmark})
 * get, instead, the ratio of their score to DuckDB's on the same query and parameters.
 *
 * <p>{@code SampleTime} results ({@link SqlInsertBenchmark}) go to a second table of latency
 * percentiles: p50, p90, p99, p99.9 and the maximum, with the number of samples.
 */
public final class JmhMarkdown {
  private static final String KERNEL_FULL_LISTING = "kernelFullListing";
  private static final String CHECKPOINT_INTERVAL = "checkpointInterval";
  private static final Set<String> NUMERIC_PARAMS = Set.of("commits", "files", "rows", "days");
  private static final String ENGINE = "engine";
  private static final List<String> DUCKDB_ENGINES = List.of("duckdb-1", "duckdb-2");

  private JmhMarkdown() {}

  /** {@code JmhMarkdown RESULT.json}: prints the markdown table. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: JmhMarkdown RESULT.json");
      System.exit(2);
    }
    System.out.print(table(new ObjectMapper().readTree(Path.of(args[0]).toFile())));
  }

  /** The markdown table of a JMH JSON result (an array of benchmark results). */
  static String table(JsonNode results) {
    List<Row> rows = new ArrayList<>();
    List<JsonNode> samples = new ArrayList<>();
    for (JsonNode result : results) {
      if ("sample".equals(result.path("mode").asText())) {
        samples.add(result);
      } else {
        rows.add(Row.of(result));
      }
    }
    String averages = rows.isEmpty() ? "" : averageTable(rows);
    String latencies = samples.isEmpty() ? "" : sampleTable(samples);
    return averages + (averages.isEmpty() || latencies.isEmpty() ? "" : "\n") + latencies;
  }

  private static String averageTable(List<Row> rows) {
    Map<String, Double> kernelFull = new HashMap<>();
    for (Row row : rows) {
      if (row.method.equals(KERNEL_FULL_LISTING)) {
        kernelFull.put(row.params, row.score);
      }
    }
    List<String> paramNames = new ArrayList<>();
    for (Row row : rows) {
      row.paramNode.fieldNames().forEachRemaining(name -> {
        if (!paramNames.contains(name)) {
          paramNames.add(name);
        }
      });
    }
    StringBuilder out = new StringBuilder("| benchmark |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String name : paramNames) {
      out.append(' ').append(CHECKPOINT_INTERVAL.equals(name) ? "checkpoint" : name).append(" |");
      rule.append(NUMERIC_PARAMS.contains(name) ? "---:|" : "---|");
    }
    boolean engines = paramNames.contains(ENGINE);
    Map<String, Double> duckdb = new HashMap<>();
    for (Row row : rows) {
      if (DUCKDB_ENGINES.contains(row.param(ENGINE))) {
        duckdb.put(row.method + row.paramsWithout(ENGINE) + row.param(ENGINE), row.score);
      }
    }
    out.append(" score (ms/op) | ± 99.9% | median | min | max | iterations | ")
        .append(engines ? "÷ DuckDB 1 thread | ÷ DuckDB 2 threads |" : "Kernel full listing ÷ this |").append("\n");
    out.append(rule).append("---:|---:|---:|---:|---:|---:|---:|").append(engines ? "---:|" : "").append("\n");
    for (Row row : rows) {
      out.append("| ").append(row.method).append(" |");
      for (String name : paramNames) {
        String value = row.param(name);
        out.append(' ').append(CHECKPOINT_INTERVAL.equals(name) ? checkpoint(value) : value).append(" |");
      }
      out.append(String.format(Locale.ROOT, " %s | %s | %s | %s | %s | %d |",
          ms(row.score), ms(row.error), ms(row.median()), ms(row.iterations[0]),
          ms(row.iterations[row.iterations.length - 1]), row.iterations.length));
      if (engines) {
        for (String engine : DUCKDB_ENGINES) {
          Double base = duckdb.get(row.method + row.paramsWithout(ENGINE) + engine);
          out.append(' ').append(base == null ? "" : String.format(Locale.ROOT, "%.2fx", row.score / base)).append(" |");
        }
      } else {
        Double kernel = kernelFull.get(row.params);
        out.append(' ').append(kernel == null ? "" : String.format(Locale.ROOT, "%.2fx", kernel / row.score)).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Latency percentiles of {@code SampleTime} results, in the result's unit. */
  private static String sampleTable(List<JsonNode> results) {
    List<String> paramNames = new ArrayList<>();
    for (JsonNode result : results) {
      result.path("params").fieldNames().forEachRemaining(name -> {
        if (!paramNames.contains(name)) {
          paramNames.add(name);
        }
      });
    }
    StringBuilder out = new StringBuilder("| benchmark |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String name : paramNames) {
      out.append(' ').append(name).append(" |");
      rule.append("---|");
    }
    out.append(" unit | p50 | p90 | p99 | p99.9 | max | mean ± 99.9% | samples |\n");
    out.append(rule).append("---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (JsonNode result : results) {
      String benchmark = result.get("benchmark").asText();
      out.append("| ").append(benchmark.substring(benchmark.lastIndexOf('.') + 1)).append(" |");
      for (String name : paramNames) {
        out.append(' ').append(result.path("params").path(name).asText("")).append(" |");
      }
      JsonNode metric = result.get("primaryMetric");
      JsonNode p = metric.path("scorePercentiles");
      long samples = samples(result);
      out.append(String.format(Locale.ROOT, " %s | %s | %s | %s | %s | %s | %s ± %s | %d |%n",
          metric.path("scoreUnit").asText(), ms(p.path("50.0").asDouble(Double.NaN)),
          ms(p.path("90.0").asDouble(Double.NaN)), ms(p.path("99.0").asDouble(Double.NaN)),
          ms(p.path("99.9").asDouble(Double.NaN)), ms(p.path("100.0").asDouble(Double.NaN)),
          ms(metric.path("score").asDouble(Double.NaN)), ms(metric.path("scoreError").asDouble(Double.NaN)), samples));
    }
    return out.toString();
  }

  /** How many invocations a {@code SampleTime} result recorded (over its histogram's buckets). */
  static long samples(JsonNode result) {
    long samples = 0;
    for (JsonNode fork : result.path("primaryMetric").path("rawDataHistogram")) {
      for (JsonNode iteration : fork) {
        for (JsonNode bucket : iteration) {
          samples += bucket.path(1).asLong();
        }
      }
    }
    return samples;
  }

  private static String checkpoint(String interval) {
    return "0".equals(interval) ? "none" : "every " + interval;
  }

  private static String ms(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
  }

  /** One benchmark result: method, parameters, score and sorted iteration means. */
  private record Row(String method, JsonNode paramNode, String params, double score, double error,
      double[] iterations) {

    static Row of(JsonNode result) {
      String benchmark = result.get("benchmark").asText();
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      JsonNode params = result.path("params");
      JsonNode metric = result.get("primaryMetric");
      List<Double> raw = new ArrayList<>();
      for (JsonNode fork : metric.path("rawData")) {
        for (JsonNode iteration : fork) {
          raw.add(iteration.asDouble());
        }
      }
      double[] iterations = raw.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Row(method, params, params.toString(), metric.get("score").asDouble(),
          metric.path("scoreError").asDouble(Double.NaN), iterations);
    }

    String param(String name) {
      return paramNode.path(name).asText("");
    }

    /** The parameters but one, as a key. */
    String paramsWithout(String name) {
      Map<String, String> rest = new java.util.TreeMap<>();
      paramNode.fieldNames().forEachRemaining(n -> {
        if (!n.equals(name)) {
          rest.put(n, paramNode.get(n).asText());
        }
      });
      return rest.toString();
    }

    double median() {
      int n = iterations.length;
      return n % 2 == 1 ? iterations[n / 2] : (iterations[n / 2 - 1] + iterations[n / 2]) / 2;
    }
  }
}
