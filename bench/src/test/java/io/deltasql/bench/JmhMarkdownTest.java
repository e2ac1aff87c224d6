package io.deltasql.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The markdown of a JMH result: one column per parameter, median of iterations, ratio to Kernel. */
class JmhMarkdownTest {
  private static String result(String method, int interval, double score, double... iterations) {
    StringBuilder raw = new StringBuilder();
    for (double i : iterations) {
      raw.append(raw.isEmpty() ? "" : ",").append(i);
    }
    return """
        {"benchmark":"io.deltasql.bench.TableOpenBenchmark.%s",
         "params":{"checkpointInterval":"%d","commits":"10","crc":"NONE"},
         "primaryMetric":{"score":%s,"scoreError":1.5,"rawData":[[%s]]}}"""
        .formatted(method, interval, score, raw);
  }

  @Test
  void tableHasParamColumnsMedianAndRatioToKernelFullListingOfTheSameParams() throws Exception {
    String json = "[" + result("kernelFullListing", 10, 300, 310, 280, 310)
        + "," + result("deltaLogFullListing", 10, 100, 90, 120, 90, 100)
        + "," + result("deltaLogFullListing", 0, 50, 50) + "]";
    String table = JmhMarkdown.table(new ObjectMapper().readTree(json));
    assertEquals("""
        | benchmark | checkpoint | commits | crc | score (ms/op) | ± 99.9% | median | min | max | iterations | Kernel full listing ÷ this |
        |---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|
        | kernelFullListing | every 10 | 10 | NONE | 300 | 1.50 | 310 | 280 | 310 | 3 | 1.00x |
        | deltaLogFullListing | every 10 | 10 | NONE | 100 | 1.50 | 95.0 | 90.0 | 120 | 4 | 3.00x |
        | deltaLogFullListing | none | 10 | NONE | 50.0 | 1.50 | 50.0 | 50.0 | 50.0 | 1 |  |
        """, table);
  }

  private static String engineResult(String method, String engine, double score) {
    return """
        {"benchmark":"io.deltasql.bench.SqlQueryBenchmark.%s","mode":"avgt",
         "params":{"days":"10","engine":"%s","rows":"100000"},
         "primaryMetric":{"score":%s,"scoreError":1.0,"rawData":[[%s,%s]]}}"""
        .formatted(method, engine, score, score, score);
  }

  @Test
  void engineRowsGetTheirRatioToDuckDbOnTheSameQuery() throws Exception {
    String json = "[" + engineResult("groupedAggregate", "deltasql", 400)
        + "," + engineResult("groupedAggregate", "duckdb-2", 100)
        + "," + engineResult("groupedAggregate", "duckdb-1", 200)
        + "," + engineResult("numericFilter", "deltasql", 50) + "]";
    String table = JmhMarkdown.table(new ObjectMapper().readTree(json));
    assertEquals("""
        | benchmark | days | engine | rows | score (ms/op) | ± 99.9% | median | min | max | iterations | ÷ DuckDB 1 thread | ÷ DuckDB 2 threads |
        |---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
        | groupedAggregate | 10 | deltasql | 100000 | 400 | 1.00 | 400 | 400 | 400 | 2 | 2.00x | 4.00x |
        | groupedAggregate | 10 | duckdb-2 | 100000 | 100 | 1.00 | 100 | 100 | 100 | 2 | 0.50x | 1.00x |
        | groupedAggregate | 10 | duckdb-1 | 100000 | 200 | 1.00 | 200 | 200 | 200 | 2 | 1.00x | 2.00x |
        | numericFilter | 10 | deltasql | 100000 | 50.0 | 1.00 | 50.0 | 50.0 | 50.0 | 2 |  |  |
        """, table);
  }

  @Test
  void sampleTimeResultsGoToAPercentileTable() throws Exception {
    String json = """
        [{"benchmark":"io.deltasql.bench.SqlInsertBenchmark.insert10Rows","mode":"sample",
          "params":{"statement":"values"},
          "primaryMetric":{"score":12.5,"scoreError":0.5,"scoreUnit":"ms/op",
            "scorePercentiles":{"0.0":3.0,"50.0":8.25,"90.0":20.0,"95.0":25.0,"99.0":40.0,"99.9":90.0,"100.0":120.0},
            "rawDataHistogram":[[[[8.0,3],[9.0,2]],[[20.0,5]]]]}}]""";
    String table = JmhMarkdown.table(new ObjectMapper().readTree(json));
    assertEquals("""
        | benchmark | statement | unit | p50 | p90 | p99 | p99.9 | max | mean ± 99.9% | samples |
        |---|---|---|---:|---:|---:|---:|---:|---:|---:|
        | insert10Rows | values | ms/op | 8.25 | 20.0 | 40.0 | 90.0 | 120 | 12.5 ± 0.50 | 10 |
        """, table);
  }
}
