package io.deltasql.driver;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.math.BigDecimal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData.Rep;
import org.apache.calcite.avatica.Meta.Signature;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * Parameter values as a prepared statement's parameter types need them. A string bound to a
 * numeric parameter ({@code setString} for an {@code INTEGER} column, as tools that bind
 * everything as text do) is parsed: Calcite's generated code would otherwise cast it to a
 * number and fail with a {@link ClassCastException} (SQLState {@code XX000}). Text that is
 * not a number fails with {@code 22018} naming the parameter; a number the type cannot hold,
 * with {@code 22003}. Other values are left as bound.
 */
final class Parameters {
  private Parameters() {}

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
}
