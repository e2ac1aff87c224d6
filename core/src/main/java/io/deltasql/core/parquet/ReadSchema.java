package io.deltasql.core.parquet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The requested (read) schema for one checkpoint file: the projected action columns that
 * the file has, each cut down to the fields the decoder uses. Writers differ (Spark,
 * delta-rs, Databricks: field order, {@code key_value} or {@code entries} map groups,
 * optional {@code stats_parsed}); only names matter here.
 */
final class ReadSchema {
  private static final String STATS = "stats";
  private static final String STATS_PARSED = "stats_parsed";

  private ReadSchema() {}

  /**
   * The schema to read from {@code file}, or empty when the file has none of the projected
   * columns (nothing to read).
   *
   * @throws io.deltasql.core.errors.DeltaException {@code XX001} when the file cannot be a
   *     checkpoint: no {@code add} column (nor, for a V2 checkpoint, {@code sidecar}), or an
   *     action column without a field every such action has
   */
  static Optional<MessageType> project(MessageType file, CheckpointProjection projection,
      String path) {
    if (!file.containsField(ActionColumn.ADD.columnName())
        && !file.containsField(ActionColumn.SIDECAR.columnName())) {
      throw CheckpointErrors.missingColumn(path, ActionColumn.ADD.columnName());
    }
    List<Type> kept = new ArrayList<>();
    for (ActionColumn column : ActionColumn.values()) {
      if (projection.includes(column) && file.containsField(column.columnName())) {
        kept.add(projectColumn(file.getType(column.columnName()), column, projection.stats(), path));
      }
    }
    return kept.isEmpty() ? Optional.empty() : Optional.of(new MessageType(file.getName(), kept));
  }

  private static GroupType projectColumn(Type type, ActionColumn column, boolean stats,
      String path) {
    if (type.isPrimitive()) {
      throw CheckpointErrors.notAStruct(path, column.columnName());
    }
    GroupType group = type.asGroupType();
    for (String required : column.requiredFields()) {
      if (!group.containsField(required)) {
        throw CheckpointErrors.missingField(path, column.columnName(), required);
      }
    }
    List<Type> fields = new ArrayList<>();
    for (Type field : group.getFields()) {
      String name = field.getName();
      boolean wanted = column.knownFields().contains(name)
          && (stats || !(name.equals(STATS) || name.equals(STATS_PARSED)));
      if (wanted) {
        fields.add(field);
      }
    }
    return group.withNewFields(fields);
  }
}
