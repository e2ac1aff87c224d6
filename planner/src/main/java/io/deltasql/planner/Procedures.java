package io.deltasql.planner;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.data.DataFileReader;
import io.deltasql.core.data.RowIterator;
import io.deltasql.core.data.WriteOptions;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.mirror.MirrorOutcome;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.txn.MultiTableCommitResult;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.TableActionsBuilder;
import io.deltasql.core.txn.TransactionState;
import io.deltasql.core.txn.lock.LockMode;
import io.deltasql.core.verify.TableVerifier;
import io.deltasql.core.verify.VerifyFinding;
import io.deltasql.core.verify.VerifyReport;
import io.deltasql.parser.node.SqlOptimize;
import io.deltasql.parser.node.SqlVacuum;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.calcite.DataContext;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statements that act and answer with rows: {@code OPTIMIZE}, {@code VACUUM},
 * {@code CALL reconcile([table])}, {@code CALL verify([table])} and
 * {@code CALL clear_divergence(table)}. Each is prepared as a query
 * of a one-off system table whose scan runs the action, once per execution.
 *
 * <ul>
 *   <li>{@code OPTIMIZE t [WHERE p]} compacts, per partition (those matching {@code p}, which
 *       may name partition columns only), the files smaller than three quarters of the target
 *       file size into files of about the target size; the commit has {@code dataChange=false}
 *       and conflicts with a concurrent commit that removed any of the files.
 *   <li>{@code VACUUM t [RETAIN n HOURS] [DRY RUN]} deletes the files in the table's folder that
 *       no version of the retention window needs and that are older than the window. Retention
 *       defaults to the table's {@code delta.deletedFileRetentionDuration} (7 days); a shorter
 *       one is refused unless the connection sets {@code vacuumRetentionCheck=false}. The log,
 *       hidden files ({@code _} or {@code .} names) and deletion-vector files are never deleted.
 * </ul>
 */
final class Procedures {
  private static final Logger LOG = LoggerFactory.getLogger(Procedures.class);
  static final long DEFAULT_RETENTION_HOURS = 168;

  private Procedures() {}

  /** The one-off table answering {@code node}, if it is one of these statements. */
  static Optional<SysTable> of(SqlNode node, DeltaSession session,
      java.util.function.BiFunction<TableInfo, String, HitsQuery> prepareHits) {
    if (node instanceof SqlOptimize optimize) {
      TableInfo table = session.resolveTable(optimize.table().names);
      Optional<HitsQuery> where = optimize.where().map(w -> {
        requirePartitionColumns(session, table, w);
        return prepareHits.apply(table, w.toSqlString(c -> c.withDialect(
            org.apache.calcite.sql.dialect.CalciteSqlDialect.DEFAULT).withQuoteAllIdentifiers(true)).getSql());
      });
      return Optional.of(SysTable.builder().column("table_name", SqlTypeName.VARCHAR)
          .nullable("version", SqlTypeName.BIGINT).column("files_removed", SqlTypeName.BIGINT)
          .column("files_added", SqlTypeName.BIGINT).column("bytes_removed", SqlTypeName.BIGINT)
          .column("bytes_added", SqlTypeName.BIGINT)
          .rows((DataContext root) -> List.<Object[]>of(optimize(session, table, where.map(h -> h.files(root))))));
    }
    if (node instanceof SqlVacuum vacuum) {
      TableInfo table = session.resolveTable(vacuum.table().names);
      Optional<Double> hours = vacuum.retainHours().map(Number::doubleValue);
      return Optional.of(SysTable.builder().column("path", SqlTypeName.VARCHAR).column("size_bytes", SqlTypeName.BIGINT)
          .rows(() -> vacuum(session, table, hours, vacuum.dryRun())));
    }
    if (node.getKind() == SqlKind.PROCEDURE_CALL) {
      return Optional.of(call((SqlCall) ((SqlBasicCall) node).operand(0), session));
    }
    return Optional.empty();
  }

  /** A prepared query of the files holding rows that match a condition. */
  interface HitsQuery {
    Set<String> files(DataContext root);
  }

  // ---- CALL ---------------------------------------------------------------------------------

