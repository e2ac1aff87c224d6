package io.deltasql.core.data;

import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Partition values as the log stores them (PROTOCOL.md, "Partition Value Serialization"): strings,
 * {@code null} or the empty string for a null value.
 *
 * <p>Reading accepts what writers in the wild produce: timestamps as {@code yyyy-MM-dd
 * HH:mm:ss[.ffffff]} (no zone: UTC, as Delta Kernel reads them) or in ISO-8601 with {@code T}
 * and an optional zone ({@code 2024-01-01T10:00:00.000000Z}); any fraction of up to 9 digits
 * (truncated to microseconds). Writing uses the protocol's form: timestamps in UTC as {@code
 * yyyy-MM-dd HH:mm:ss} with {@code .ffffff} when there are microseconds, decimals in plain
 * notation with their scale, binary as one character per byte (ISO-8859-1).
 */
public final class PartitionValues {
  private static final DateTimeFormatter TIMESTAMP_READER = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().appendLiteral(' ').optionalEnd()
      .optionalStart().appendLiteral('T').optionalEnd()
      .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
      .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
      .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .toFormatter(Locale.ROOT);
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

  private PartitionValues() {}

  /**
   * The value of a serialized partition value.
   *
   * @throws IllegalArgumentException if {@code text} is not a value of {@code type}
   */
  public static Object parse(DataType type, String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (type instanceof DecimalType decimal) {
      return new BigDecimal(text.trim()).setScale(decimal.scale(), RoundingMode.UNNECESSARY);
    }
    try {
      return switch ((PrimitiveType) type) {
        case STRING -> text;
        case LONG -> Long.parseLong(text.trim());
        case INTEGER -> Integer.parseInt(text.trim());
        case SHORT -> Short.parseShort(text.trim());
        case BYTE -> Byte.parseByte(text.trim());
        case FLOAT -> Float.parseFloat(text.trim());
        case DOUBLE -> Double.parseDouble(text.trim());
        case BOOLEAN -> parseBoolean(text.trim());
        case BINARY -> text.getBytes(StandardCharsets.ISO_8859_1);
        case DATE -> LocalDate.parse(text.trim());
        case TIMESTAMP -> parseInstant(text.trim());
        case TIMESTAMP_NTZ -> parseLocalDateTime(text.trim());
        case VARIANT -> throw new IllegalArgumentException("variant cannot be a partition value");
      };
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The serialized form of a partition value; {@code null} for null. */
  public static String serialize(DataType type, Object value) {
    if (value == null) {
      return null;
    }
    if (type instanceof DecimalType) {
      return ((BigDecimal) value).toPlainString();
    }
    return switch ((PrimitiveType) type) {
      case BINARY -> new String((byte[]) value, StandardCharsets.ISO_8859_1);
      case TIMESTAMP -> formatMicros(LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC));
      case TIMESTAMP_NTZ -> formatMicros((LocalDateTime) value);
      default -> value.toString();
    };
  }

  private static String formatMicros(LocalDateTime value) {
    String seconds = SECONDS.format(value);
    int micros = value.getNano() / 1000;
    return micros == 0 ? seconds : seconds + String.format(Locale.ROOT, ".%06d", micros);
  }

  private static Boolean parseBoolean(String text) {
    if (text.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    if (text.equalsIgnoreCase("false")) {
      return Boolean.FALSE;
    }
    throw new IllegalArgumentException("'" + text + "' is neither true nor false");
  }

  private static Instant parseInstant(String text) {
    TemporalAccessor parsed = TIMESTAMP_READER.parse(text);
    LocalDateTime local = truncateToMicros(LocalDateTime.from(parsed));
    ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
        ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
    return local.toInstant(offset);
  }

  /** A zone, if written, is applied and the result taken in UTC. */
  private static LocalDateTime parseLocalDateTime(String text) {
    TemporalAccessor parsed = TIMESTAMP_READER.parse(text);
    LocalDateTime local = truncateToMicros(LocalDateTime.from(parsed));
    if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
      return LocalDateTime.ofInstant(local.toInstant(ZoneOffset.from(parsed)), ZoneOffset.UTC);
    }
    return local;
  }

  private static LocalDateTime truncateToMicros(LocalDateTime value) {
    return value.withNano(value.getNano() / 1000 * 1000);
  }
}
