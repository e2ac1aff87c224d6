package io.deltasql.bench;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.parquet.CheckpointWriter;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.table.Snapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The CPU of one checkpoint by the number of active files: {@link CheckpointWriter#write} of a
 * snapshot of N files (the commit benchmark's one-row files, unpartitioned), repeated, timed by
 * the thread's CPU time, so that other load on the machine changes the figure less than a wall
 * clock would. Rounds after the first (JIT warm-up) are printed as min and median.
 *
 * <pre>
 *   java -cp ... io.deltasql.bench.CheckpointCostProbe [files,...] [rounds]
 * </pre>
 */
public final class CheckpointCostProbe {
  private CheckpointCostProbe() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {10, 100, 1_000, 2_000};
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("deltasql-checkpoint-cost-");
    try {
      CheckpointWriter writer = new CheckpointWriter(LocalStorage.INSTANCE);
      Map<Integer, List<Double>> micros = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (int n : sizes) {
          Snapshot snapshot = snapshot(n);
          int repeats = Math.max(20, 20_000 / n);
          long start = threads.getCurrentThreadCpuTime();
          for (int r = 0; r < repeats; r++) {
            writer.write(dir.toString(), snapshot);
          }
          double each = (threads.getCurrentThreadCpuTime() - start) / 1e3 / repeats;
          if (round > 0) {
            micros.computeIfAbsent(n, k -> new ArrayList<>()).add(each);
          }
        }
      }
      micros.forEach((n, values) -> {
        List<Double> sorted = values.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "files=%d CPU µs per checkpoint: min %.0f median %.0f%n", n, sorted.get(0),
            sorted.get(sorted.size() / 2));
      });
    } finally {
      SqlTable.deleteTree(dir);
    }
  }

  private static Snapshot snapshot(int files) {
    Protocol protocol = new Protocol(1, 7, Set.of(), Set.of("inCommitTimestamp"));
    Metadata metadata = new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(),
        Format.PARQUET, CommitBenchmark.SCHEMA, List.of(), Map.of(), Optional.of(0L));
    Map<FileKey, AddFile> active = new LinkedHashMap<>();
    for (int i = 0; i < files; i++) {
      AddFile add = CommitBenchmark.file(0, i).withDataChange(false);
      active.put(add.fileKey(), add);
    }
    return new Snapshot(files, 0L, protocol, metadata, active, Map.of(), Map.of());
  }
}
