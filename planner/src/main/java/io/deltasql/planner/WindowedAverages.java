package io.deltasql.planner;

import java.util.Objects;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Calcite's convertlets, except that a windowed {@code AVG(x) OVER (...)} is computed as Delta
 * (Spark) does and as {@link Averages} makes the aggregate {@code AVG} do: of an integer
 * {@code x} over DOUBLE values, {@code SUM(CAST(x AS DOUBLE)) OVER w / COUNT(x) OVER w}; of a
 * DECIMAL {@code x} exactly, {@code $SUM0(x) OVER w} divided by {@code COUNT(x) OVER w} by
 * {@link DecimalAverage} (the sum is 0, not NULL, over no value: a windowed {@code SUM} Calcite
 * would wrap in a {@code CASE} on the count, which the division does not need).
 *
 * <p>Calcite expands a windowed {@code AVG} while converting the statement (an aggregate
 * {@code AVG} is not converted here), into the windowed sum of {@code x} over the count: for
 * a BIGINT {@code x} that sum is the checked BIGINT sum of {@link CheckedArithmetic}, which
 * raises 22003 where a partition's values pass the BIGINT range, though their average is in
 * it; for a DECIMAL {@code x} the sum is cast to the average's type and divided to 16
 * significant digits. Other types (DOUBLE) keep Calcite's expansion.
 */
final class WindowedAverages implements SqlRexConvertletTable {
  static final WindowedAverages INSTANCE = new WindowedAverages();

  private static final SqlParserPos POS = SqlParserPos.ZERO;
  private static final SqlRexConvertlet AVERAGE = WindowedAverages::average;

  private WindowedAverages() {}

  @Override
  public SqlRexConvertlet get(SqlCall call) {
    if (call.getKind() == SqlKind.AVG && call.operandCount() == 1) {
      return AVERAGE;
    }
    return StandardConvertletTable.INSTANCE.get(call);
  }

  private static RexNode average(SqlRexContext cx, SqlCall call) {
    SqlNode argument = call.operand(0);
    RelDataType argumentType = cx.getValidator().getValidatedNodeType(argument);
    RexBuilder rexBuilder = cx.getRexBuilder();
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    if (SqlTypeUtil.isDecimal(argumentType)) {
      return DecimalAverage.of(rexBuilder, type, cx.convertExpression(SqlStdOperatorTable.SUM0.createCall(POS, argument)),
          cx.convertExpression(SqlStdOperatorTable.COUNT.createCall(POS, argument)));
    }
    if (!SqlTypeUtil.isIntType(argumentType)) {
      return Objects.requireNonNull(StandardConvertletTable.INSTANCE.get(call), "Calcite's AVG convertlet")
          .convertCall(cx, call);
    }
    RelDataType doubleType = rexBuilder.getTypeFactory().createSqlType(SqlTypeName.DOUBLE);
    SqlNode doubles = SqlStdOperatorTable.CAST.createCall(POS, argument, SqlTypeUtil.convertTypeToSpec(doubleType));
    SqlNode quotient = SqlStdOperatorTable.DIVIDE.createCall(POS, SqlStdOperatorTable.SUM.createCall(POS, doubles),
        SqlStdOperatorTable.COUNT.createCall(POS, argument));
    return rexBuilder.ensureType(type, cx.convertExpression(quotient), true);
  }
}