  private static SysTable call(SqlCall call, DeltaSession session) {
    String name = call.getOperator().getName().toLowerCase(java.util.Locale.ROOT);
    List<String> args = new ArrayList<>();
    for (SqlNode operand : call.getOperandList()) {
      if (!(operand instanceof SqlLiteral literal) || literal.toValue() == null) {
        throw PlannerErrors.invalid("CALL " + name + " takes table names as string literals, not " + operand);
      }
      args.add(literal.toValue());
    }
    if (args.size() > 1) {
      throw PlannerErrors.invalid("CALL " + name + " takes at most one table name");
    }
    Optional<TableInfo> table = args.isEmpty() ? Optional.empty()
        : Optional.of(session.resolveTable(List.of(args.get(0).split("\\.", 2))));
    switch (name) {
      case "reconcile":
        return outcomes().rows(() -> reconcile(session, table));
      case "verify":
        return SysTable.builder().column("table_name", SqlTypeName.VARCHAR).column("kind", SqlTypeName.VARCHAR)
            .nullable("version", SqlTypeName.BIGINT).nullable("path", SqlTypeName.VARCHAR)
            .column("detail", SqlTypeName.VARCHAR)
            .rows(() -> verify(session, table));
      case "clear_divergence":
        TableInfo diverged = table.orElseThrow(() -> PlannerErrors.invalid("CALL clear_divergence takes a table name"));
        return outcomes().rows(() -> clearDivergence(session, diverged));
      default:
        throw new DeltaException(SqlState.UNDEFINED_FUNCTION, "No procedure '" + name
            + "'; the procedures are reconcile([table]), verify([table]) and clear_divergence(table)");
    }
  }

  /** The columns of a mirror outcome per table, the answer of reconcile and clear_divergence. */
  private static SysTable.Builder outcomes() {
    return SysTable.builder().column("table_name", SqlTypeName.VARCHAR)
        .column("mirrored_through", SqlTypeName.BIGINT).column("pending", SqlTypeName.BIGINT)
        .column("diverged", SqlTypeName.BOOLEAN).nullable("failure", SqlTypeName.VARCHAR);
  }

  private static List<Object[]> reconcile(DeltaSession session, Optional<TableInfo> table) {
    List<MirrorOutcome> outcomes = table.isPresent()
        ? List.of(session.runtime().mirror().reconcile(table.get().tableId()))
        : session.runtime().mirror().reconcile();
    List<Object[]> rows = new ArrayList<>();
    for (MirrorOutcome outcome : outcomes) {
      String name = session.runtime().catalog().findTable(outcome.tableId()).map(TableInfo::qualifiedName)
          .orElse(String.valueOf(outcome.tableId()));
      rows.add(new Object[] {name, outcome.mirroredThrough(), outcome.pending(), outcome.diverged(),
          outcome.failure().orElse(null)});
    }
    return rows;
  }

  /** Findings of files in the log that deltasql did not write: while any is left, the table would diverge again. */
  private static final Set<VerifyFinding.Kind> FOREIGN = java.util.EnumSet.of(VerifyFinding.Kind.FOREIGN_COMMIT,
      VerifyFinding.Kind.FOREIGN_CHECKPOINT, VerifyFinding.Kind.ACTION_EXTRA, VerifyFinding.Kind.ACTION_DIFFERS,
      VerifyFinding.Kind.COMMIT_UNREADABLE);

