package io.deltasql.core.parquet;

import static io.deltasql.core.parquet.GroupValues.bool;
import static io.deltasql.core.parquet.GroupValues.integer;
import static io.deltasql.core.parquet.GroupValues.requiredInt;
import static io.deltasql.core.parquet.GroupValues.requiredLong;
import static io.deltasql.core.parquet.GroupValues.requiredString;
import static io.deltasql.core.parquet.GroupValues.string;
import static io.deltasql.core.parquet.GroupValues.stringList;
import static io.deltasql.core.parquet.GroupValues.stringMap;
import static io.deltasql.core.parquet.GroupValues.stringSet;
import static io.deltasql.core.parquet.GroupValues.struct;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.actions.Sidecar;
import java.util.function.Consumer;
import org.apache.parquet.example.data.Group;

/**
 * Turns one checkpoint row (read with a {@link ReadSchema}) into its actions. A row holds
 * one action; a row whose projected columns are all null (an action kind that was not
 * projected, or one this reader does not know) yields none.
 */
final class ActionDecoder {
  private final boolean withStats;

  ActionDecoder(boolean withStats) {
    this.withStats = withStats;
  }

  /** Passes each non-null action of {@code row} to {@code sink}, in column order. */
  void decode(Group row, Consumer<Action> sink) {
    int columns = row.getType().getFieldCount();
    for (int i = 0; i < columns; i++) {
      if (row.getFieldRepetitionCount(i) > 0) {
        String name = row.getType().getFieldName(i);
        ActionColumn column = ActionColumn.byName(name).orElseThrow(
            () -> new IllegalStateException("column " + name + " is not in the read schema"));
        sink.accept(decode(column, row.getGroup(i, 0)));
      }
    }
  }

  private Action decode(ActionColumn column, Group value) {
    return switch (column) {
      case ADD -> FileActionDecoder.add(value, withStats);
      case REMOVE -> FileActionDecoder.remove(value, withStats);
      case METADATA -> metadata(value);
      case PROTOCOL -> protocol(value);
      case TXN -> new SetTransaction(
          requiredString(value, "txn", "appId"),
          requiredLong(value, "txn", "version"),
          integer(value, "lastUpdated"));
      case DOMAIN_METADATA -> new DomainMetadata(
          requiredString(value, "domainMetadata", "domain"),
          requiredString(value, "domainMetadata", "configuration"),
          bool(value, "removed").orElse(false));
      case CHECKPOINT_METADATA -> new CheckpointMetadata(
          requiredLong(value, "checkpointMetadata", "version"),
          stringMap(value, "tags"));
      case SIDECAR -> new Sidecar(
          requiredString(value, "sidecar", "path"),
          requiredLong(value, "sidecar", "sizeInBytes"),
          requiredLong(value, "sidecar", "modificationTime"),
          stringMap(value, "tags"));
    };
  }

  private static Metadata metadata(Group value) {
    Format format = struct(value, "format")
        .map(f -> new Format(string(f, "provider").orElse(Format.PARQUET.provider()),
            stringMap(f, "options")))
        .orElse(Format.PARQUET);
    return new Metadata(
        requiredString(value, "metaData", "id"),
        string(value, "name"),
        string(value, "description"),
        format,
        requiredString(value, "metaData", "schemaString"),
        stringList(value, "metaData", "partitionColumns"),
        stringMap(value, "configuration"),
        integer(value, "createdTime"));
  }

  private static Protocol protocol(Group value) {
    return new Protocol(
        requiredInt(value, "protocol", "minReaderVersion"),
        requiredInt(value, "protocol", "minWriterVersion"),
        stringSet(value, "protocol", "readerFeatures"),
        stringSet(value, "protocol", "writerFeatures"));
  }
}
