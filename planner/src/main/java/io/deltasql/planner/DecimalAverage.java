package io.deltasql.planner;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;

/**
 * The exact {@code AVG} of DECIMAL values, from their sum and count: the quotient rounded half up
 * (away from zero) to the scale of the average's type, as Delta (Spark) computes it. Calcite
 * divides a DECIMAL sum by its count to 16 significant digits ({@code MathContext.DECIMAL64}),
 * after casting the sum to the average's type (which raises where the sum, not the average,
 * exceeds it), and truncates the quotient. {@link Averages} computes an aggregate {@code AVG}
 * this way, {@link WindowedAverages} a windowed one; the average's type is DECIMAL(p + 4, s + 4)
 * ({@link DeltaTypeSystem#deriveAvgAggType}).
 */
public final class DecimalAverage {
  private static final SqlUserDefinedFunction AVERAGE = new SqlUserDefinedFunction(
      new SqlIdentifier("AVG", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, null,
      ScalarFunctionImpl.create(DecimalAverage.class, "average"));

  private DecimalAverage() {}

  /** The average, typed {@code type} (a DECIMAL), of the values whose DECIMAL sum and count are given. */
  static RexNode of(RexBuilder rexBuilder, RelDataType type, RexNode sum, RexNode count) {
    RelDataType integer = rexBuilder.getTypeFactory().createSqlType(SqlTypeName.INTEGER);
    return rexBuilder.makeCall(type, AVERAGE, List.of(sum, count,
        rexBuilder.makeExactLiteral(BigDecimal.valueOf(type.getPrecision()), integer),
        rexBuilder.makeExactLiteral(BigDecimal.valueOf(type.getScale()), integer)));
  }

  /**
   * {@code sum / count} rounded half up to {@code scale} digits; NULL when there is no value.
   *
   * @throws ArithmeticException (22003) if the average has more integer digits than a
   *     DECIMAL({@code precision}, {@code scale}) holds
   */
  public static BigDecimal average(BigDecimal sum, long count, int precision, int scale) {
    if (sum == null || count == 0) {
      return null;
    }
    BigDecimal average = sum.divide(BigDecimal.valueOf(count), scale, RoundingMode.HALF_UP);
    if (average.precision() - average.scale() > precision - scale) {
      throw new ArithmeticException("Numeric value out of range in AVG: the average " + average.toPlainString()
          + " exceeds DECIMAL(" + precision + ", " + scale + ")");
    }
    return average;
  }
}
