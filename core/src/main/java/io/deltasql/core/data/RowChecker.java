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

/**
 * Checks a row against the table schema before anything of it is written: one value per
 * column, NOT NULL columns (and non-null elements, map values and keys where the type says so),
 * each value of its type's Java class, and within its type's range (decimal precision and
 * scale, microsecond timestamps, dates, valid Unicode strings).
 */
final class RowChecker {
  private final StructType schema;

  RowChecker(StructType schema) {
    this.schema = schema;
  }

  /**
   * @param rowNumber the row's position in the write, from 1, for messages
   */
  void check(Object[] row, long rowNumber) {
    int columns = schema.fields().size();
    if (row == null || row.length != columns) {
      throw DataErrors.wrongArity(rowNumber, row == null ? 0 : row.length, columns);
    }
    for (int i = 0; i < columns; i++) {
      StructField field = schema.fields().get(i);
      check(field.name(), field.type(), field.nullable(), row[i], rowNumber);
    }
  }

  private void check(String column, DataType type, boolean nullable, Object value, long row) {
    if (value == null) {
      if (!nullable) {
        throw DataErrors.notNull(column, row);
      }
      return;
    }
    if (!JavaValues.isInstance(type, value)) {
      throw DataErrors.wrongType(column, row, type, value);
    }
    if (type instanceof StructType struct) {
      Object[] fields = (Object[]) value;
      if (fields.length != struct.fields().size()) {
        throw DataErrors.badValue(column, row, "has " + fields.length + " fields, but the struct"
            + " has " + struct.fields().size());
      }
      for (int i = 0; i < fields.length; i++) {
        StructField field = struct.fields().get(i);
        check(column + "." + field.name(), field.type(), field.nullable(), fields[i], row);
      }
    } else if (type instanceof ArrayType array) {
      for (Object element : (List<?>) value) {
        check(column + ".element", array.elementType(), array.containsNull(), element, row);
      }
    } else if (type instanceof MapType map) {
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        check(column + ".key", map.keyType(), false, entry.getKey(), row);
        check(column + ".value", map.valueType(), map.valueContainsNull(), entry.getValue(), row);
      }
    } else if (type instanceof DecimalType decimal) {
      checkDecimal(column, decimal, (BigDecimal) value, row);
    } else {
      checkPrimitive(column, (PrimitiveType) type, value, row);
    }
  }

  private static void checkDecimal(String column, DecimalType type, BigDecimal value, long row) {
    BigDecimal scaled;
    try {
      scaled = value.setScale(type.scale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw DataErrors.badValue(column, row, value.toPlainString() + " has more than "
          + type.scale() + " decimal places, as " + type.typeName() + " allows");
    }
    if (scaled.precision() > type.precision()) {
      throw DataErrors.badValue(column, row, value.toPlainString() + " does not fit "
          + type.typeName());
    }
  }

  private static void checkPrimitive(String column, PrimitiveType type, Object value, long row) {
    switch (type) {
      case STRING -> {
        if (!ValueOrder.isWellFormed((String) value)) {
          throw DataErrors.badValue(column, row, "is not valid Unicode (it has an unpaired"
              + " surrogate character)");
        }
      }
      case DATE -> {
        long day = ((LocalDate) value).toEpochDay();
        if (day != (int) day) {
          throw DataErrors.badValue(column, row, value + " is outside the range of dates");
        }
      }
      case TIMESTAMP -> checkMicros(column, row, (Instant) value);
      case TIMESTAMP_NTZ -> checkMicros(column, row,
          ((LocalDateTime) value).toInstant(java.time.ZoneOffset.UTC));
      default -> {
        // every value of the class is in range
      }
    }
  }

  private static void checkMicros(String column, long row, Instant instant) {
    if (instant.getNano() % 1000 != 0) {
      throw DataErrors.badValue(column, row, instant + " has nanoseconds; timestamps hold"
          + " microseconds (truncate the value first)");
    }
    try {
      JavaValues.micros(instant);
    } catch (ArithmeticException e) {
      throw DataErrors.badValue(column, row, instant + " is outside the range of timestamps");
    }
  }
}
