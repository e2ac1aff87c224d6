package io.deltasql.bench;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.table.SnapshotBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory part of advancing a snapshot by one commit, without a catalog: a snapshot of
 * n files is advanced by one commit of one added file ({@code new SnapshotBuilder(base)},
 * apply, build), then by the next, and so on; each step is timed. What {@link
 * SnapshotAdvanceBenchmark} measures on top of this are the catalog's queries (current version,
 * the new version's actions), which do not depend on the table's size. Uses only the API that
 * {@code SnapshotBuilder} has had from the start, so the same source runs against an older
 * build for a before/after comparison.
 *
 * <pre>
 *   java -Xmx3g -cp ... io.deltasql.bench.SnapshotAdvanceProbe [--files 10000,100000,1000000] [--steps 2000]
 * </pre>
 */
public final class SnapshotAdvanceProbe {
  private SnapshotAdvanceProbe() {}

  public static void main(String[] args) {
    int[] sizes = {10_000, 100_000, 1_000_000};
    int steps = 2_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--files" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Protocol protocol = new Protocol(1, 2);
    Metadata metadata = new Metadata("probe", Optional.empty(), Optional.empty(), Format.PARQUET,
        "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}",
        List.of(), Map.of(), Optional.empty());
    for (int files : sizes) {
      SnapshotBuilder builder = new SnapshotBuilder().apply(protocol).apply(metadata);
      for (int f = 0; f < files; f++) {
        builder.apply(file(f));
      }
      Snapshot snapshot = builder.build(0, 0);
      long[] nanos = new long[steps];
      for (int s = 0; s < steps; s++) {
        long t0 = System.nanoTime();
        snapshot = new SnapshotBuilder(snapshot).apply(file(files + s)).build(s + 1, s + 1);
        nanos[s] = System.nanoTime() - t0;
      }
      if (snapshot.files().size() != files + steps) {
        throw new IllegalStateException("advanced snapshot holds " + snapshot.files().size() + " files");
      }
      // the first half warms up the JIT
      long[] measured = Arrays.copyOfRange(nanos, steps / 2, steps);
      Arrays.sort(measured);
      System.out.printf(Locale.ROOT, "advance by one add: %,d files: p50 %.3f ms, p90 %.3f ms, max %.3f ms (%d steps)%n",
          files, measured[measured.length / 2] / 1e6, measured[measured.length * 9 / 10] / 1e6,
          measured[measured.length - 1] / 1e6, measured.length);
    }
  }

  private static AddFile file(int i) {
    return AddFile.of(String.format(Locale.ROOT, "part-%05d-%08d-c000.snappy.parquet", i % 100_000, i), Map.of(),
        10_000 + i, 1_735_689_600_000L + i, Optional.of("{\"numRecords\":100,\"minValues\":{\"id\":" + i * 100L
            + "},\"maxValues\":{\"id\":" + (i * 100L + 99) + "},\"nullCount\":{\"id\":0}}"));
  }
}
