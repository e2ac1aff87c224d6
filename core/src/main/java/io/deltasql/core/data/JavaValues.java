package io.deltasql.core.data;

import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The Java value of each Delta type (see the package documentation) and the conversions
 * between those values and the numbers Parquet stores.
 */
final class JavaValues {
  private static final long MICROS_PER_SECOND = 1_000_000L;

  private JavaValues() {}

  /** The Java class that holds values of {@code type}. */
  static Class<?> javaClass(DataType type) {
    if (type instanceof DecimalType) {
      return BigDecimal.class;
    }
    if (type instanceof StructType) {
      return Object[].class;
    }
    if (type instanceof ArrayType) {
      return List.class;
    }
    if (type instanceof MapType) {
      return Map.class;
    }
    return switch ((PrimitiveType) type) {
      case STRING -> String.class;
      case LONG -> Long.class;
      case INTEGER -> Integer.class;
      case SHORT -> Short.class;
      case BYTE -> Byte.class;
      case FLOAT -> Float.class;
      case DOUBLE -> Double.class;
      case BOOLEAN -> Boolean.class;
      case BINARY -> byte[].class;
      case DATE -> LocalDate.class;
      case TIMESTAMP -> Instant.class;
      case TIMESTAMP_NTZ -> LocalDateTime.class;
      case VARIANT -> throw DataErrors.unsupported("variant values are not supported");
    };
  }

  /** The name of {@link #javaClass} for messages. */
  static String javaClassName(DataType type) {
    return type == PrimitiveType.VARIANT ? "nothing (variant is not supported)"
        : javaClass(type).getSimpleName();
  }

  /** Whether {@code value} (not null) is of the Java class of {@code type}. */
  static boolean isInstance(DataType type, Object value) {
    return javaClass(type).isInstance(value);
  }

  /** Microseconds since the epoch of an instant; fails if it has sub-microsecond nanos. */
  static long micros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND),
        instant.getNano() / 1000);
  }

  /** Microseconds since 1970-01-01T00:00 of a local date-time. */
  static long micros(LocalDateTime dateTime) {
    return micros(dateTime.toInstant(ZoneOffset.UTC));
  }

  static Instant instantOfMicros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
        Math.floorMod(micros, MICROS_PER_SECOND) * 1000);
  }

  static LocalDateTime localDateTimeOfMicros(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
        (int) (Math.floorMod(micros, MICROS_PER_SECOND) * 1000), ZoneOffset.UTC);
  }
}
