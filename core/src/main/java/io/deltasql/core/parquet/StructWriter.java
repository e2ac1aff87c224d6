package io.deltasql.core.parquet;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;

/**
 * Writes the fields of one struct of the checkpoint schema by name to a Parquet
 * {@link RecordConsumer}. A null or empty optional value writes nothing, which Parquet
 * reads back as null.
 */
final class StructWriter {
  private final RecordConsumer consumer;
  private final GroupType type;

  StructWriter(RecordConsumer consumer, GroupType type) {
    this.consumer = consumer;
    this.type = type;
  }

  void string(String name, String value) {
    if (value != null) {
      int index = start(name);
      consumer.addBinary(Binary.fromString(value));
      consumer.endField(name, index);
    }
  }

  void string(String name, Optional<String> value) {
    value.ifPresent(v -> string(name, v));
  }

  void int64(String name, long value) {
    int index = start(name);
    consumer.addLong(value);
    consumer.endField(name, index);
  }

  void int64(String name, Optional<Long> value) {
    value.ifPresent(v -> int64(name, v));
  }

  void int32(String name, int value) {
    int index = start(name);
    consumer.addInteger(value);
    consumer.endField(name, index);
  }

  void bool(String name, boolean value) {
    int index = start(name);
    consumer.addBoolean(value);
    consumer.endField(name, index);
  }

  /** A nested struct whose fields {@code body} writes. */
  void struct(String name, Consumer<StructWriter> body) {
    int index = start(name);
    consumer.startGroup();
    body.accept(new StructWriter(consumer, type.getType(index).asGroupType()));
    consumer.endGroup();
    consumer.endField(name, index);
  }

  /** A {@code map<string,string>}; an empty map is written as an empty map, not null. */
  void stringMap(String name, Map<String, String> map) {
    struct(name, entries -> entries.repeated(map.entrySet(), (entry, kv) -> {
      kv.string("key", entry.getKey());
      kv.string("value", entry.getValue());
    }));
  }

  /** A {@code list<string>}, written with the standard three-level layout. */
  void stringList(String name, Collection<String> values) {
    struct(name, list -> list.repeated(values, (value, element) -> element.string("element", value)));
  }

  /** The single repeated group of a map or list, one group per value. */
  private <T> void repeated(Collection<T> values, BiConsumer<T, StructWriter> body) {
    if (values.isEmpty()) {
      return;
    }
    GroupType repeated = type.getType(0).asGroupType();
    String name = repeated.getName();
    consumer.startField(name, 0);
    for (T value : values) {
      consumer.startGroup();
      body.accept(value, new StructWriter(consumer, repeated));
      consumer.endGroup();
    }
    consumer.endField(name, 0);
  }

  private int start(String name) {
    int index = type.getFieldIndex(name);
    consumer.startField(name, index);
    return index;
  }
}
