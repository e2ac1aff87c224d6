package io.deltasql.core.txn;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.txn.ConsistencyViolation.DuplicateFile;
import io.deltasql.core.txn.ConsistencyViolation.EmptyActionList;
import io.deltasql.core.txn.ConsistencyViolation.InvalidFileAction;
import io.deltasql.core.txn.ConsistencyViolation.InvalidMetadata;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The checks of one table's actions that need no catalog. */
final class TableActionsChecks {
  private TableActionsChecks() {}

  /**
   * Adds to {@code out}: an empty action list; files staged twice; blank paths and
   * negative sizes; adds whose partition values do not name exactly the partition columns
   * of {@code metadata} (the staged metadata, else the table's); a created table without
   * metadata or protocol.
   */
  static void structural(TableActions actions, Optional<Metadata> metadata, FileReplay replay,
      List<ConsistencyViolation> out) {
    String table = actions.table();
    if (actions.isEmpty()) {
      out.add(new EmptyActionList(table));
    }
    if (actions.isNewTable()) {
      if (actions.metadata().isEmpty()) {
        out.add(new InvalidMetadata(table, "the transaction creates the table (read version -1) but stages"
            + " no metadata; stage the table's schema and partitioning"));
      }
      if (actions.protocol().isEmpty()) {
        out.add(new InvalidMetadata(table, "the transaction creates the table (read version -1) but stages"
            + " no protocol; stage the table's protocol"));
      }
    }
    for (FileReplay.Duplicate d : replay.duplicates()) {
      out.add(new DuplicateFile(table, d.file(), d.action()));
    }
    Optional<PartitionColumns> partitions = metadata.map(m -> new PartitionColumns(m.partitionColumns()));
    for (AddFile add : actions.adds()) {
      if (add.path().isBlank()) {
        out.add(new InvalidFileAction(table, add.path(), "the path is blank"));
      }
      if (add.size() < 0) {
        out.add(new InvalidFileAction(table, add.path(), "its size " + add.size() + " is negative"));
      }
      if (partitions.isPresent()) {
        partitions.get().mismatch(add.partitionValues())
            .ifPresent(why -> out.add(new InvalidFileAction(table, add.path(), why)));
      }
    }
    for (RemoveFile remove : actions.removes()) {
      if (remove.path().isBlank()) {
        out.add(new InvalidFileAction(table, remove.path(), "the path is blank"));
      }
      if (remove.size().filter(s -> s < 0).isPresent()) {
        out.add(new InvalidFileAction(table, remove.path(), "its size " + remove.size().get() + " is negative"));
      }
    }
  }

  /** A table's partition columns, and whether a file's partition values name exactly them. */
  private static final class PartitionColumns {
    private final List<String> names;
    private final Set<String> exact;
    private final Set<String> lower = new HashSet<>();

    PartitionColumns(List<String> names) {
      this.names = names;
      this.exact = Set.copyOf(names);
      names.forEach(n -> lower.add(n.toLowerCase(Locale.ROOT)));
    }

    Optional<String> mismatch(Map<String, String> values) {
      if (values.keySet().equals(exact)) {
        return Optional.empty();
      }
      Set<String> given = new HashSet<>();
      values.keySet().forEach(k -> given.add(k.toLowerCase(Locale.ROOT)));
      if (given.equals(lower) && values.size() == names.size()) {
        return Optional.empty();
      }
      return Optional.of("its partition values name " + values.keySet() + " but the table is partitioned by "
          + names);
    }
  }
}
