package io.deltasql.bench;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CommitRequest;
import io.deltasql.core.table.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The stats of files read through the catalog's file image, timed call by call in one JVM: a
 * table of FILES files (stats JSON of ~280 bytes each, values varying as real ones do) in one version, its image written; then
 * each call reads a new snapshot (the listing, not timed here) and times either the first
 * {@code toRemove} of one file (what a DELETE of one file asks: its stats) or the stats of
 * every file (a bulk reader). Uses only the API that {@code CatalogStore} and {@code AddFile}
 * have had since file images exist, so the same source runs against an older build of core
 * for a before/after comparison. The catalog is made fresh (an H2 file under /tmp, or a new
 * PostgreSQL schema, dropped at the end).
 *
 * <pre>
 *   java -cp ... io.deltasql.bench.ImageStatsProbe h2|postgresql FILES CALLS
 * </pre>
 */
public final class ImageStatsProbe {
  private static final String PG_URL = System.getenv().getOrDefault("DELTASQL_PG_URL",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private ImageStatsProbe() {}

  public static void main(String[] args) throws Exception {
    String catalog = args[0];
    int files = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    String schema = "imgprobe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Path dir = Files.createTempDirectory("imgprobe");
    CatalogConfig config = catalog.equals("h2") ? CatalogConfig.of("jdbc:h2:file:" + dir.resolve("catalog"))
        : CatalogConfig.of(PG_URL + "&currentSchema=" + schema);
    if (!catalog.equals("h2")) {
      execute("CREATE SCHEMA " + schema);
    }
    try (CatalogStore store = CatalogStore.open(config)) {
      long id = store.registerTable("bench", "t", dir.resolve("t").toString(), Map.of()).tableId();
      store.commit(CommitRequest.of(id, -1, UUID.randomUUID().toString(), List.of(new Protocol(1, 2),
          new Metadata("probe", Optional.empty(), Optional.empty(), Format.PARQUET, "{\"type\":\"struct\",\"fields\":"
              + "[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}", List.of(), Map.of(),
              Optional.empty()))));
      List<Action> adds = new ArrayList<>();
      for (int f = 0; f < files; f++) {
        adds.add(file(f));
      }
      store.commit(CommitRequest.of(id, 0, UUID.randomUUID().toString(), adds));
      store.snapshot(id);
      store.awaitFileImages();
      store.writeFileImage(id, 1);
      Random random = new Random(42);
      long[] one = new long[calls];
      long[] all = new long[calls];
      for (int i = 0; i < calls; i++) {
        Snapshot s = store.snapshot(id);
        AddFile file = s.files().get(new io.deltasql.core.actions.FileKey("part-" + random.nextInt(files)
            + ".parquet", Optional.empty()));
        long t0 = System.nanoTime();
        if (file.toRemove(1, true).stats().isEmpty()) {
          throw new IllegalStateException("no stats");
        }
        one[i] = System.nanoTime() - t0;
        Snapshot bulk = store.snapshot(id);
        t0 = System.nanoTime();
        long bytes = 0;
        for (AddFile f : bulk.files().values()) {
          bytes += f.stats().orElseThrow().length();
        }
        all[i] = System.nanoTime() - t0;
        if (bytes < files * 100L) {
          throw new IllegalStateException("stats of " + bytes + " characters");
        }
      }
      System.out.printf(Locale.ROOT, "%s %d files: one file's stats best %.2f ms, median %.2f ms;"
          + " every file's stats best %.1f ms, median %.1f ms (last %d of %d calls)%n", catalog, files,
          best(one) / 1e6, median(one) / 1e6, best(all) / 1e6, median(all) / 1e6, calls - calls / 3, calls);
    } finally {
      if (!catalog.equals("h2")) {
        execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  /** File {@code f}: stats of three columns with values that vary as real ones do (not all alike). */
  private static AddFile file(int f) {
    Random random = new Random(f);
    long min = f * 1000L + random.nextInt(1000);
    String stats = "{\"numRecords\":" + (500 + random.nextInt(1000)) + ",\"minValues\":{\"id\":" + min
        + ",\"name\":\"" + Long.toHexString(random.nextLong()) + "\",\"ts\":\"2026-12-03T10:"
        + (10 + random.nextInt(50)) + ":00.000Z\"},\"maxValues\":{\"id\":" + (min + random.nextInt(100_000))
        + ",\"name\":\"" + Long.toHexString(random.nextLong()) + "\",\"ts\":\"2026-12-03T11:"
        + (10 + random.nextInt(50)) + ":59.999Z\"},\"nullCount\":{\"id\":0,\"name\":" + random.nextInt(10)
        + ",\"ts\":0},\"tightBounds\":true}";
    return AddFile.of("part-" + f + ".parquet", Map.of(), 100_000 + random.nextInt(1 << 20), 1_780_000_000_000L + f,
        Optional.of(stats));
  }

  /** The last two thirds of the calls (the first third warms up). */
  private static long[] measured(long[] nanos) {
    long[] tail = Arrays.copyOfRange(nanos, nanos.length / 3, nanos.length);
    Arrays.sort(tail);
    return tail;
  }

  private static long best(long[] nanos) {
    return measured(nanos)[0];
  }

  private static long median(long[] nanos) {
    long[] tail = measured(nanos);
    return tail[tail.length / 2];
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
