package io.deltasql.planner;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Delta types as SQL types and back.
 *
 * <table>
 *   <caption>Delta type to SQL type</caption>
 *   <tr><th>Delta</th><th>SQL</th></tr>
 *   <tr><td>string</td><td>VARCHAR</td></tr>
 *   <tr><td>long, integer, short, byte</td><td>BIGINT, INTEGER, SMALLINT, TINYINT</td></tr>
 *   <tr><td>float, double</td><td>REAL, DOUBLE</td></tr>
 *   <tr><td>decimal(p,s)</td><td>DECIMAL(p,s)</td></tr>
 *   <tr><td>boolean, binary, date</td><td>BOOLEAN, VARBINARY, DATE</td></tr>
 *   <tr><td>timestamp, timestamp_ntz</td><td>TIMESTAMP(3): an instant as its UTC wall-clock
 *       time; a local date-time as it is</td></tr>
 *   <tr><td>array, map, struct</td><td>ARRAY, MAP, ROW</td></tr>
 *   <tr><td>variant</td><td>VARCHAR (reading it is refused with 0A000)</td></tr>
 * </table>
 *
 * Back from SQL (column definitions, {@code CREATE TABLE AS}): CHAR and VARCHAR are string,
 * FLOAT and REAL are float (Spark's meaning of FLOAT), TIMESTAMP and TIMESTAMP WITH LOCAL TIME
 * ZONE are timestamp, and {@code TIMESTAMP_NTZ} is timestamp_ntz. Other SQL types (TIME,
 * intervals, ...) have no Delta type and are refused with {@code 0A000}.
 */
public final class DeltaTypes {
  /** Milliseconds: what Calcite's TIMESTAMP values carry. */
  static final int TIMESTAMP_PRECISION = 3;

  private DeltaTypes() {}

  /** The SQL row type of a table schema. */
  public static RelDataType rowType(StructType schema, RelDataTypeFactory factory) {
    List<String> names = new ArrayList<>();
    List<RelDataType> types = new ArrayList<>();
    for (StructField field : schema.fields()) {
      names.add(field.name());
      types.add(sqlType(field.type(), field.nullable(), factory));
    }
    return factory.createStructType(types, names);
  }

  /** The SQL type of a Delta type. */
  public static RelDataType sqlType(DataType type, boolean nullable, RelDataTypeFactory factory) {
    RelDataType sql;
    if (type instanceof DecimalType decimal) {
      sql = factory.createSqlType(SqlTypeName.DECIMAL, decimal.precision(), decimal.scale());
    } else if (type instanceof ArrayType array) {
      sql = factory.createArrayType(sqlType(array.elementType(), array.containsNull(), factory), -1);
    } else if (type instanceof MapType map) {
      sql = factory.createMapType(sqlType(map.keyType(), false, factory),
          sqlType(map.valueType(), map.valueContainsNull(), factory));
    } else if (type instanceof StructType struct) {
      sql = rowType(struct, factory);
    } else {
      sql = switch ((PrimitiveType) type) {
        case STRING -> factory.createSqlType(SqlTypeName.VARCHAR);
        case LONG -> factory.createSqlType(SqlTypeName.BIGINT);
        case INTEGER -> factory.createSqlType(SqlTypeName.INTEGER);
        case SHORT -> factory.createSqlType(SqlTypeName.SMALLINT);
        case BYTE -> factory.createSqlType(SqlTypeName.TINYINT);
        case FLOAT -> factory.createSqlType(SqlTypeName.REAL);
        case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
        case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
        case BINARY -> factory.createSqlType(SqlTypeName.VARBINARY);
        case DATE -> factory.createSqlType(SqlTypeName.DATE);
        case TIMESTAMP, TIMESTAMP_NTZ -> factory.createSqlType(SqlTypeName.TIMESTAMP, TIMESTAMP_PRECISION);
        case VARIANT -> factory.createSqlType(SqlTypeName.VARCHAR); // reading it is refused (0A000)
      };
    }
    return factory.createTypeWithNullability(sql, nullable);
  }

  /**
   * The Delta type of a SQL type.
   *
   * @param ntz whether a TIMESTAMP was written {@code TIMESTAMP_NTZ}
   * @param column the column's name, for the error
   * @throws DeltaException {@code 0A000} if Delta has no such type
   */
  public static DataType deltaType(RelDataType type, boolean ntz, String column) {
    SqlTypeName name = type.getSqlTypeName();
    return switch (name) {
      case CHAR, VARCHAR -> PrimitiveType.STRING;
      case BIGINT -> PrimitiveType.LONG;
      case INTEGER -> PrimitiveType.INTEGER;
      case SMALLINT -> PrimitiveType.SHORT;
      case TINYINT -> PrimitiveType.BYTE;
      case FLOAT, REAL -> PrimitiveType.FLOAT;
      case DOUBLE -> PrimitiveType.DOUBLE;
      case BOOLEAN -> PrimitiveType.BOOLEAN;
      case BINARY, VARBINARY -> PrimitiveType.BINARY;
      case DATE -> PrimitiveType.DATE;
      case TIMESTAMP -> ntz ? PrimitiveType.TIMESTAMP_NTZ : PrimitiveType.TIMESTAMP;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> PrimitiveType.TIMESTAMP;
      case DECIMAL -> decimal(type, column);
      case ARRAY -> new ArrayType(deltaType(type.getComponentType(), false, column),
          type.getComponentType().isNullable());
      case MAP -> new MapType(deltaType(type.getKeyType(), false, column),
          deltaType(type.getValueType(), false, column), type.getValueType().isNullable());
      case ROW -> struct(type, column);
      case NULL -> throw new DeltaException(SqlState.DATATYPE_MISMATCH,
          "Column '" + column + "' has no type (NULL): cast it, e.g. CAST(NULL AS VARCHAR)");
      default -> throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED,
          "Column '" + column + "' has type " + type.getFullTypeString()
              + ", which Delta tables cannot store");
    };
  }

  /** The Delta schema of a SQL row type (a query's columns, for {@code CREATE TABLE AS}). */
  public static StructType schema(RelDataType rowType) {
    List<StructField> fields = new ArrayList<>();
    for (RelDataTypeField field : rowType.getFieldList()) {
      fields.add(field(field.getName(), deltaType(field.getType(), false, field.getName()),
          field.getType().isNullable()));
    }
    return new StructType(fields);
  }

  private static StructField field(String name, DataType type, boolean nullable) {
    return new StructField(name, type, nullable, JsonNodeFactory.instance.objectNode());
  }

  private static DataType decimal(RelDataType type, String column) {
    if (type.getPrecision() > DecimalType.MAX_PRECISION || type.getScale() < 0) {
      throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED, "Column '" + column + "' has type "
          + type.getFullTypeString() + "; Delta decimals have at most 38 digits and a scale >= 0");
    }
    return new DecimalType(type.getPrecision(), type.getScale());
  }

  private static StructType struct(RelDataType type, String column) {
    List<StructField> fields = new ArrayList<>();
    for (RelDataTypeField field : type.getFieldList()) {
      fields.add(field(field.getName(),
          deltaType(field.getType(), false, column + "." + field.getName()), field.getType().isNullable()));
    }
    return new StructType(fields);
  }
}
