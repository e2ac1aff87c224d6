package io.deltasql.planner;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Values between the data files' Java classes (see {@code io.deltasql.core.data}) and
 * Calcite's internal representation: DATE as {@code Integer} days since the epoch,
 * TIMESTAMP as {@code Long} milliseconds (an instant as its UTC wall clock), VARBINARY as
 * {@link ByteString}, ROW as {@code Object[]}.
 *
 * <p>Towards Delta, conversions are exact or refused: a number out of its column's range or a
 * decimal that would need rounding is {@code 22003} naming the column; a value of an
 * unexpected class is {@code 42804}.
 */
public final class SqlValues {
  private SqlValues() {}

  /** Whether {@link #toSql} hands values of {@code type} on as they are. */
  public static boolean isSame(DataType type) {
    if (type instanceof PrimitiveType primitive) {
      return switch (primitive) {
        case BINARY, DATE, TIMESTAMP, TIMESTAMP_NTZ -> false;
        default -> true;
      };
    }
    return type instanceof DecimalType;
  }

  /** A data file value as Calcite represents it. */
  public static Object toSql(DataType type, Object value) {
    if (value == null) {
      return null;
    }
    if (type instanceof PrimitiveType primitive) {
      return switch (primitive) {
        case BINARY -> new ByteString((byte[]) value);
        case DATE -> (int) ((LocalDate) value).toEpochDay();
        case TIMESTAMP -> ((Instant) value).toEpochMilli();
        case TIMESTAMP_NTZ -> ((LocalDateTime) value).toInstant(ZoneOffset.UTC).toEpochMilli();
        default -> value;
      };
    }
    if (type instanceof StructType struct) {
      Object[] in = (Object[]) value;
      Object[] out = new Object[in.length];
      for (int i = 0; i < in.length; i++) {
        out[i] = toSql(struct.fields().get(i).type(), in[i]);
      }
      return out;
    }
    if (type instanceof ArrayType array) {
      List<Object> out = new ArrayList<>();
      for (Object element : (List<?>) value) {
        out.add(toSql(array.elementType(), element));
      }
      return out;
    }
    if (type instanceof MapType map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      // JDBC hands a map out as it is: a struct in it becomes a List, which prints and serializes.
      ((Map<?, ?>) value).forEach((k, v) -> out.put(inMap(toSql(map.keyType(), k)), inMap(toSql(map.valueType(), v))));
      return out;
    }
    return value;
  }

  private static Object inMap(Object value) {
    return value instanceof Object[] struct ? Arrays.asList(struct) : value;
  }