  /**
   * The last step of the runbook's repair of a diverged table when deltasql's history wins:
   * once the foreign files are out of {@code _delta_log/}, clears the mark (writes are taken
   * again) and mirrors the versions the log lacks. Refused ({@code 55000}) while the log still
   * holds a file that is not deltasql's, naming it, and on a read-only connection.
   */
  private static List<Object[]> clearDivergence(DeltaSession session, TableInfo table) {
    session.requireWritable("CALL clear_divergence('" + table.qualifiedName() + "')", table);
    long tableId = table.tableId();
    VerifyReport report = new TableVerifier(session.runtime().catalog(), session.runtime().storage()).verify(tableId);
    if (!report.table().diverged()) {
      throw new DeltaException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "Table '" + table.qualifiedName()
          + "' is not diverged; CALL reconcile('" + table.qualifiedName() + "') mirrors what it lacks");
    }
    List<String> foreign = new ArrayList<>();
    for (VerifyFinding finding : report.findings()) {
      if (FOREIGN.contains(finding.kind())) {
        foreign.add(finding.kind() + (finding.version().isPresent() ? " at version " + finding.version().getAsLong() : "")
            + finding.path().map(path -> " " + path).orElse(""));
      }
    }
    if (!foreign.isEmpty()) {
      throw new DeltaException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "Table '" + table.qualifiedName()
          + "' still has files in its _delta_log that deltasql did not write (" + String.join("; ", foreign)
          + "); move them out of the log (docs/runbook.md, 'A table is diverged'), then call clear_divergence again");
    }
    session.runtime().catalog().inTransaction(tx -> {
      tx.setDivergence(tableId, Optional.empty());
      return null;
    });
    LOG.warn("table divergence cleared by SQL table={} id={}", table.qualifiedName(), tableId);
    MirrorOutcome outcome = session.runtime().mirror().reconcile(tableId);
    return List.<Object[]>of(new Object[] {table.qualifiedName(), outcome.mirroredThrough(), outcome.pending(),
        outcome.diverged(), outcome.failure().orElse(null)});
  }

  private static List<Object[]> verify(DeltaSession session, Optional<TableInfo> table) {
    TableVerifier verifier = new TableVerifier(session.runtime().catalog(), session.runtime().storage());
    List<VerifyReport> reports = table.isPresent() ? List.of(verifier.verify(table.get().tableId()))
        : verifier.verifyAll();
    List<Object[]> rows = new ArrayList<>();
    for (VerifyReport report : reports) {
      for (VerifyFinding finding : report.findings()) {
        rows.add(new Object[] {report.table().qualifiedName(), finding.kind().name(),
            finding.version().isPresent() ? finding.version().getAsLong() : null, finding.path().orElse(null),
            finding.detail()});
      }
    }
    return rows;
  }

  // ---- OPTIMIZE -----------------------------------------------------------------------------

  private static void requirePartitionColumns(DeltaSession session, TableInfo table, SqlNode where) {
    List<String> partitions = session.writer().cache().metadata(table.tableId()).partitionColumns();
    where.accept(new org.apache.calcite.sql.util.SqlBasicVisitor<Void>() {
      @Override
      public Void visit(org.apache.calcite.sql.SqlIdentifier id) {
        String column = id.names.get(id.names.size() - 1);
        if (partitions.stream().noneMatch(p -> p.equalsIgnoreCase(column))) {
          throw PlannerErrors.notSupported("OPTIMIZE ... WHERE may name only partition columns " + partitions
              + ", not '" + column + "'");
        }
        return null;
      }
    });
  }

  private static Object[] optimize(DeltaSession session, TableInfo table, Optional<Set<String>> only) {
    requireNoTransaction(session, "OPTIMIZE");
    session.requireWritable("OPTIMIZE " + table.qualifiedName(), table);
    MultiTableWriter writer = session.writer();
    MultiTableTransaction tx = writer.begin();
    try {
      writer.lock(tx, table.qualifiedName(), LockMode.EXCLUSIVE);
      Snapshot snapshot = writer.snapshotFor(tx, table.tableId()).snapshot();
      long small = WriteOptions.DEFAULTS.targetFileSize() * 3 / 4;
      Map<String, List<AddFile>> byPartition = new TreeMap<>();
      for (AddFile file : snapshot.activeFiles()) {
        boolean wanted = only.map(files -> files.contains(file.path())).orElse(true);
        if (wanted && (file.size() < small || file.deletionVector().isPresent())) {
          byPartition.computeIfAbsent(new TreeMap<>(file.partitionValues()).toString(), k -> new ArrayList<>()).add(file);
        }
      }
      DataFileReader reader = DataFileReader.of(session.runtime().storage(), table.location(), snapshot.metadata());
      var fileWriter = DeltaDml.fileWriter(session, table, snapshot);
      long now = System.currentTimeMillis();
      List<RemoveFile> removes = new ArrayList<>();
      List<AddFile> adds = new ArrayList<>();
      long bytesRemoved = 0;
      for (List<AddFile> files : byPartition.values()) {
        if (files.size() < 2 && files.get(0).deletionVector().isEmpty()) {
          continue;
        }
        for (AddFile written : fileWriter.write(() -> concat(reader, files))) {
          adds.add(new AddFile(written.path(), written.partitionValues(), written.size(), written.modificationTime(),
              false, written.stats(), written.tags(), written.deletionVector(), written.baseRowId(),
              written.defaultRowCommitVersion(), written.clusteringProvider()));
        }
        for (AddFile file : files) {
          removes.add(file.toRemove(now, false));
          bytesRemoved += file.size();
        }
      }
      if (removes.isEmpty()) {
        writer.rollback(tx);
        return new Object[] {table.qualifiedName(), null, 0L, 0L, 0L, 0L};
      }
      tx.stageActions(new TableActionsBuilder(table.qualifiedName(), snapshot.version()).removeFiles(removes)
          .addFiles(adds).withOperation("OPTIMIZE", Map.of("predicate", "[]", "zOrderBy", "[]")).readsTable(true)
          .build());
      MultiTableCommitResult result = writer.commit(tx);
      long bytesAdded = adds.stream().mapToLong(AddFile::size).sum();
      LOG.info("optimized table={} version={} filesRemoved={} filesAdded={}", table.qualifiedName(),
          result.version(table.qualifiedName()).orElse(-1L), removes.size(), adds.size());
      return new Object[] {table.qualifiedName(), result.version(table.qualifiedName()).orElse(null),
          (long) removes.size(), (long) adds.size(), bytesRemoved, bytesAdded};
    } catch (RuntimeException e) {
      if (tx.state() == TransactionState.ACTIVE || tx.state() == TransactionState.FAILED) {
        writer.rollback(tx);
      }
      throw e;
    }
  }

  /** The rows of several files, one after the other, each file closed when read. */
  private static Iterator<Object[]> concat(DataFileReader reader, Collection<AddFile> files) {
    Iterator<AddFile> next = files.iterator();
    return new Iterator<>() {
      private RowIterator current = RowIterator.empty();

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          current.close();
          if (!next.hasNext()) {
            return false;
          }
          current = reader.read(next.next());
        }
        return true;
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  // ---- VACUUM -------------------------------------------------------------------------------

  private static List<Object[]> vacuum(DeltaSession session, TableInfo table, Optional<Double> retainHours,
      boolean dryRun) {
    requireNoTransaction(session, "VACUUM");
    if (!dryRun) {
      session.requireWritable("VACUUM " + table.qualifiedName(), table);
    }
    var metadata = session.writer().cache().metadata(table.tableId());
    double safety = retentionHours(metadata.metadata().configuration().get("delta.deletedFileRetentionDuration"));
    double hours = retainHours.orElse(safety);
    if (hours < 0) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "VACUUM RETAIN " + hours + " HOURS: must not be negative");
    }
    if (hours < safety && session.vacuumRetentionCheck()) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "VACUUM " + table.qualifiedName() + " RETAIN "
          + hours + " HOURS is shorter than the table's retention of " + safety + " hours: readers of older"
          + " versions and writers still running could lose files. Set the URL property"
          + " vacuumRetentionCheck=false to allow it");
    }
    long now = System.currentTimeMillis();
    long cutoff = now - (long) (hours * 3_600_000L);
    Set<String> needed = neededFiles(session, table, cutoff);
    String logDir = io.deltasql.core.storage.StoragePaths.logDir(table.location());
    List<Object[]> deleted = new ArrayList<>();
    for (var file : session.runtime().storage().listRecursively(table.location())) {
      String relative = relative(table.location(), file.path());
      if (file.path().startsWith(logDir) || hidden(relative) || needed.contains(file.path())
          || file.modificationTime() >= cutoff) {
        continue;
      }
      if (!dryRun) {
        session.runtime().storage().delete(file.path());
      }
      deleted.add(new Object[] {file.path(), file.size()});
    }
    LOG.info("vacuum table={} retainHours={} dryRun={} files={}", table.qualifiedName(), hours, dryRun, deleted.size());
    return deleted;
  }

  /** The files of every version a reader may still ask for: the one in force at the cutoff, and all later. */
  private static Set<String> neededFiles(DeltaSession session, TableInfo table, long cutoff) {
    var catalog = session.runtime().catalog();
    long first = table.oldestVersion();
    try {
      first = catalog.inTransaction(tx -> tx.versionAsOf(table.tableId(), java.time.Instant.ofEpochMilli(cutoff)));
    } catch (DeltaException e) {
      // cutoff before the history (keep everything from the oldest) or after the latest commit (keep the latest)
      first = cutoff > catalog.snapshot(table.tableId()).timestamp() ? table.currentVersion() : table.oldestVersion();
    }
    Set<String> needed = new HashSet<>();
    for (AddFile file : catalog.snapshotAt(table.tableId(), first).activeFiles()) {
      needed.add(io.deltasql.core.storage.StoragePaths.resolveInTable(table.location(), file.path()));
    }
    for (long v = first + 1; v <= table.currentVersion(); v++) {
      for (var action : catalog.versionActions(table.tableId(), v)) {
        if (action instanceof AddFile add) {
          needed.add(io.deltasql.core.storage.StoragePaths.resolveInTable(table.location(), add.path()));
        }
      }
    }
    return needed;
  }

  private static boolean hidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return true;
      }
    }
    return relative.contains("deletion_vector_");
  }

  private static String relative(String root, String path) {
    String prefix = root.endsWith("/") ? root : root + "/";
    return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
  }

  /** Hours of a Delta interval such as {@code interval 7 days}; the default if absent or unreadable. */
  static double retentionHours(String interval) {
    if (interval == null) {
      return DEFAULT_RETENTION_HOURS;
    }
    String[] parts = interval.trim().toLowerCase(java.util.Locale.ROOT).replace("interval", "").trim().split("\\s+");
    try {
      double n = Double.parseDouble(parts[0]);
      String unit = parts.length > 1 ? parts[1] : "hours";
      return switch (unit.replaceAll("s$", "")) {
        case "week" -> n * 168;
        case "day" -> n * 24;
        case "hour" -> n;
        case "minute" -> n / 60;
        case "second" -> n / 3600;
        default -> DEFAULT_RETENTION_HOURS;
      };
    } catch (NumberFormatException e) {
      return DEFAULT_RETENTION_HOURS;
    }
  }

  private static void requireNoTransaction(DeltaSession session, String statement) {
    if (session.transaction().isPresent()) {
      throw PlannerErrors.ddlInTransaction(statement);
    }
  }
}
