package io.deltasql.core.data;

import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Turns the values of one Parquet primitive column into the Java values of its Delta type;
 * each instance reads one Parquet physical type. Also used for row-group statistics, so a
 * decoder must be monotonic: it keeps the order of the values it decodes.
 */
final class ValueDecoder {
  private final PrimitiveTypeName physical;
  private final IntFunction<Object> ints;
  private final LongFunction<Object> longs;
  private final DoubleFunction<Object> doubles;
  private final Function<Binary, Object> binaries;
  private final boolean orderedStatistics;
  /**
   * The class of the decoded values when each is the physical number itself, only widened
   * ({@code Integer}, {@code Long}, {@code Float} or {@code Double}); else null.
   */
  private final Class<? extends Number> number;

  private ValueDecoder(PrimitiveTypeName physical, IntFunction<Object> ints,
      LongFunction<Object> longs, DoubleFunction<Object> doubles,
      Function<Binary, Object> binaries, boolean orderedStatistics, Class<? extends Number> number) {
    this.physical = physical;
    this.ints = ints;
    this.longs = longs;
    this.doubles = doubles;
    this.binaries = binaries;
    this.orderedStatistics = orderedStatistics;
    this.number = number;
  }

  static ValueDecoder ofInt(IntFunction<Object> decode) {
    return new ValueDecoder(PrimitiveTypeName.INT32, decode, null, null, null, true, null);
  }

  static ValueDecoder ofLong(LongFunction<Object> decode) {
    return new ValueDecoder(PrimitiveTypeName.INT64, null, decode, null, null, true, null);
  }

  /** For FLOAT and DOUBLE columns (floats are widened to double before decoding). */
  static ValueDecoder ofFloating(PrimitiveTypeName physical, DoubleFunction<Object> decode) {
    return new ValueDecoder(physical, null, null, decode, null, true, null);
  }

  static ValueDecoder ofBoolean() {
    return new ValueDecoder(PrimitiveTypeName.BOOLEAN, null, null, null, null, true, null);
  }

  /** For BINARY, FIXED_LEN_BYTE_ARRAY and INT96 columns. */
  static ValueDecoder ofBinary(PrimitiveTypeName physical, Function<Binary, Object> decode) {
    return new ValueDecoder(physical, null, null, null, decode,
        physical != PrimitiveTypeName.INT96, null);
  }

  /**
   * This decoder, declared to return the physical number itself as a {@code type}, only widened
   * (an INT32 as an {@code Integer}, {@code Long} or {@code Double}; an INT64 as a {@code Long};
   * a FLOAT or DOUBLE as a {@code Float} or {@code Double}): a filter may then compare the
   * physical values without decoding them ({@link ColumnTest}).
   */
  ValueDecoder asNumber(Class<? extends Number> type) {
    return new ValueDecoder(physical, ints, longs, doubles, binaries, orderedStatistics, type);
  }

  /** The class of the values when they are the physical numbers themselves (see {@link #asNumber}), or null. */
  Class<? extends Number> number() {
    return number;
  }

  PrimitiveTypeName physical() {
    return physical;
  }

  Object fromInt(int value) {
    return ints.apply(value);
  }

  Object fromLong(long value) {
    return longs.apply(value);
  }

  Object fromDouble(double value) {
    return doubles.apply(value);
  }

  Object fromBinary(Binary value) {
    return binaries.apply(value);
  }

  /** Whether min and max statistics of this column may be used (INT96 has no defined order). */
  boolean hasOrderedStatistics() {
    return orderedStatistics;
  }

  /** Decodes a value as parquet-java's statistics hold it ({@code genericGetMin} and such). */
  Object fromStatistic(Object value) {
    return switch (physical) {
      case INT32 -> fromInt((Integer) value);
      case INT64 -> fromLong((Long) value);
      case FLOAT -> fromDouble((Float) value);
      case DOUBLE -> fromDouble((Double) value);
      case BOOLEAN -> value;
      case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> fromBinary((Binary) value);
    };
  }

  /** Decodes entry {@code id} of a dictionary page. */
  Object fromDictionary(Dictionary dictionary, int id) {
    return switch (physical) {
      case INT32 -> fromInt(dictionary.decodeToInt(id));
      case INT64 -> fromLong(dictionary.decodeToLong(id));
      case FLOAT -> fromDouble(dictionary.decodeToFloat(id));
      case DOUBLE -> fromDouble(dictionary.decodeToDouble(id));
      case BOOLEAN -> dictionary.decodeToBoolean(id);
      case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> fromBinary(dictionary.decodeToBinary(id));
    };
  }
}
