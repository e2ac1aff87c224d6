package io.deltasql.planner;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexWindow;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedAggFunction;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.schema.impl.AggregateFunctionImpl;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.tools.Program;
import org.apache.calcite.util.Optionality;

/**
 * Integer {@code ABS} and {@code SUM} that raise {@code 22003} where Calcite's wrap around
 * ({@code ABS(-2147483648)} is {@code -2147483648}, a sum past {@code Long.MAX_VALUE} turns
 * negative). Calcite's checked arithmetic ({@link DeltaConformance}) covers {@code + - * /}
 * and unary minus but neither of these, so the plan's calls are replaced: integer {@code ABS}
 * by {@link #absInt} and its siblings, integer {@code SUM} (and the {@code $SUM0} Calcite
 * derives, for {@code AVG} say) by the aggregate {@link CheckedSum}, in {@code GROUP BY}
 * aggregates and in windows ({@code SUM(x) OVER (...)}). Sums of TINYINT,
 * SMALLINT, INTEGER and BIGINT are BIGINT, as in Delta ({@link DeltaTypeSystem#deriveSumType}).
 */
public final class CheckedArithmetic {
  /** Replaces integer {@code ABS} calls and windowed integer sums, before Calcite's planning. */
  static final Program ABS = (planner, rel, traits, materializations, lattices) -> abs(rel);

  /** Replaces integer sums, after Calcite's planning (which derives sums of its own). */
  static final Program SUM = (planner, rel, traits, materializations, lattices) -> sums(rel);

  private static final SqlUserDefinedFunction ABS_BYTE = abs("absByte");
  private static final SqlUserDefinedFunction ABS_SHORT = abs("absShort");
  private static final SqlUserDefinedFunction ABS_INT = abs("absInt");
  private static final SqlUserDefinedFunction ABS_LONG = abs("absLong");
  private static final SqlUserDefinedAggFunction CHECKED_SUM = sum("SUM", ReturnTypes.AGG_SUM);
  private static final SqlUserDefinedAggFunction CHECKED_SUM0 = sum("$SUM0", ReturnTypes.AGG_SUM_EMPTY_IS_ZERO);

  private CheckedArithmetic() {}

  private static SqlUserDefinedFunction abs(String method) {
    return new SqlUserDefinedFunction(new SqlIdentifier("ABS", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
        ReturnTypes.ARG0, null, null, ScalarFunctionImpl.create(CheckedArithmetic.class, method));
  }

  private static SqlUserDefinedAggFunction sum(String name, SqlReturnTypeInference type) {
    return new SqlUserDefinedAggFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, type,
        null, null, AggregateFunctionImpl.create(CheckedSum.class), false, false, Optionality.FORBIDDEN);
  }

  static RelNode abs(RelNode rel) {
    RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
    RexShuttle calls = new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        RexCall visited = (RexCall) super.visitCall(call);
        if (visited.getOperator() != SqlStdOperatorTable.ABS || visited.getOperands().size() != 1) {
          return visited;
        }
        SqlUserDefinedFunction checked = switch (visited.getType().getSqlTypeName()) {
          case TINYINT -> ABS_BYTE;
          case SMALLINT -> ABS_SHORT;
          case INTEGER -> ABS_INT;
          case BIGINT -> ABS_LONG;
          default -> null;
        };
        return checked == null ? visited : rexBuilder.makeCall(visited.getType(), checked, visited.getOperands());
      }

      @Override
      public RexNode visitOver(RexOver over) {
        RexOver visited = (RexOver) super.visitOver(over);
        SqlKind kind = visited.getAggOperator().getKind();
        if ((kind != SqlKind.SUM && kind != SqlKind.SUM0) || !integerSum(visited.getType(),
            visited.getOperands().get(0).getType())) {
          return visited;
        }
        RexWindow w = visited.getWindow();
        return rexBuilder.makeOver(visited.getType(), kind == SqlKind.SUM ? CHECKED_SUM : CHECKED_SUM0,
            visited.getOperands(), w.partitionKeys, w.orderKeys, w.getLowerBound(), w.getUpperBound(), w.getExclude(),
            w.isRows(), true, false, visited.isDistinct(), visited.ignoreNulls());
      }
    };
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return super.visit(other).accept(calls);
      }
    });
  }

  static RelNode sums(RelNode rel) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        if (!(visited instanceof Aggregate aggregate)) {
          return visited;
        }
        List<AggregateCall> calls = new ArrayList<>();
        boolean changed = false;
        for (AggregateCall call : aggregate.getAggCallList()) {
          SqlKind kind = call.getAggregation().getKind();
          if ((kind == SqlKind.SUM || kind == SqlKind.SUM0) && integerSum(call.getType(),
              aggregate.getInput().getRowType().getFieldList().get(call.getArgList().get(0)).getType())) {
            calls.add(AggregateCall.create(call.getParserPosition(), kind == SqlKind.SUM ? CHECKED_SUM : CHECKED_SUM0, call.isDistinct(),
                call.isApproximate(), call.ignoreNulls(), call.rexList, call.getArgList(), call.filterArg,
                call.distinctKeys, call.getCollation(), call.getType(), call.getName()));
            changed = true;
          } else {
            calls.add(call);
          }
        }
        return changed ? aggregate.copy(aggregate.getTraitSet(), aggregate.getInput(), aggregate.getGroupSet(),
            aggregate.getGroupSets(), calls) : aggregate;
      }
    });
  }

  /** Whether a sum of {@code argument} values typed {@code sum} is an integer sum that can wrap. */
  private static boolean integerSum(RelDataType sum, RelDataType argument) {
    return sum.getSqlTypeName() == SqlTypeName.BIGINT && integer(argument.getSqlTypeName());
  }

  private static boolean integer(SqlTypeName type) {
    return type == SqlTypeName.TINYINT || type == SqlTypeName.SMALLINT || type == SqlTypeName.INTEGER
        || type == SqlTypeName.BIGINT;
  }

  /** {@code ABS} of a TINYINT. */
  public static byte absByte(byte value) {
    if (value == Byte.MIN_VALUE) {
      throw outOfRange("ABS", value + " has no absolute value in TINYINT");
    }
    return (byte) Math.abs(value);
  }

  /** {@code ABS} of a SMALLINT. */
  public static short absShort(short value) {
    if (value == Short.MIN_VALUE) {
      throw outOfRange("ABS", value + " has no absolute value in SMALLINT");
    }
    return (short) Math.abs(value);
  }

  /** {@code ABS} of an INTEGER. */
  public static int absInt(int value) {
    if (value == Integer.MIN_VALUE) {
      throw outOfRange("ABS", value + " has no absolute value in INTEGER");
    }
    return Math.abs(value);
  }

  /** {@code ABS} of a BIGINT. */
  public static long absLong(long value) {
    if (value == Long.MIN_VALUE) {
      throw outOfRange("ABS", value + " has no absolute value in BIGINT");
    }
    return Math.abs(value);
  }

  private static ArithmeticException outOfRange(String operation, String what) {
    return new ArithmeticException("Numeric value out of range in " + operation + ": " + what);
  }

  /** {@code SUM} of integers as a BIGINT that raises past its range (Calcite's reflective aggregate). */
  public static final class CheckedSum {
    public long init() {
      return 0L;
    }

    public long add(long sum, long value) {
      long result = sum + value;
      if (((sum ^ result) & (value ^ result)) < 0) {
        throw outOfRange("SUM", "the sum exceeds the BIGINT range");
      }
      return result;
    }

    public long merge(long sum, long other) {
      return add(sum, other);
    }

    public long result(long sum) {
      return sum;
    }
  }
}
