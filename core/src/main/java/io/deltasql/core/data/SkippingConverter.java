package io.deltasql.core.data;

import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.Type;

/** Reads a Parquet field and ignores it (a field read only to learn whether its parent is null). */
final class SkippingConverter {
  private SkippingConverter() {}

  static Converter of(Type type) {
    if (type.isPrimitive()) {
      return new IgnoredValues();
    }
    GroupType group = type.asGroupType();
    Converter[] children = new Converter[group.getFieldCount()];
    for (int i = 0; i < children.length; i++) {
      children[i] = of(group.getType(i));
    }
    return new GroupConverter() {
      @Override
      public Converter getConverter(int fieldIndex) {
        return children[fieldIndex];
      }

      @Override
      public void start() {}

      @Override
      public void end() {}
    };
  }

  /** Accepts every value of a primitive column and drops it. */
  private static final class IgnoredValues extends PrimitiveConverter {
    @Override
    public void addBinary(org.apache.parquet.io.api.Binary value) {}

    @Override
    public void addBoolean(boolean value) {}

    @Override
    public void addDouble(double value) {}

    @Override
    public void addFloat(float value) {}

    @Override
    public void addInt(int value) {}

    @Override
    public void addLong(long value) {}
  }
}
