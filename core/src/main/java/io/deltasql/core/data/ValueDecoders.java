package io.deltasql.core.data;

import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Which Parquet columns can be read as which Delta type, and how. Besides the types Delta
 * writers use (INT96 timestamps of old Spark, decimals as INT32, INT64 or fixed-length bytes,
 * millisecond and nanosecond timestamps), this covers the widenings of the {@code typeWidening}
 * feature: byte, short and int to long, double or decimal; float to double; date to
 * timestamp_ntz; decimals to a larger precision and scale.
 */
final class ValueDecoders {
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private ValueDecoders() {}

  /** The decoder of {@code file} values as {@code type}, if the file's type can be read so. */
  static Optional<ValueDecoder> of(DataType type, org.apache.parquet.schema.PrimitiveType file) {
    if (type instanceof DecimalType decimal) {
      return decimal(decimal, file);
    }
    if (!(type instanceof PrimitiveType primitive)) {
      return Optional.empty();
    }
    PrimitiveTypeName physical = file.getPrimitiveTypeName();
    LogicalTypeAnnotation logical = file.getLogicalTypeAnnotation();
    return Optional.ofNullable(switch (primitive) {
      case BOOLEAN -> physical == PrimitiveTypeName.BOOLEAN ? ValueDecoder.ofBoolean() : null;
      case BYTE -> physical == PrimitiveTypeName.INT32 ? ValueDecoder.ofInt(v -> (byte) v) : null;
      case SHORT -> physical == PrimitiveTypeName.INT32 ? ValueDecoder.ofInt(v -> (short) v) : null;
      case INTEGER -> physical == PrimitiveTypeName.INT32
          ? ValueDecoder.ofInt(v -> v).asNumber(Integer.class) : null;
      case LONG -> switch (physical) {
        case INT32 -> isUnsigned(logical)
            ? ValueDecoder.ofInt(v -> Integer.toUnsignedLong(v))
            : ValueDecoder.ofInt(v -> (long) v).asNumber(Long.class);
        case INT64 -> ValueDecoder.ofLong(v -> v).asNumber(Long.class);
        default -> null;
      };
      case FLOAT -> physical == PrimitiveTypeName.FLOAT
          ? ValueDecoder.ofFloating(physical, v -> (float) v).asNumber(Float.class) : null;
      case DOUBLE -> switch (physical) {
        case FLOAT, DOUBLE -> ValueDecoder.ofFloating(physical, v -> v).asNumber(Double.class);
        case INT32 -> ValueDecoder.ofInt(v -> (double) v).asNumber(Double.class);
        default -> null;
      };
      case STRING -> physical == PrimitiveTypeName.BINARY
          ? ValueDecoder.ofBinary(physical, b -> b.toStringUsingUTF8()) : null;
      case BINARY -> physical == PrimitiveTypeName.BINARY
          || physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
          ? ValueDecoder.ofBinary(physical, b -> b.getBytes()) : null;
      case DATE -> physical == PrimitiveTypeName.INT32
          ? ValueDecoder.ofInt(v -> LocalDate.ofEpochDay(v)) : null;
      case TIMESTAMP -> micros(file, JavaValues::instantOfMicros);
      case TIMESTAMP_NTZ -> physical == PrimitiveTypeName.INT32
          && logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
          ? ValueDecoder.ofInt(v -> LocalDate.ofEpochDay(v).atStartOfDay())
          : micros(file, JavaValues::localDateTimeOfMicros);
      case VARIANT -> null;
    });
  }

  private static boolean isUnsigned(LogicalTypeAnnotation logical) {
    return logical instanceof IntLogicalTypeAnnotation ints && !ints.isSigned();
  }

  /** Timestamps as INT64 (micros, or the annotation's unit) or INT96 (Julian day and nanos). */
  private static ValueDecoder micros(org.apache.parquet.schema.PrimitiveType file,
      java.util.function.LongFunction<Object> ofMicros) {
    if (file.getPrimitiveTypeName() == PrimitiveTypeName.INT96) {
      return ValueDecoder.ofBinary(PrimitiveTypeName.INT96, b -> {
        ByteBuffer bytes = b.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = bytes.getLong();
        long julianDay = bytes.getInt() & 0xFFFFFFFFL;
        return ofMicros.apply((julianDay - JULIAN_DAY_OF_EPOCH) * MICROS_PER_DAY
            + Math.floorDiv(nanosOfDay, 1000));
      });
    }
    if (file.getPrimitiveTypeName() != PrimitiveTypeName.INT64) {
      return null;
    }
    LongUnaryOperator toMicros = v -> v;
    if (file.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation ts) {
      if (ts.getUnit() == TimeUnit.MILLIS) {
        toMicros = v -> Math.multiplyExact(v, 1000L);
      } else if (ts.getUnit() == TimeUnit.NANOS) {
        toMicros = v -> Math.floorDiv(v, 1000L);
      }
    }
    LongUnaryOperator convert = toMicros;
    return ValueDecoder.ofLong(v -> ofMicros.apply(convert.applyAsLong(v)));
  }

  /**
   * Decimals stored as decimals of a scale no larger than the table's, or integers (scale 0)
   * widened to a decimal.
   */
  private static Optional<ValueDecoder> decimal(DecimalType type,
      org.apache.parquet.schema.PrimitiveType file) {
    int fileScale = file.getLogicalTypeAnnotation() instanceof DecimalLogicalTypeAnnotation d
        ? d.getScale() : 0;
    boolean annotated = file.getLogicalTypeAnnotation() instanceof DecimalLogicalTypeAnnotation;
    if (fileScale > type.scale()) {
      return Optional.empty();
    }
    int scale = type.scale();
    return Optional.ofNullable(switch (file.getPrimitiveTypeName()) {
      case INT32 -> ValueDecoder.ofInt(v -> BigDecimal.valueOf(v, fileScale).setScale(scale));
      case INT64 -> ValueDecoder.ofLong(v -> BigDecimal.valueOf(v, fileScale).setScale(scale));
      case BINARY, FIXED_LEN_BYTE_ARRAY -> annotated
          ? ValueDecoder.ofBinary(file.getPrimitiveTypeName(),
              b -> new BigDecimal(new BigInteger(b.getBytes()), fileScale)
                  .setScale(scale, RoundingMode.UNNECESSARY))
          : null;
      default -> null;
    });
  }
}
