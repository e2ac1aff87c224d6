package io.deltasql.core.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.MirrorState;
import io.deltasql.core.catalog.MirrorStatus;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.catalog.VersionRecord;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.json.LastCheckpoint;
import io.deltasql.core.json.LastCheckpointJson;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.log.LogFile;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.verify.VerifyFinding.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares what the catalog holds of a table with its {@code _delta_log} and reports every
 * difference ({@code CALL verify('t')}). It reads both and writes neither.
 *
 * <p>What it checks, in this order:
 *
 * <ol>
 *   <li>the catalog's divergence mark;
 *   <li>each catalog version: its commit file exists (else {@link Kind#UNMIRRORED} when the
 *       mirror has it pending or failed, {@link Kind#MISSING_COMMIT} when it was recorded as
 *       mirrored) and holds the same actions, matched by identity (adds, removes, cdc,
 *       metadata, protocol, {@code txn}, domain metadata, commitInfo);
 *   <li>commit files after the catalog's latest version ({@link Kind#FOREIGN_COMMIT});
 *   <li>each checkpoint: readable, and its state equal to the catalog's snapshot at its
 *       version;
 *   <li>{@code _last_checkpoint}: readable, names a checkpoint that exists, the newest one,
 *       with the right counts;
 *   <li>the latest snapshot the log can rebuild (the catalog's latest version, or the log's
 *       when the mirror lags) equals the catalog's, file by file; for a table imported from a
 *       checkpoint, its base version too.
 * </ol>
 *
 * <p>Commit files older than the catalog's oldest version (history before an import) and
 * commits missing below the log's oldest checkpoint (log cleanup, which Delta allows) are
 * not differences. On a table being written, verification takes the log's listing first and
 * the catalog's latest version after it, so a version committed meanwhile is at worst
 * reported {@link Kind#UNMIRRORED}, never foreign.
 *
 * <pre>{@code
 * VerifyReport report = new TableVerifier(catalog, LocalStorage.INSTANCE).verify(tableId);
 * report.findings().forEach(f -> System.out.println(f));
 * }</pre>
 */
public final class TableVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(TableVerifier.class);
  private static final String ICT_ENABLED = "delta.enableInCommitTimestamps";
  private static final String ICT_ENABLEMENT_VERSION = "delta.inCommitTimestampEnablementVersion";

  private final CatalogStore catalog;
  private final Storage storage;

  public TableVerifier(CatalogStore catalog, Storage storage) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.storage = Objects.requireNonNull(storage, "storage");
  }

  /** Verifies every table of the catalog, by schema and name. */
  public List<VerifyReport> verifyAll() {
    List<VerifyReport> reports = new ArrayList<>();
    for (TableInfo table : catalog.listTables()) {
      reports.add(verify(table.tableId()));
    }
    long unclean = reports.stream().filter(r -> !r.clean()).count();
    LOG.info("verified tables={} withFindings={}", reports.size(), unclean);
    return reports;
  }

  /**
   * Verifies {@code schema.name}.
   *
   * @throws DeltaException {@code 42P01} when the catalog has no such table
   */
  public VerifyReport verify(String schema, String name) {
    return verify(catalog.findTable(schema, name).orElseThrow(() -> new DeltaException(SqlState.UNDEFINED_TABLE,
        "Table " + schema + "." + name + " does not exist in the catalog: nothing to verify.")).tableId());
  }

  /**
   * Verifies one table. Differences are findings, not exceptions; only a catalog that
   * cannot be read (or an unknown table, {@code 42P01}) fails the call.
   */
  public VerifyReport verify(long tableId) {
    TableInfo before = table(tableId);
    List<VerifyFinding> findings = new ArrayList<>();
    Optional<DeltaLog> log = openLog(before, findings);
    TableInfo table = table(tableId); // after the listing: any newer commit file is foreign
    table.divergence().ifPresent(reason -> findings.add(VerifyFinding.of(Kind.DIVERGED, table.location(), reason)));
    if (log.isPresent()) {
      new Pass(table, log.get(), findings).run();
    }
    VerifyReport report = new VerifyReport(table, log.map(DeltaLog::latestVersion).orElse(-1L), findings);
    if (report.clean()) {
      LOG.info("verified table={} id={} catalogVersion={} logVersion={} clean=true", table.qualifiedName(),
          tableId, table.currentVersion(), report.logLatestVersion());
    } else {
      LOG.warn("verified table={} id={} catalogVersion={} logVersion={} findings={} kinds={}",
          table.qualifiedName(), tableId, table.currentVersion(), report.logLatestVersion(), findings.size(),
          report.kinds());
    }
    return report;
  }

  private TableInfo table(long tableId) {
    return catalog.findTable(tableId).orElseThrow(() -> new DeltaException(SqlState.UNDEFINED_TABLE,
        "Table id " + tableId + " does not exist in the catalog: nothing to verify (was it dropped?)."));
  }

  private Optional<DeltaLog> openLog(TableInfo table, List<VerifyFinding> findings) {
    try {
      return Optional.of(DeltaLog.open(storage, table.location()));
    } catch (DeltaException e) {
      if (table.hasVersions()) {
        findings.add(VerifyFinding.of(Kind.LOG_UNREADABLE, StoragePaths.logDir(table.location()), e.getMessage()));
      }
      return Optional.empty();
    }
  }

  /** One verification of one table against one listing of its log. */
  private final class Pass {
    private final TableInfo table;
    private final DeltaLog log;
    private final List<VerifyFinding> findings;
    private final String logDir;
    private final Map<Long, DeltaLog.CheckpointContent> checkpoints = new HashMap<>();

    Pass(TableInfo table, DeltaLog log, List<VerifyFinding> findings) {
      this.table = table;
      this.log = log;
      this.findings = findings;
      this.logDir = StoragePaths.logDir(table.location());
    }

    void run() {
      long oldest = table.oldestVersion();
      long current = table.currentVersion();
      SortedSet<Long> commits = log.commitVersions();
      List<Long> checkpointVersions = log.checkpointVersions();
      boolean base = table.hasVersions() && catalog.inTransaction(tx -> tx.versionRecord(table.tableId(), oldest))
          .map(VersionRecord::base).orElse(false);
      if (table.hasVersions()) {
        long cleanedBelow = checkpointVersions.isEmpty() || commits.isEmpty()
            ? -1 : Math.min(commits.first(), checkpointVersions.get(0) + 1);
        for (long v = oldest; v <= current; v++) {
          if (v == oldest && base) {
            continue; // an imported checkpoint base holds no actions: its snapshot is compared below
          }
          if (commits.contains(v)) {
            compareCommit(v);
          } else if (v >= cleanedBelow) {
            missingCommit(v);
          }
        }
      }
      for (long v : commits.tailSet(current + 1)) {
        findings.add(VerifyFinding.of(Kind.FOREIGN_COMMIT, v, commitPath(v), "commit file of version " + v
            + " is in the log but the catalog's latest version is " + current
            + ": a writer outside deltasql committed to the table"));
      }
      for (long v : checkpointVersions) {
        checkpoint(v, oldest, current);
      }
      lastCheckpoint(checkpointVersions, current);
      if (table.hasVersions()) {
        long latest = Math.min(current, log.latestVersion());
        if (base && latest != oldest) {
          compareSnapshot(oldest);
        }
        if (latest >= oldest) {
          compareSnapshot(latest);
        }
      }
    }

    private String commitPath(long version) {
      return StoragePaths.join(logDir, LogFile.commitFileName(version));
    }

    private void compareCommit(long version) {
      List<Action> wanted = catalog.versionActions(table.tableId(), version);
      List<Action> found;
      try {
        found = log.commitActions(version);
      } catch (DeltaException e) {
        findings.add(VerifyFinding.of(Kind.COMMIT_UNREADABLE, version, commitPath(version), e.getMessage()));
        return;
      }
      findings.addAll(ActionDiff.compare(version, commitPath(version), wanted, raisedTimestamp(version, wanted, found)));
    }

    /**
     * The log's actions, with its commitInfo replaced by the catalog's when they differ only
     * in an in-commit timestamp that the catalog raised: the catalog keeps timestamps strictly
     * increasing (see {@link DeltaLog#timestampAt}), so an imported commit whose in-commit
     * timestamp is not after its predecessor's is stored as the predecessor's plus 1 ms.
     */
    private List<Action> raisedTimestamp(long version, List<Action> wanted, List<Action> found) {
      Optional<CommitInfo> ours = commitInfo(wanted);
      Optional<CommitInfo> theirs = commitInfo(found);
      if (ours.isEmpty() || theirs.isEmpty() || ours.equals(theirs) || version == 0) {
        return found;
      }
      Optional<Long> raised = ours.get().inCommitTimestamp();
      Optional<Long> raw = theirs.get().inCommitTimestamp();
      if (raised.isEmpty() || raw.isEmpty() || !withoutTimestamp(ours.get()).equals(withoutTimestamp(theirs.get()))) {
        return found;
      }
      Optional<Long> previous = catalog.inTransaction(tx -> tx.versionRecord(table.tableId(), version - 1))
          .map(VersionRecord::timestamp);
      if (previous.isEmpty() || raw.get() > previous.get() || raised.get() != previous.get() + 1) {
        return found;
      }
      return found.stream().map(a -> a instanceof CommitInfo ? (Action) ours.get() : a).toList();
    }

    private void missingCommit(long version) {
      String path = commitPath(version);
      if (storage.status(path).isPresent()) {
        return; // mirrored after the listing was taken
      }
      Optional<MirrorStatus> status = catalog.inTransaction(tx -> tx.mirrorStatus(table.tableId(), version));
      if (status.isPresent() && status.get().state() != MirrorState.DONE) {
        findings.add(VerifyFinding.of(Kind.UNMIRRORED, version, path, "version " + version + " is "
            + status.get().state() + " in the mirror after " + status.get().attempts() + " attempt(s)"
            + status.get().lastError().map(e -> ": " + e).orElse("")));
      } else {
        findings.add(VerifyFinding.of(Kind.MISSING_COMMIT, version, path, "version " + version
            + " is recorded as mirrored but its commit file is missing from the log"));
      }
    }

    private void checkpoint(long version, long oldest, long current) {
      String path = String.join(", ", log.checkpointFiles(version));
      if (version > current) {
        findings.add(VerifyFinding.of(Kind.FOREIGN_CHECKPOINT, version, path, "checkpoint of version " + version
            + " is in the log but the catalog's latest version is " + current));
        return;
      }
      if (version < oldest) {
        return;
      }
      DeltaLog.CheckpointContent content;
      try {
        content = log.checkpointContent(version);
      } catch (DeltaException e) {
        findings.add(VerifyFinding.of(Kind.CHECKPOINT_UNREADABLE, version, path, e.getMessage()));
        return;
      }
      checkpoints.put(version, content);
      Snapshot expected = catalog.snapshotAt(table.tableId(), version);
      findings.addAll(SnapshotDiff.compare(Kind.CHECKPOINT_DIFFERS, version, "checkpoint " + path, expected,
          content.snapshot(), false));
    }

    private void lastCheckpoint(List<Long> checkpointVersions, long current) {
      String path = StoragePaths.join(logDir, "_last_checkpoint");
      if (storage.status(path).isEmpty()) {
        return; // only a hint: a log without one is complete
      }
      LastCheckpoint hint;
      try {
        hint = LastCheckpointJson.parse(storage.readAll(path), path);
      } catch (DeltaException e) {
        findings.add(VerifyFinding.of(Kind.LAST_CHECKPOINT_UNREADABLE, path, e.getMessage()));
        return;
      }
      if (!checkpointVersions.contains(hint.version())) {
        findings.add(VerifyFinding.of(Kind.LAST_CHECKPOINT_DANGLING, hint.version(), path,
            "_last_checkpoint names version " + hint.version() + ", which has no complete checkpoint"));
        return;
      }
      long newest = checkpointVersions.stream().filter(v -> v <= current).mapToLong(Long::longValue).max()
          .orElse(hint.version());
      if (hint.version() < newest) {
        findings.add(VerifyFinding.of(Kind.LAST_CHECKPOINT_STALE, hint.version(), path,
            "_last_checkpoint names version " + hint.version() + " but the newest checkpoint is " + newest));
      }
      DeltaLog.CheckpointContent content = checkpoints.get(hint.version());
      if (content == null) {
        return; // unreadable or not the catalog's: reported with the checkpoint
      }
      List<String> mismatches = new ArrayList<>();
      if (hint.size() != content.actions()) {
        mismatches.add("size=" + hint.size() + " but the checkpoint holds " + content.actions() + " actions");
      }
      hint.numOfAddFiles().filter(n -> n != content.addFiles()).ifPresent(n -> mismatches.add(
          "numOfAddFiles=" + n + " but the checkpoint holds " + content.addFiles() + " add actions"));
      long bytes = content.sizeInBytes();
      hint.sizeInBytes().filter(n -> n != bytes).ifPresent(n -> mismatches.add(
          "sizeInBytes=" + n + " but the checkpoint files hold " + bytes + " bytes"));
      int parts = log.checkpointFiles(hint.version()).size();
      hint.parts().filter(n -> n != parts).ifPresent(n -> mismatches.add(
          "parts=" + n + " but the checkpoint has " + parts + " file(s)"));
      if (!mismatches.isEmpty()) {
        findings.add(VerifyFinding.of(Kind.LAST_CHECKPOINT_MISMATCH, hint.version(), path,
            String.join("; ", mismatches)));
      }
    }

    /**
     * The snapshot at {@code version} as Delta readers rebuild it. When the exact timestamp
     * cannot be had (it needs every older commit, and one is damaged: already reported), the
     * state alone is compared.
     */
    private void compareSnapshot(long version) {
      Snapshot fromLog;
      boolean exactTimestamp = true;
      try {
        fromLog = log.snapshotAt(version);
      } catch (DeltaException e) {
        try {
          fromLog = log.stateAt(version);
          exactTimestamp = false;
        } catch (DeltaException again) {
          findings.add(VerifyFinding.of(Kind.SNAPSHOT_UNREADABLE, version, logDir, again.getMessage()));
          return;
        }
      }
      Snapshot expected = catalog.snapshotAt(table.tableId(), version);
      findings.addAll(SnapshotDiff.compare(Kind.SNAPSHOT_DIFFERS, version, "the log's snapshot", expected, fromLog,
          exactTimestamp && inCommitTimestampsAt(expected.metadata(), version)));
    }
  }

  private static Optional<CommitInfo> commitInfo(List<Action> actions) {
    return actions.stream().filter(CommitInfo.class::isInstance).map(CommitInfo.class::cast).findFirst();
  }

  private static ObjectNode withoutTimestamp(CommitInfo info) {
    ObjectNode values = info.values().deepCopy();
    values.remove(CommitInfo.IN_COMMIT_TIMESTAMP);
    return values;
  }

  /**
   * Whether version {@code version} has an in-commit timestamp, so that the log and the
   * catalog must agree on it exactly (a commit file's modification time changes when the
   * log is copied or restored).
   */
  private static boolean inCommitTimestampsAt(Metadata metadata, long version) {
    if (!"true".equalsIgnoreCase(metadata.configuration().get(ICT_ENABLED))) {
      return false;
    }
    String from = metadata.configuration().get(ICT_ENABLEMENT_VERSION);
    try {
      return from == null || Long.parseLong(from) <= version;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
