package io.deltasql.core.data;

import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * The Parquet schema deltasql writes for a table's data columns, as Spark writes it (not its
 * legacy format): integers as INT32 with their width, timestamps as INT64 microseconds
 * ({@code isAdjustedToUTC} true for {@code timestamp}, false for {@code timestamp_ntz}),
 * decimals as INT32, INT64 or fixed-length bytes by precision, three-level lists and
 * {@code key_value} maps. Non-nullable columns are REQUIRED. With column mapping, fields carry
 * their physical names and field ids.
 */
final class ParquetSchemas {
  static final String LIST = "list";
  static final String ELEMENT = "element";
  static final String KEY_VALUE = "key_value";
  static final String KEY = "key";
  static final String VALUE = "value";

  private ParquetSchemas() {}

  static MessageType of(List<StructField> dataColumns, ColumnMappingMode mode) {
    return new MessageType("spark_schema", fields(dataColumns, mode));
  }

  private static List<Type> fields(List<StructField> fields, ColumnMappingMode mode) {
    List<Type> types = new ArrayList<>();
    for (StructField field : fields) {
      String name = mode == ColumnMappingMode.NONE ? field.name() : field.physicalName();
      Type type = type(field.type(), name, repetition(field.nullable()), mode);
      if (mode != ColumnMappingMode.NONE && field.columnMappingId().isPresent()) {
        type = type.withId(Math.toIntExact(field.columnMappingId().get()));
      }
      types.add(type);
    }
    return types;
  }

  private static Repetition repetition(boolean nullable) {
    return nullable ? Repetition.OPTIONAL : Repetition.REQUIRED;
  }

  private static Type type(DataType type, String name, Repetition repetition,
      ColumnMappingMode mode) {
    if (type instanceof StructType struct) {
      return new GroupType(repetition, name, fields(struct.fields(), mode));
    }
    if (type instanceof ArrayType array) {
      Type element = type(array.elementType(), ELEMENT, repetition(array.containsNull()), mode);
      return Types.buildGroup(repetition).as(LogicalTypeAnnotation.listType())
          .addField(new GroupType(Repetition.REPEATED, LIST, element)).named(name);
    }
    if (type instanceof MapType map) {
      Type key = type(map.keyType(), KEY, Repetition.REQUIRED, mode);
      Type value = type(map.valueType(), VALUE, repetition(map.valueContainsNull()), mode);
      return Types.buildGroup(repetition).as(LogicalTypeAnnotation.mapType())
          .addField(new GroupType(Repetition.REPEATED, KEY_VALUE, key, value)).named(name);
    }
    if (type instanceof DecimalType decimal) {
      LogicalTypeAnnotation annotation =
          LogicalTypeAnnotation.decimalType(decimal.scale(), decimal.precision());
      if (decimal.precision() <= 9) {
        return Types.primitive(PrimitiveTypeName.INT32, repetition).as(annotation).named(name);
      }
      if (decimal.precision() <= 18) {
        return Types.primitive(PrimitiveTypeName.INT64, repetition).as(annotation).named(name);
      }
      return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition)
          .length(decimalBytes(decimal.precision())).as(annotation).named(name);
    }
    return switch ((PrimitiveType) type) {
      case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
      case BYTE -> Types.primitive(PrimitiveTypeName.INT32, repetition)
          .as(LogicalTypeAnnotation.intType(8, true)).named(name);
      case SHORT -> Types.primitive(PrimitiveTypeName.INT32, repetition)
          .as(LogicalTypeAnnotation.intType(16, true)).named(name);
      case INTEGER -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
      case LONG -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
      case FLOAT -> Types.primitive(PrimitiveTypeName.FLOAT, repetition).named(name);
      case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
      case STRING -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
          .as(LogicalTypeAnnotation.stringType()).named(name);
      case BINARY -> Types.primitive(PrimitiveTypeName.BINARY, repetition).named(name);
      case DATE -> Types.primitive(PrimitiveTypeName.INT32, repetition)
          .as(LogicalTypeAnnotation.dateType()).named(name);
      case TIMESTAMP -> Types.primitive(PrimitiveTypeName.INT64, repetition)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
          .named(name);
      case TIMESTAMP_NTZ -> Types.primitive(PrimitiveTypeName.INT64, repetition)
          .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS))
          .named(name);
      case VARIANT -> throw DataErrors.unsupported("Column '" + name
          + "' is a variant; deltasql cannot write variant values");
    };
  }

  /** The fewest bytes whose two's complement holds every unscaled value of {@code precision}. */
  static int decimalBytes(int precision) {
    java.math.BigInteger max = java.math.BigInteger.TEN.pow(precision);
    int bytes = 1;
    while (java.math.BigInteger.ONE.shiftLeft(8 * bytes - 1).compareTo(max) < 0) {
      bytes++;
    }
    return bytes;
  }
}