  /**
   * A Calcite value as the data files store it in a column of {@code type}.
   *
   * @param column the column's name, for errors
   */
  public static Object toDelta(DataType type, Object value, String column) {
    if (value == null) {
      return null;
    }
    if (type instanceof DecimalType decimal) {
      return decimal(decimal, value, column);
    }
    if (type instanceof StructType struct) {
      return struct(struct, value, column);
    }
    if (type instanceof ArrayType array) {
      List<Object> out = new ArrayList<>();
      for (Object element : list(value, column)) {
        out.add(toDelta(array.elementType(), element, column));
      }
      return Collections.unmodifiableList(out);
    }
    if (type instanceof MapType map) {
      if (!(value instanceof Map<?, ?> in)) {
        throw mismatch(type, value, column);
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      in.forEach((k, v) -> out.put(toDelta(map.keyType(), k, column), toDelta(map.valueType(), v, column)));
      return Collections.unmodifiableMap(out);
    }
    PrimitiveType primitive = (PrimitiveType) type;
    return switch (primitive) {
      case STRING -> {
        if (value instanceof String || value instanceof Character) {
          yield value.toString();
        }
        throw mismatch(type, value, column);
      }
      case LONG -> integral(value, Long.MIN_VALUE, Long.MAX_VALUE, type, column).longValue();
      case INTEGER -> (int) integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE, type, column).longValue();
      case SHORT -> (short) integral(value, Short.MIN_VALUE, Short.MAX_VALUE, type, column).longValue();
      case BYTE -> (byte) integral(value, Byte.MIN_VALUE, Byte.MAX_VALUE, type, column).longValue();
      case FLOAT -> {
        if (value instanceof Number n) {
          yield n.floatValue();
        }
        throw mismatch(type, value, column);
      }
      case DOUBLE -> {
        if (value instanceof Number n) {
          yield n.doubleValue();
        }
        throw mismatch(type, value, column);
      }
      case BOOLEAN -> {
        if (value instanceof Boolean) {
          yield value;
        }
        throw mismatch(type, value, column);
      }
      case BINARY -> binary(value, type, column);
      case DATE -> date(value, type, column);
      case TIMESTAMP -> Instant.ofEpochMilli(millis(value, type, column));
      case TIMESTAMP_NTZ -> LocalDateTime.ofInstant(Instant.ofEpochMilli(millis(value, type, column)), ZoneOffset.UTC);
      case VARIANT -> throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED,
          "Column '" + column + "' is a variant column; deltasql cannot write variant values");
    };
  }

  private static BigInteger integral(Object value, long min, long max, DataType type, String column) {
    BigInteger big;
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      big = BigInteger.valueOf(((Number) value).longValue());
    } else if (value instanceof BigDecimal decimal) {
      try {
        big = decimal.toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw outOfRange(type, value, column);
      }
    } else {
      throw mismatch(type, value, column);
    }
    if (big.compareTo(BigInteger.valueOf(min)) < 0 || big.compareTo(BigInteger.valueOf(max)) > 0) {
      throw outOfRange(type, value, column);
    }
    return big;
  }

  private static BigDecimal decimal(DecimalType type, Object value, String column) {
    BigDecimal in;
    if (value instanceof BigDecimal decimal) {
      in = decimal;
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      in = BigDecimal.valueOf(((Number) value).longValue());
    } else {
      throw mismatch(type, value, column);
    }
    BigDecimal out;
    try {
      out = in.setScale(type.scale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw outOfRange(type, value, column);
    }
    if (out.precision() - out.scale() > type.precision() - type.scale()) {
      throw outOfRange(type, value, column);
    }
    return out;
  }

  private static Object[] struct(StructType type, Object value, String column) {
    List<?> in = list(value, column);
    if (in.size() != type.fields().size()) {
      throw mismatch(type, value, column);
    }
    Object[] out = new Object[in.size()];
    for (int i = 0; i < out.length; i++) {
      StructField field = type.fields().get(i);
      out[i] = toDelta(field.type(), in.get(i), column + "." + field.name());
      if (out[i] == null && !field.nullable()) {
        throw new DeltaException(SqlState.NOT_NULL_VIOLATION,
            "NULL in field '" + column + "." + field.name() + "', which is NOT NULL");
      }
    }
    return out;
  }

  private static List<?> list(Object value, String column) {
    if (value instanceof List<?> list) {
      return list;
    }
    if (value instanceof Object[] array) {
      return Arrays.asList(array);
    }
    throw new DeltaException(SqlState.DATATYPE_MISMATCH,
        "Column '" + column + "' expects a collection, got " + describe(value));
  }

  private static byte[] binary(Object value, DataType type, String column) {
    if (value instanceof ByteString bytes) {
      return bytes.getBytes();
    }
    if (value instanceof byte[] bytes) {
      return bytes.clone();
    }
    if (value instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    throw mismatch(type, value, column);
  }

  private static LocalDate date(Object value, DataType type, String column) {
    if (value instanceof Integer days) {
      return LocalDate.ofEpochDay(days);
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate();
    }
    if (value instanceof LocalDate date) {
      return date;
    }
    throw mismatch(type, value, column);
  }

  private static long millis(Object value, DataType type, String column) {
    if (value instanceof Long millis) {
      return millis;
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return timestamp.getTime();
    }
    if (value instanceof Instant instant) {
      return instant.toEpochMilli();
    }
    throw mismatch(type, value, column);
  }

  private static DeltaException mismatch(DataType type, Object value, String column) {
    return new DeltaException(SqlState.DATATYPE_MISMATCH,
        "Column '" + column + "' of type " + type.typeName() + " cannot hold " + describe(value));
  }

  private static DeltaException outOfRange(DataType type, Object value, String column) {
    return new DeltaException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
        "Value " + value + " is out of range for column '" + column + "' of type " + type.typeName());
  }

  private static String describe(Object value) {
    return "a " + value.getClass().getSimpleName() + " (" + value + ")";
  }
}
