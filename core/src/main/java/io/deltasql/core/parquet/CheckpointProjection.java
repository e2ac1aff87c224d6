package io.deltasql.core.parquet;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which parts of a checkpoint to read. Parquet reads only the column chunks of the
 * projected columns, so a metadata-only read of a large checkpoint skips the file actions
 * entirely, and a read without stats skips the largest column of {@code add}.
 *
 * @param columns the action columns to read; actions of other columns are not returned
 * @param stats whether to read {@code add.stats}/{@code remove.stats}; without them the
 *     actions' {@code stats} are empty
 */
public record CheckpointProjection(Set<ActionColumn> columns, boolean stats) {
  /** Everything, stats included. */
  public static final CheckpointProjection ALL =
      new CheckpointProjection(EnumSet.allOf(ActionColumn.class), true);

  /** Everything but the per-file statistics. */
  public static final CheckpointProjection WITHOUT_STATS = ALL.withoutStats();

  /** Only what is not a file action: protocol, metadata, txn, domains, V2 checkpoint parts. */
  public static final CheckpointProjection NON_FILE_ACTIONS = new CheckpointProjection(
      EnumSet.complementOf(EnumSet.of(ActionColumn.ADD, ActionColumn.REMOVE)), false);

  public CheckpointProjection {
    columns = Set.copyOf(Objects.requireNonNull(columns, "columns"));
  }

  /** The given columns, with stats. */
  public static CheckpointProjection of(ActionColumn first, ActionColumn... rest) {
    return new CheckpointProjection(EnumSet.of(first, rest), true);
  }

  /** This projection without the per-file statistics. */
  public CheckpointProjection withoutStats() {
    return new CheckpointProjection(columns, false);
  }

  /** Whether actions of this column are read. */
  public boolean includes(ActionColumn column) {
    return columns.contains(column);
  }
}
