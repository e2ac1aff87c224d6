package io.deltasql.core.parquet;

import io.deltasql.core.actions.Action;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/** Writes each action as one checkpoint row: its own column set, every other column null. */
final class ActionWriteSupport extends WriteSupport<Action> {
  private final MessageType schema;
  private RecordConsumer consumer;

  ActionWriteSupport(MessageType schema) {
    this.schema = schema;
  }

  /** Required by Parquet's API (abstract there, though deprecated); same as the other init. */
  @Override
  @SuppressWarnings("deprecation")
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema, Map.of());
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return new WriteContext(schema, Map.of());
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(Action action) {
    ActionColumn column = ActionEncoder.column(action);
    consumer.startMessage();
    new StructWriter(consumer, schema).struct(column.columnName(),
        struct -> ActionEncoder.encode(action, struct));
    consumer.endMessage();
  }
}
