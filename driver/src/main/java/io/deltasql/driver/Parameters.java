package io.deltasql.driver;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData.Rep;
import org.apache.calcite.avatica.Meta.Signature;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * The values bound to a prepared statement, checked against its parameters before it runs
 * ({@link #check}): Calcite's generated code casts each value to the parameter's Java class, so a
 * value of another kind would fail as a {@link ClassCastException}, and a {@code long} for an
 * {@code INT} parameter would silently wrap around.
 *
 * <p>Text bound to a numeric parameter ({@code setString} for an {@code INTEGER} column, as tools
 * that bind everything as text do) is parsed instead ({@link #coerce}): text that is not a number
 * fails with {@code 22018} naming the parameter; a number the type cannot hold, with {@code 22003}.
 */
final class Parameters {
  private enum Kind { NUMBER, TEXT, BOOLEAN, DATETIME, BINARY, ANY }

  private Parameters() {}

  /**
   * @throws SQLException {@code 07001} for a parameter not set, {@code 42804} for a value of
   *     another kind than the parameter's, {@code 22003} for a whole number out of its range
   */
  static void check(List<AvaticaParameter> parameters, List<TypedValue> values) throws SQLException {
    if (parameters == null || values == null) {
      return;
    }
    for (int i = 0; i < values.size() && i < parameters.size(); i++) {
      TypedValue value = values.get(i);
      AvaticaParameter parameter = parameters.get(i);
      if (value == null) {
        throw new SQLException("Parameter " + (i + 1) + " of " + parameters.size() + " is not set", "07001");
      }
      if (value.value == null) {
        continue;
      }
      Kind wanted = kindOf(parameter.parameterType);
      Kind given = kindOf(value.type);
      if (wanted == Kind.NUMBER && given == Kind.TEXT) {
        continue; // parsed by coerce
      }
      if (wanted != Kind.ANY && given != wanted) {
        throw new SQLException("Parameter " + (i + 1) + " is of type " + parameter.typeName + ", but a "
            + value.type + " value (" + value.value.getClass().getSimpleName() + ") was given",
            SqlState.DATATYPE_MISMATCH.code());
      }
      if (wanted == Kind.NUMBER && value.value instanceof Number n && !(n instanceof java.math.BigDecimal)) {
        checkRange(i + 1, parameter, n);
      }
    }
  }

  /**
   * The values a prepared statement runs with: text for numeric parameters parsed
   * ({@link #coerce}), then every value checked ({@link #check}). In the meta, so that embedded
   * and remote clients get the same checks.
   */
  static List<TypedValue> bind(Signature signature, List<TypedValue> values) throws SQLException {
    List<TypedValue> coerced = coerce(signature, values);
    check(signature == null ? null : signature.parameters, coerced);
    return coerced;
  }

  /** The values with text bound to numeric parameters parsed as numbers of their types. */
  static List<TypedValue> coerce(Signature signature, List<TypedValue> values) {
    if (signature == null || signature.parameters == null) {
      return values;
    }
    List<TypedValue> result = null;
    for (int i = 0; i < Math.min(values.size(), signature.parameters.size()); i++) {
      TypedValue value = values.get(i);
      if (value != null && value.value instanceof String text) {
        TypedValue number = numeric(signature.parameters.get(i), text, i + 1);
        if (number != null) {
          result = result == null ? new ArrayList<>(values) : result;
          result.set(i, number);
        }
      }
    }
    return result == null ? values : result;
  }

  /** The text as the parameter's numeric type, or null if the parameter is not numeric. */
  private static TypedValue numeric(AvaticaParameter parameter, String text, int index) {
    switch (parameter.parameterType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE,
          Types.DECIMAL, Types.NUMERIC -> {
      }
      default -> {
        return null;
      }
    }
    BigDecimal number;
    try {
      number = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      // JdbcErrors: 22018
      throw new NumberFormatException("parameter " + index + " is '" + text + "', not a number; the statement needs a "
          + parameter.typeName + " there");
    }
    try {
      return switch (parameter.parameterType) {
        case Types.TINYINT -> TypedValue.ofLocal(Rep.BYTE, number.byteValueExact());
        case Types.SMALLINT -> TypedValue.ofLocal(Rep.SHORT, number.shortValueExact());
        case Types.INTEGER -> TypedValue.ofLocal(Rep.INTEGER, number.intValueExact());
        case Types.BIGINT -> TypedValue.ofLocal(Rep.LONG, number.longValueExact());
        case Types.REAL -> TypedValue.ofLocal(Rep.FLOAT, number.floatValue());
        case Types.FLOAT, Types.DOUBLE -> TypedValue.ofLocal(Rep.DOUBLE, number.doubleValue());
        default -> TypedValue.ofLocal(Rep.NUMBER, number);
      };
    } catch (ArithmeticException e) {
      throw new DeltaException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "Parameter " + index + " is " + text
          + ", which a " + parameter.typeName + " cannot hold");
    }
  }

  private static void checkRange(int index, AvaticaParameter parameter, Number n) throws SQLException {
    long min;
    long max;
    switch (parameter.parameterType) {
      case Types.TINYINT -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
      case Types.SMALLINT -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
      case Types.INTEGER -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
      default -> {
        return;
      }
    }
    boolean whole = n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    if (whole && (n.longValue() < min || n.longValue() > max)) {
      throw new SQLException("Parameter " + index + " of type " + parameter.typeName + ": " + n + " is out of range",
          SqlState.NUMERIC_VALUE_OUT_OF_RANGE.code());
    }
  }

  private static Kind kindOf(int sqlType) {
    return switch (sqlType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL, Types.NUMERIC, Types.FLOAT,
          Types.REAL, Types.DOUBLE -> Kind.NUMBER;
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR -> Kind.TEXT;
      case Types.BOOLEAN, Types.BIT -> Kind.BOOLEAN;
      case Types.DATE, Types.TIME, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Kind.DATETIME;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> Kind.BINARY;
      default -> Kind.ANY;
    };
  }

  private static Kind kindOf(Rep rep) {
    return switch (rep) {
      case BYTE, SHORT, INTEGER, LONG, FLOAT, DOUBLE, NUMBER, PRIMITIVE_BYTE, PRIMITIVE_SHORT, PRIMITIVE_INT,
          PRIMITIVE_LONG, PRIMITIVE_FLOAT, PRIMITIVE_DOUBLE -> Kind.NUMBER;
      case STRING, CHARACTER, PRIMITIVE_CHAR -> Kind.TEXT;
      case BOOLEAN, PRIMITIVE_BOOLEAN -> Kind.BOOLEAN;
      case JAVA_SQL_DATE, JAVA_SQL_TIME, JAVA_SQL_TIMESTAMP, JAVA_UTIL_DATE -> Kind.DATETIME;
      case BYTE_STRING -> Kind.BINARY;
      default -> Kind.ANY;
    };
  }
}
