package io.deltasql.core.txn;

import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.txn.ConsistencyViolation.AppendOnlyViolation;
import io.deltasql.core.txn.ConsistencyViolation.InvalidMetadata;
import io.deltasql.core.txn.ConsistencyViolation.MirrorBacklogFull;
import io.deltasql.core.txn.ConsistencyViolation.ProtocolDowngrade;
import io.deltasql.core.txn.ConsistencyViolation.ReadInvalidated;
import io.deltasql.core.txn.ConsistencyViolation.RemovedFileNotActive;
import io.deltasql.core.txn.ConsistencyViolation.TableAlreadyExists;
import io.deltasql.core.txn.ConsistencyViolation.TableDiverged;
import io.deltasql.core.txn.ConsistencyViolation.TableNotFound;
import io.deltasql.core.txn.ConsistencyViolation.TableTransactionTooLarge;
import io.deltasql.core.txn.ConsistencyViolation.TooManyTables;
import io.deltasql.core.txn.ConsistencyViolation.TransactionNotActive;
import io.deltasql.core.txn.ConsistencyViolation.TransactionTooLarge;
import io.deltasql.core.txn.ConsistencyViolation.TransactionTooOld;
import io.deltasql.core.txn.ConsistencyViolation.UnsupportedWriterFeature;
import io.deltasql.core.txn.ConsistencyViolation.VersionMismatch;
import io.deltasql.core.types.StructType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;

/**
 * Pre-commit validation of a transaction against the catalog: every check at once, in a
 * stable order (the transaction's own checks, then per table in canonical order, then
 * SERIALIZABLE reads).
 */
final class TransactionValidator {
  private final CatalogView catalog;
  private final MultiTableConfig config;

  TransactionValidator(CatalogView catalog, MultiTableConfig config) {
    this.catalog = Checks.notNull(catalog, "catalog");
    this.config = Checks.notNull(config, "config");
  }

  ValidationResult validate(UUID id, TransactionState state, Instant createdAt, IsolationLevel level,
      SortedMap<String, TableActions> staged, Map<String, Long> reads, Instant now) {
    List<ConsistencyViolation> out = new ArrayList<>();
    if (state != TransactionState.ACTIVE && state != TransactionState.COMMITTING) {
      out.add(new TransactionNotActive(id, state));
    }
    if (Duration.between(createdAt, now).compareTo(config.maxAge()) > 0) {
      out.add(new TransactionTooOld(createdAt, config.maxAge().toSeconds(), now));
    }
    if (staged.size() > config.maxTables()) {
      out.add(new TooManyTables(staged.size(), config.maxTables()));
    }
    long total = staged.values().stream().mapToLong(TableActions::actionCount).sum();
    if (total > config.maxActions()) {
      out.add(new TransactionTooLarge(total, config.maxActions()));
    }
    for (TableActions actions : staged.values()) {
      table(actions, out);
    }
    if (level.validatesReads()) {
      for (Map.Entry<String, Long> read : reads.entrySet()) {
        TableActions written = staged.get(read.getKey());
        if (written != null && written.readVersion() == read.getValue()) {
          continue; // a written table's version is checked above
        }
        Optional<Long> current = catalog.currentVersion(read.getKey());
        if (current.isEmpty() || current.get().longValue() != read.getValue().longValue()) {
          out.add(new ReadInvalidated(read.getKey(), read.getValue(), current));
        }
      }
    }
    return new ValidationResult(Optional.of(id), out);
  }

