package io.deltasql.core.data;

import java.util.function.Consumer;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;

/**
 * Receives the values of one Parquet primitive column and hands their Java values to a sink.
 * Dictionary-encoded columns are decoded once per dictionary entry.
 */
final class LeafConverter extends PrimitiveConverter {
  private final ValueDecoder decoder;
  private final Consumer<Object> sink;
  private Object[] dictionary;

  LeafConverter(ValueDecoder decoder, Consumer<Object> sink) {
    this.decoder = decoder;
    this.sink = sink;
  }

  @Override
  public boolean hasDictionarySupport() {
    return true;
  }

  @Override
  public void setDictionary(Dictionary values) {
    dictionary = new Object[values.getMaxId() + 1];
    for (int id = 0; id < dictionary.length; id++) {
      dictionary[id] = decoder.fromDictionary(values, id);
    }
  }

  @Override
  public void addValueFromDictionary(int dictionaryId) {
    sink.accept(dictionary[dictionaryId]);
  }

  @Override
  public void addInt(int value) {
    sink.accept(decoder.fromInt(value));
  }

  @Override
  public void addLong(long value) {
    sink.accept(decoder.fromLong(value));
  }

  @Override
  public void addFloat(float value) {
    sink.accept(decoder.fromDouble(value));
  }

  @Override
  public void addDouble(double value) {
    sink.accept(decoder.fromDouble(value));
  }

  @Override
  public void addBoolean(boolean value) {
    sink.accept(value);
  }

  @Override
  public void addBinary(Binary value) {
    sink.accept(decoder.fromBinary(value));
  }
}
