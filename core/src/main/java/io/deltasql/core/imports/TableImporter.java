package io.deltasql.core.imports;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.catalog.BaseVersion;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.CatalogTransaction;
import io.deltasql.core.catalog.CommitRequest;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.table.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers an existing Delta table in the catalog: replays every version still in its
 * {@code _delta_log} (the oldest reconstructable snapshot first, then each commit), so that
 * time travel works from that version on. The whole import is one catalog transaction:
 * a log that turns out to be unreadable half-way leaves nothing registered. Commits are
 * written {@link #CHUNK_VERSIONS} versions (or {@link #CHUNK_ACTIONS} actions) at a time
 * ({@link CatalogTransaction#importCommits}), so that the table's row is advanced once a chunk,
 * and each tells which of its adds replace an active file (the replay knows the active files),
 * so that the catalog does not look every added path up.
 */
public final class TableImporter {
  private static final Logger LOG = LoggerFactory.getLogger(TableImporter.class);
  private static final String COMMITTER = "deltasql-import";
  /** Most versions written by one {@link CatalogTransaction#importCommits}. */
  static final int CHUNK_VERSIONS = 1000;
  /** Most actions held for one {@link CatalogTransaction#importCommits}; a larger version goes alone. */
  static final int CHUNK_ACTIONS = 20_000;

  private final CatalogStore catalog;
  private final Storage storage;
  private final ImportProgress progress;

  public TableImporter(CatalogStore catalog, Storage storage, ImportProgress progress) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  public TableImporter(CatalogStore catalog, Storage storage) {
    this(catalog, storage, ImportProgress.LOGGING);
  }

  /**
   * Imports the table at {@code location} as {@code schema.name}.
   *
   * @throws DeltaException 42P07 if the name is taken, 42P01 if there is no Delta table at the
   *     location, 0A000 for protocols deltasql cannot honour, XX001 for a corrupt log
   */
  public ImportResult importTable(String schema, String name, String location) {
    DeltaLog log = DeltaLog.open(storage, location);
    long oldest = log.oldestVersion();
    long latest = log.latestVersion();
    // Check the latest state before writing anything: most refusals happen here, cheaply.
    log.snapshot();
    String importId = UUID.randomUUID().toString();
    long started = System.nanoTime();
    TableInfo table = catalog.inTransaction(tx -> {
      if (tx.findTable(schema, name).isPresent()) {
        throw new DeltaException(SqlState.DUPLICATE_TABLE,
            "Table " + schema + "." + name + " already exists; drop it first or import under another name.");
      }
      TableInfo registered = tx.registerTable(schema, name, location, Map.of());
      CatalogReplay replay = new CatalogReplay(tx, registered, importId, log, latest);
      log.replay(replay);
      return registered;
    });
    long millis = (System.nanoTime() - started) / 1_000_000;
    LOG.info("imported table={}.{} location={} oldestVersion={} latestVersion={} millis={}",
        schema, name, location, oldest, latest, millis);
    return new ImportResult(table.tableId(), schema, name, location, oldest, latest, millis);
  }

  /** Writes the replay of a log into one catalog transaction. */
  private final class CatalogReplay implements DeltaLog.ReplayVisitor {
    private final CatalogTransaction tx;
    private final TableInfo table;
    private final String importId;
    private final DeltaLog log;
    private final long latest;
    private final List<CommitRequest> chunk = new ArrayList<>();
    private int chunkActions;
    /** The files active after the versions replayed so far. */
    private final Set<FileKey> active = new HashSet<>();
    private long base;

    CatalogReplay(CatalogTransaction tx, TableInfo table, String importId, DeltaLog log, long latest) {
      this.tx = tx;
      this.table = table;
      this.importId = importId;
      this.log = log;
      this.latest = latest;
    }

    @Override
    public void base(Snapshot snapshot) {
      base = snapshot.version();
      active.addAll(snapshot.files().keySet());
      Optional<CommitInfo> commitInfo = baseCommitInfo(snapshot.version());
      tx.importBase(new BaseVersion(table.tableId(), snapshot, commitInfo, txnId(snapshot.version())));
      progress.versionImported(table.qualifiedName(), snapshot.version(), base, latest);
    }

    @Override
    public void commit(long version, long timestamp, List<Action> actions) {
      CommitRequest request = new CommitRequest(table.tableId(), version - 1, txnId(version), actions,
          Optional.of(COMMITTER), Optional.of(timestamp), true, Optional.of(replaced(actions)));
      chunk.add(request);
      chunkActions += actions.size();
      if (chunk.size() >= CHUNK_VERSIONS || chunkActions >= CHUNK_ACTIONS) {
        flush();
      }
    }

    @Override
    public void done(long latestVersion) {
      flush();
    }

    /**
     * The files that adds of {@code actions} replace (added again while active), as the
     * catalog finds them: a commit's removes end their files first; then {@link #active}
     * becomes the files active after the commit.
     */
    private Set<FileKey> replaced(List<Action> actions) {
      for (Action action : actions) {
        if (action instanceof RemoveFile remove) {
          active.remove(remove.fileKey());
        }
      }
      Set<FileKey> replaced = new HashSet<>();
      for (Action action : actions) {
        if (action instanceof AddFile add && !active.add(add.fileKey())) {
          replaced.add(add.fileKey());
        }
      }
      return replaced;
    }

    /** Writes the commits held so far. */
    private void flush() {
      tx.importCommits(chunk);
      for (CommitRequest request : chunk) {
        progress.versionImported(table.qualifiedName(), request.version(), base, latest);
      }
      chunk.clear();
      chunkActions = 0;
    }

    private Optional<CommitInfo> baseCommitInfo(long version) {
      try {
        return log.commitActions(version).stream()
            .filter(CommitInfo.class::isInstance)
            .map(CommitInfo.class::cast)
            .findFirst();
      } catch (DeltaException e) {
        return Optional.empty(); // the base came from a checkpoint whose commit file is gone
      }
    }

    private String txnId(long version) {
      return "import-" + importId + "-" + version;
    }
  }
}