  private void table(TableActions actions, List<ConsistencyViolation> out) {
    String table = actions.table();
    Optional<TableHead> head = catalog.head(table);
    FileReplay replay = FileReplay.of(actions);
    TableActionsChecks.structural(actions, actions.metadata().or(() -> head.map(TableHead::metadata)), replay, out);
    if (actions.actionCount() > config.maxActionsPerTable()) {
      out.add(new TableTransactionTooLarge(table, actions.actionCount(), config.maxActionsPerTable()));
    }
    if (actions.isNewTable()) {
      head.ifPresent(h -> out.add(new TableAlreadyExists(table, h.version())));
      for (RemoveFile remove : replay.baseRemoves()) {
        out.add(new RemovedFileNotActive(table, remove.fileKey()));
      }
      if (actions.metadata().isPresent()) {
        Optional<StructType> schema = parse(table, actions.metadata().get(), out);
        schema.ifPresent(s -> partitionColumnsInSchema(table, actions.metadata().get(), s, out));
        actions.protocol().ifPresent(p -> features(table, p, actions.metadata().get(), schema, out));
      }
      return;
    }
    if (head.isEmpty()) {
      out.add(new TableNotFound(table));
      return;
    }
    TableHead h = head.get();
    if (h.version() != actions.readVersion()) {
      out.add(new VersionMismatch(table, actions.readVersion(), h.version()));
    }
    if (h.diverged()) {
      out.add(new TableDiverged(table));
    }
    if (h.unmirroredVersions() > config.mirrorMaxUnmirroredVersions()) {
      out.add(new MirrorBacklogFull(table, h.unmirroredVersions(), config.mirrorMaxUnmirroredVersions()));
    }
    long activeRemoved = removes(table, replay.baseRemoves(), out);

    Metadata metadata = actions.metadata().orElse(h.metadata());
    Protocol protocol = actions.protocol().orElse(h.protocol());
    if ("true".equalsIgnoreCase(metadata.configuration().get("delta.appendOnly"))) {
      long dataRemoves = replay.baseRemoves().stream().filter(RemoveFile::dataChange).count();
      if (dataRemoves > 0) {
        out.add(new AppendOnlyViolation(table, dataRemoves));
      }
    }
    actions.protocol().ifPresent(p -> {
      if (isDowngrade(h.protocol(), p)) {
        out.add(new ProtocolDowngrade(table, h.protocol(), p));
      }
    });
    Optional<StructType> schema;
    if (actions.metadata().isPresent()) {
      Metadata staged = actions.metadata().get();
      schema = parse(table, staged, out);
      if (!staged.id().equals(h.metadata().id())) {
        out.add(new InvalidMetadata(table, "it changes the table id from " + h.metadata().id() + " to "
            + staged.id() + "; a table keeps its id for life (drop and create it to replace it)"));
      }
      schema.ifPresent(s -> partitionColumnsInSchema(table, staged, s, out));
      boolean keepsData = h.activeFileCount() - activeRemoved > 0;
      if (keepsData && schema.isPresent()) {
        SchemaCompatibility.check(table, catalog.schemaResolver().schemaOf(h.metadata()), schema.get(), out);
      }
      if (keepsData) {
        SchemaCompatibility.checkPartitioning(table, h.metadata().partitionColumns(), staged.partitionColumns(), out);
      }
    } else {
      schema = Optional.of(catalog.schemaResolver().schemaOf(h.metadata()));
    }
    features(table, protocol, metadata, schema, out);
  }

  /** Reports removes of files not active in the catalog; returns how many removed files are active. */
  private long removes(String table, List<RemoveFile> baseRemoves, List<ConsistencyViolation> out) {
    long active = 0;
    int batch = config.batchSize();
    for (int from = 0; from < baseRemoves.size(); from += batch) {
      List<RemoveFile> slice = baseRemoves.subList(from, Math.min(baseRemoves.size(), from + batch));
      List<FileKey> keys = slice.stream().map(RemoveFile::fileKey).toList();
      Set<FileKey> inactive = catalog.inactive(table, keys);
      for (FileKey key : keys) {
        if (inactive.contains(key)) {
          out.add(new RemovedFileNotActive(table, key));
        } else {
          active++;
        }
      }
    }
    return active;
  }

  private Optional<StructType> parse(String table, Metadata metadata, List<ConsistencyViolation> out) {
    try {
      return Optional.of(catalog.schemaResolver().schemaOf(metadata));
    } catch (DeltaException e) {
      out.add(new InvalidMetadata(table, "its schema does not parse: " + e.getMessage()));
      return Optional.empty();
    }
  }

  private static void partitionColumnsInSchema(String table, Metadata metadata, StructType schema,
      List<ConsistencyViolation> out) {
    for (String column : metadata.partitionColumns()) {
      if (schema.field(column).isEmpty()) {
        out.add(new InvalidMetadata(table, "partition column '" + column + "' is not a column of the schema "
            + schema.fieldNames()));
      }
    }
    long distinct = metadata.partitionColumns().stream().map(c -> c.toLowerCase(Locale.ROOT)).distinct().count();
    if (distinct != metadata.partitionColumns().size()) {
      out.add(new InvalidMetadata(table, "partition columns " + metadata.partitionColumns() + " repeat a column"));
    }
  }

  private static void features(String table, Protocol protocol, Metadata metadata, Optional<StructType> schema,
      List<ConsistencyViolation> out) {
    for (String feature : WriterFeatureSupport.unsupported(protocol, metadata, schema)) {
      out.add(new UnsupportedWriterFeature(table, feature));
    }
  }

  /** Whether {@code staged} lowers a version or drops a feature of {@code current}. */
  private static boolean isDowngrade(Protocol current, Protocol staged) {
    return staged.minReaderVersion() < current.minReaderVersion()
        || staged.minWriterVersion() < current.minWriterVersion()
        || !staged.readerFeatures().containsAll(current.readerFeatures())
        || !WriterFeatureSupport.requiredFeatures(staged).containsAll(WriterFeatureSupport.requiredFeatures(current));
  }
}
