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
}
