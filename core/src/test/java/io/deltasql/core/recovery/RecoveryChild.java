package io.deltasql.core.recovery;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.catalog.CatalogConfig;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.mirror.MirrorConfig;
import io.deltasql.core.mirror.MirrorEngine;
import io.deltasql.core.mirror.TableMirror;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.txn.MultiTableCommitResult;
import io.deltasql.core.txn.MultiTableConfig;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.NewTable;
import io.deltasql.core.txn.TableActions;
import io.deltasql.core.txn.TableRef;
import io.deltasql.core.txn.TransactionState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The child JVM of the recovery tests. Prints protocol lines on stdout (anything else there,
 * such as log output, is ignored by the parent):
 *
 * <ul>
 *   <li>{@code crash <jdbcUrl> <location> <versions> <block>}: creates table {@code main.t} at
 *       {@code location} with no mirror, then commits appends; prints
 *       {@code COMMITTED <tableId> <version>} after each catalog commit and {@code READY} after the
 *       last, then sleeps (when {@code block}) until killed.
 *   <li>{@code writer <jdbcUrl> <tag> <transactions>}: appends one file to each of {@code main.a}
 *       and {@code main.b} in each transaction, through a writer mirrored by a {@link MirrorEngine},
 *       retrying retryable failures; prints {@code TXN <txnId>} per commit and {@code DONE}.
 * </ul>
 */
public final class RecoveryChild {
  static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}";
  static final MirrorConfig MIRROR = MirrorConfig.DEFAULTS.withReconcilePeriod(Duration.ZERO).withAttempts(3)
      .withBackoff(Duration.ofMillis(1), Duration.ofMillis(4));

  private static final PrintStream OUT = System.out;

  private RecoveryChild() {}

  public static void main(String[] args) {
    try {
      switch (args[0]) {
        case "crash" -> crash(args[1], args[2], Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]));
        case "writer" -> writer(args[1], args[2], Integer.parseInt(args[3]));
        default -> throw new IllegalArgumentException("mode " + args[0]);
      }
    } catch (Throwable t) {
      t.printStackTrace();
      OUT.println("FAILED " + t);
      OUT.flush();
      System.exit(2);
    }
    System.exit(0);
  }

  static MultiTableConfig config() {
    return MultiTableConfig.builder().backoffInitial(Duration.ofMillis(1)).backoffMax(Duration.ofMillis(20))
        .lockTimeout(Duration.ofSeconds(10)).build();
  }

  static Metadata metadata() {
    return new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(), Format.PARQUET, SCHEMA,
        List.of(), Map.of(), Optional.of(0L));
  }

  static AddFile file(String path) {
    return AddFile.of(path, Map.of(), 101, 1, Optional.of("{\"numRecords\":1}"));
  }

  /** Creates {@code schema.name} at {@code location} through {@code writer}. */
  static TableRef createTable(MultiTableWriter writer, String schema, String name, String location) {
    MultiTableTransaction tx = writer.begin();
    NewTable table = NewTable.of(schema, name, location);
    writer.createTable(tx, table, metadata(), Optional.empty());
    tx.addFiles(table.key(), TableActions.NEW_TABLE, List.of(file(name + "-0.parquet")));
    writer.commit(tx);
    return writer.table(schema, name);
  }

  private static void crash(String url, String location, int versions, boolean block) throws InterruptedException {
    CatalogStore store = CatalogStore.open(CatalogConfig.of(url));
    MultiTableWriter writer = MultiTableWriter.builder(store).config(config()).mirror(TableMirror.NONE).build();
    TableRef t = createTable(writer, "main", "t", location);
    OUT.println("COMMITTED " + t.tableId() + " 0");
    OUT.flush();
    for (int i = 1; i <= versions; i++) {
      MultiTableTransaction tx = writer.begin();
      tx.addFiles(t.key(), store.currentVersion(t.tableId()), List.of(file("part-" + i + ".parquet")));
      MultiTableCommitResult result = writer.commit(tx);
      OUT.println("COMMITTED " + t.tableId() + " " + result.version(t.key()).orElseThrow());
      OUT.flush();
    }
    OUT.println("READY");
    OUT.flush();
    if (block) {
      Thread.sleep(Duration.ofMinutes(10).toMillis()); // the parent kills us long before
    }
  }

  private static void writer(String url, String tag, int transactions) throws InterruptedException {
    CatalogStore store = CatalogStore.open(CatalogConfig.of(url));
    MirrorEngine engine = MirrorEngine.open(store, LocalStorage.INSTANCE, MIRROR, new SimpleMeterRegistry());
    MultiTableWriter writer = MultiTableWriter.builder(store).config(config()).mirror(engine).build();
    TableRef a = writer.table("main", "a");
    TableRef b = writer.table("main", "b");
    int retries = 0;
    for (int i = 0; i < transactions; i++) {
      for (int attempt = 0; ; attempt++) {
        MultiTableTransaction tx = writer.begin();
        try {
          String suffix = tag + "-" + i + "-" + attempt + ".parquet";
          tx.addFiles(a.key(), store.currentVersion(a.tableId()), List.of(file("a-" + suffix)));
          tx.addFiles(b.key(), store.currentVersion(b.tableId()), List.of(file("b-" + suffix)));
          writer.commit(tx);
          OUT.println("TXN " + tx.id());
          OUT.flush();
          break;
        } catch (DeltaException e) {
          if (tx.state() != TransactionState.COMMITTED && tx.state() != TransactionState.ROLLED_BACK) {
            try {
              writer.rollback(tx);
            } catch (DeltaException ignored) {
              // already terminal
            }
          }
          if (!e.isRetryable() || attempt >= 50) {
            throw e;
          }
          retries++;
          Thread.sleep(1 + (long) (Math.random() * 10));
        }
      }
    }
    OUT.println("DONE retries=" + retries);
    OUT.flush();
    writer.close();
    engine.close();
    store.close();
  }
}
