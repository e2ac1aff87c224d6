package io.deltasql.core.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Serializes a checkpoint's typed {@code stats_parsed} struct to the JSON statistics string
 * of PROTOCOL.md "Per-file Statistics", for checkpoints written without the JSON
 * {@code stats} column. Nested structs become nested objects; null values are left out;
 * dates are {@code yyyy-MM-dd}; timestamps are ISO-8601 with milliseconds ({@code Z}
 * offset, or no offset for {@code timestamp_ntz}); decimals are exact numbers. Values of
 * types Delta keeps no statistics for (binary) are left out.
 */
final class ParsedStats {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIMESTAMP_NTZ =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;

  private ParsedStats() {}

  static String toJson(Group statsParsed) {
    return object(statsParsed).toString();
  }

  private static ObjectNode object(Group group) {
    ObjectNode node = NODES.objectNode();
    for (int i = 0; i < group.getType().getFieldCount(); i++) {
      if (group.getFieldRepetitionCount(i) == 0) {
        continue;
      }
      Type type = group.getType().getType(i);
      JsonNode value;
      if (type.isPrimitive()) {
        value = primitive(group, i, type.asPrimitiveType());
      } else if (type.getLogicalTypeAnnotation() == null) {
        value = object(group.getGroup(i, 0));
      } else {
        value = null; // maps and lists have no statistics
      }
      if (value != null) {
        node.set(type.getName(), value);
      }
    }
    return node;
  }

  private static JsonNode primitive(Group group, int field, PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    return switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> NODES.booleanNode(group.getBoolean(field, 0));
      case INT32 -> int32(group.getInteger(field, 0), logical);
      case INT64 -> int64(group.getLong(field, 0), logical);
      case FLOAT -> NODES.numberNode(group.getFloat(field, 0));
      case DOUBLE -> NODES.numberNode(group.getDouble(field, 0));
      case INT96 -> NODES.textNode(TIMESTAMP.format(int96(group.getInt96(field, 0).getBytes())));
      case BINARY, FIXED_LEN_BYTE_ARRAY -> binary(group, field, logical);
    };
  }

  private static JsonNode int32(int value, LogicalTypeAnnotation logical) {
    if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
      return NODES.textNode(LocalDate.ofEpochDay(value).toString());
    }
    if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
      return DecimalNode.valueOf(BigDecimal.valueOf(value, decimal.getScale()));
    }
    return NODES.numberNode(value);
  }

  private static JsonNode int64(long value, LogicalTypeAnnotation logical) {
    if (logical instanceof TimestampLogicalTypeAnnotation timestamp) {
      Instant instant = Instant.EPOCH.plus(value, unit(timestamp));
      return NODES.textNode(timestamp.isAdjustedToUTC()
          ? TIMESTAMP.format(instant)
          : TIMESTAMP_NTZ.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)));
    }
    if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
      return DecimalNode.valueOf(BigDecimal.valueOf(value, decimal.getScale()));
    }
    return NODES.numberNode(value);
  }

  private static JsonNode binary(Group group, int field, LogicalTypeAnnotation logical) {
    if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
      byte[] unscaled = group.getBinary(field, 0).getBytes();
      return DecimalNode.valueOf(new BigDecimal(new BigInteger(unscaled), decimal.getScale()));
    }
    if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
      return NODES.textNode(group.getString(field, 0));
    }
    return null;
  }

  private static ChronoUnit unit(TimestampLogicalTypeAnnotation timestamp) {
    return switch (timestamp.getUnit()) {
      case MILLIS -> ChronoUnit.MILLIS;
      case MICROS -> ChronoUnit.MICROS;
      case NANOS -> ChronoUnit.NANOS;
    };
  }

  /** A legacy INT96 timestamp: nanoseconds of the day, then the Julian day, little-endian. */
  private static Instant int96(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buffer.getLong();
    long julianDay = Integer.toUnsignedLong(buffer.getInt());
    return Instant.EPOCH.plus(julianDay - JULIAN_DAY_OF_EPOCH, ChronoUnit.DAYS)
        .plusNanos(nanosOfDay);
  }
}
