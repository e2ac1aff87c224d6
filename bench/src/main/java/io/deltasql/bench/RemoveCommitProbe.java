package io.deltasql.bench;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CommitRequest;
import io.deltasql.core.catalog.TableInfo;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The catalog commit of a version that removes many files (a DELETE or an OPTIMIZE over a
 * table of small files), on PostgreSQL: {@code probe.rounds} times, a fresh table gets
 * {@code probe.files} files in one commit, then one commit removes them all; the time of that
 * commit is printed. Uses only the catalog's public API, so the same source runs against the
 * core jar of any build (swap it in the class path).
 *
 * <pre>
 *   java -cp ... [-Dprobe.files=5000] [-Dprobe.rounds=5] io.deltasql.bench.RemoveCommitProbe
 * </pre>
 */
public final class RemoveCommitProbe {
  private static final String SCHEMA = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
      + "\"nullable\":true,\"metadata\":{}}]}";

  private RemoveCommitProbe() {}

  public static void main(String[] args) throws Exception {
    int files = Integer.getInteger("probe.files", 5000);
    int rounds = Integer.getInteger("probe.rounds", 5);
    String server = CatalogOpenBenchmark.PG_URL;
    String schema = "remove_probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = DriverManager.getConnection(server); Statement s = admin.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      try (CatalogStore store = CatalogStore.open(CatalogConfig.of(server + "&currentSchema=" + schema))) {
        for (int round = 1; round <= rounds; round++) {
          TableInfo table = store.registerTable("main", "t" + round, "/lake/t" + round, Map.of());
          long id = table.tableId();
          long now = System.currentTimeMillis();
          store.commit(CommitRequest.of(id, -1, UUID.randomUUID().toString(), List.of(
              new Protocol(1, 2, Set.of(), Set.of()),
              new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(), Format.PARQUET, SCHEMA,
                  List.of(), Map.of(), Optional.of(now)))));
          List<Action> adds = new ArrayList<>();
          List<Action> removes = new ArrayList<>();
          for (int i = 0; i < files; i++) {
            AddFile add = new AddFile(String.format(Locale.ROOT, "part-%05d-%s.parquet", i, UUID.randomUUID()), Map.of(),
                1000 + i, now, true, Optional.of("{\"numRecords\":1}"), Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
            adds.add(add);
            removes.add(add.toRemove(now + 1, true));
          }
          store.commit(CommitRequest.of(id, 0, UUID.randomUUID().toString(), adds));
          long t0 = System.nanoTime();
          store.commit(CommitRequest.of(id, 1, UUID.randomUUID().toString(), removes));
          double ms = (System.nanoTime() - t0) / 1e6;
          if (!store.snapshot(id).files().isEmpty()) {
            throw new IllegalStateException("files left after removing all of them");
          }
          System.out.printf(Locale.ROOT, "round %d: commit removing %d files %.1f ms%n", round, files, ms);
        }
      } finally {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
