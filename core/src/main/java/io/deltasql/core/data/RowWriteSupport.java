package io.deltasql.core.data;

import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;

/**
 * Writes rows of a table's data columns (checked beforehand by {@link RowChecker}) to Parquet
 * in the schema of {@link ParquetSchemas}.
 */
final class RowWriteSupport extends WriteSupport<Object[]> {
  private final StructType columns;
  private final MessageType schema;
  private RecordConsumer consumer;

  RowWriteSupport(StructType columns, MessageType schema) {
    this.columns = columns;
    this.schema = schema;
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return new WriteContext(schema, Map.of("writer.name", "deltasql"));
  }

  @Override
  @SuppressWarnings("deprecation")
  public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
    return new WriteContext(schema, Map.of("writer.name", "deltasql"));
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(Object[] row) {
    consumer.startMessage();
    writeFields(columns, schema, row);
    consumer.endMessage();
  }

  private void writeFields(StructType struct, GroupType group, Object[] values) {
    List<StructField> fields = struct.fields();
    for (int i = 0; i < fields.size(); i++) {
      Object value = values[i];
      if (value != null) {
        String name = group.getFieldName(i);
        consumer.startField(name, i);
        writeValue(fields.get(i).type(), group.getType(i), value);
        consumer.endField(name, i);
      }
    }
  }

  private void writeValue(DataType type, org.apache.parquet.schema.Type parquet, Object value) {
    if (type instanceof StructType struct) {
      consumer.startGroup();
      writeFields(struct, parquet.asGroupType(), (Object[]) value);
      consumer.endGroup();
    } else if (type instanceof ArrayType array) {
      writeList(array, parquet.asGroupType(), (List<?>) value);
    } else if (type instanceof MapType map) {
      writeMap(map, parquet.asGroupType(), (Map<?, ?>) value);
    } else if (type instanceof DecimalType decimal) {
      writeDecimal(decimal, (BigDecimal) value);
    } else {
      writePrimitive((PrimitiveType) type, value);
    }
  }

  private void writeList(ArrayType type, GroupType parquet, List<?> elements) {
    consumer.startGroup();
    if (!elements.isEmpty()) {
      GroupType repeated = parquet.getType(0).asGroupType();
      consumer.startField(ParquetSchemas.LIST, 0);
      for (Object element : elements) {
        consumer.startGroup();
        if (element != null) {
          consumer.startField(ParquetSchemas.ELEMENT, 0);
          writeValue(type.elementType(), repeated.getType(0), element);
          consumer.endField(ParquetSchemas.ELEMENT, 0);
        }
        consumer.endGroup();
      }
      consumer.endField(ParquetSchemas.LIST, 0);
    }
    consumer.endGroup();
  }

  private void writeMap(MapType type, GroupType parquet, Map<?, ?> entries) {
    consumer.startGroup();
    if (!entries.isEmpty()) {
      GroupType keyValue = parquet.getType(0).asGroupType();
      consumer.startField(ParquetSchemas.KEY_VALUE, 0);
      for (Map.Entry<?, ?> entry : entries.entrySet()) {
        consumer.startGroup();
        consumer.startField(ParquetSchemas.KEY, 0);
        writeValue(type.keyType(), keyValue.getType(0), entry.getKey());
        consumer.endField(ParquetSchemas.KEY, 0);
        if (entry.getValue() != null) {
          consumer.startField(ParquetSchemas.VALUE, 1);
          writeValue(type.valueType(), keyValue.getType(1), entry.getValue());
          consumer.endField(ParquetSchemas.VALUE, 1);
        }
        consumer.endGroup();
      }
      consumer.endField(ParquetSchemas.KEY_VALUE, 0);
    }
    consumer.endGroup();
  }

  private void writeDecimal(DecimalType type, BigDecimal value) {
    java.math.BigInteger unscaled =
        value.setScale(type.scale(), RoundingMode.UNNECESSARY).unscaledValue();
    if (type.precision() <= 9) {
      consumer.addInteger(unscaled.intValueExact());
    } else if (type.precision() <= 18) {
      consumer.addLong(unscaled.longValueExact());
    } else {
      byte[] minimal = unscaled.toByteArray();
      byte[] fixed = new byte[ParquetSchemas.decimalBytes(type.precision())];
      byte pad = (byte) (unscaled.signum() < 0 ? -1 : 0);
      int offset = fixed.length - minimal.length;
      for (int i = 0; i < offset; i++) {
        fixed[i] = pad;
      }
      System.arraycopy(minimal, 0, fixed, offset, minimal.length);
      consumer.addBinary(Binary.fromConstantByteArray(fixed));
    }
  }

  private void writePrimitive(PrimitiveType type, Object value) {
    switch (type) {
      case BOOLEAN -> consumer.addBoolean((Boolean) value);
      case BYTE -> consumer.addInteger((Byte) value);
      case SHORT -> consumer.addInteger((Short) value);
      case INTEGER -> consumer.addInteger((Integer) value);
      case LONG -> consumer.addLong((Long) value);
      case FLOAT -> consumer.addFloat((Float) value);
      case DOUBLE -> consumer.addDouble((Double) value);
      case STRING -> consumer.addBinary(Binary.fromString((String) value));
      case BINARY -> consumer.addBinary(Binary.fromReusedByteArray((byte[]) value));
      case DATE -> consumer.addInteger(Math.toIntExact(((LocalDate) value).toEpochDay()));
      case TIMESTAMP -> consumer.addLong(JavaValues.micros((Instant) value));
      case TIMESTAMP_NTZ -> consumer.addLong(JavaValues.micros((LocalDateTime) value));
      case VARIANT -> throw DataErrors.unsupported("deltasql cannot write variant values");
    }
  }
}
