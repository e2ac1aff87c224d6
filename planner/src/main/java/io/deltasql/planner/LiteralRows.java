package io.deltasql.planner;

import com.google.common.collect.ImmutableList;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.adapter.enumerable.EnumerableValuesRule;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.tools.Program;

/**
 * Long {@code VALUES} lists, as in {@code INSERT INTO t VALUES (…), (…), …} with thousands of
 * rows.
 *
 * <p>Calcite turns a multi-row {@code VALUES} whose rows need casts (an integer or decimal into
 * a {@code DOUBLE} column, say) into a {@code UNION ALL} of one-row projections and generates Java
 * code for every row: past a few hundred rows that code exceeds the JVM's 64 KB per method and
 * the statement cannot run. Here such a union of literal rows is first folded into one
 * {@code Values} ({@link #MERGE}), and a {@code Values} of more than {@link #GENERATED_ROWS_LIMIT}
 * rows becomes {@link DeltaValues}, whose rows are data, not code ({@link #RULES}). (Calcite's
 * interpreter is no way out: it compiles a {@code Values}' literals into one method too.)
 */
final class LiteralRows {
  private LiteralRows() {}

  /** The most rows of a {@code Values} compiled to Java; longer lists are {@link DeltaValues}. */
  static final int GENERATED_ROWS_LIMIT = 64;

  /** Folds unions of literal rows into one {@code Values}. */
  static final Program MERGE = (planner, rel, traits, materializations, lattices) -> fold(rel);

  private static final RelOptRule ENUMERABLE = EnumerableValuesRule.DEFAULT_CONFIG
      .withConversion(LogicalValues.class, (LogicalValues values) -> values.tuples.size() <= GENERATED_ROWS_LIMIT,
          Convention.NONE, EnumerableConvention.INSTANCE, "DeltaEnumerableValuesRule")
      .toRule(EnumerableValuesRule.class);

  private static final RelOptRule STASHED = ConverterRule.Config.INSTANCE
      .withConversion(LogicalValues.class, (LogicalValues values) -> values.tuples.size() > GENERATED_ROWS_LIMIT,
          Convention.NONE, EnumerableConvention.INSTANCE, "DeltaValuesRule")
      .withRuleFactory(StashedRule::new)
      .toRule(StashedRule.class);

  /**
   * Short {@code Values} as generated code, long ones as {@link DeltaValues}: in place of
   * {@link EnumerableRules#ENUMERABLE_VALUES_RULE}.
   */
  static final List<RelOptRule> RULES = List.of(ENUMERABLE, STASHED);

  /** Converts a long {@code Values} to {@link DeltaValues}. */
  static final class StashedRule extends ConverterRule {
    StashedRule(Config config) {
      super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
      return DeltaValues.of((LogicalValues) rel);
    }
  }

  private static final ThreadLocal<Boolean> UNSIMPLIFIED = ThreadLocal.withInitial(() -> false);

  /** Whether {@code statement} has a {@code VALUES} list longer than {@link #GENERATED_ROWS_LIMIT}. */
  static boolean hasLongValues(SqlNode statement) {
    Boolean found = statement.accept(new SqlBasicVisitor<Boolean>() {
      @Override
      public Boolean visit(SqlCall call) {
        if (call.getKind() == SqlKind.VALUES && call.operandCount() > GENERATED_ROWS_LIMIT) {
          return true;
        }
        for (SqlNode operand : call.getOperandList()) {
          if (operand != null && Boolean.TRUE.equals(operand.accept(this))) {
            return true;
          }
        }
        return false;
      }

      @Override
      public Boolean visit(SqlNodeList list) {
        for (SqlNode item : list) {
          if (item != null && Boolean.TRUE.equals(item.accept(this))) {
            return true;
          }
        }
        return false;
      }
    });
    return Boolean.TRUE.equals(found);
  }

  /**
   * Prepares a statement with long {@code VALUES} lists: its conversion to relational algebra
   * does not simplify expressions. Simplifying the cast of each row's literals to the list's type
   * compiles one Java class per cast (seconds for a few hundred rows); {@link #fold} converts
   * those literals exactly instead.
   */
  static <T> T withoutSimplification(Supplier<T> prepare) {
    boolean outer = UNSIMPLIFIED.get();
    UNSIMPLIFIED.set(true);
    try {
      return prepare.get();
    } finally {
      UNSIMPLIFIED.set(outer);
    }
  }

  /** {@code config}, without simplification inside {@link #withoutSimplification}. */
  static SqlToRelConverter.Config configure(SqlToRelConverter.Config config) {
    return UNSIMPLIFIED.get() ? config.addRelBuilderConfigTransform(c -> c.withSimplify(false)) : config;
  }

  /** {@code rel} with every {@code UNION ALL} of literal rows replaced by one {@code Values}. */
  static RelNode fold(RelNode rel) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        if (visited instanceof LogicalUnion union && union.all) {
          List<List<RexLiteral>> tuples = literalRows(union);
          if (tuples != null) {
            return LogicalValues.create(union.getCluster(), union.getRowType(), toImmutable(tuples));
          }
        }
        return visited;
      }
    });
  }

  /** The rows of the union's inputs as literals of the union's column types, or null if one is not literal. */
  private static List<List<RexLiteral>> literalRows(LogicalUnion union) {
    RexBuilder rexBuilder = union.getCluster().getRexBuilder();
    List<RelDataType> types = union.getRowType().getFieldList().stream().map(f -> f.getType()).toList();
    List<List<RexLiteral>> rows = new ArrayList<>();
    for (RelNode input : union.getInputs()) {
      if (input instanceof LogicalValues values) {
        for (List<RexLiteral> tuple : values.getTuples()) {
          if (!addRow(rows, new ArrayList<>(tuple), types, rexBuilder)) {
            return null;
          }
        }
      } else if (input instanceof LogicalProject project && project.getInput() instanceof LogicalValues values
          && values.getTuples().size() == 1) {
        if (!addRow(rows, project.getProjects(), types, rexBuilder)) {
          return null;
        }
      } else {
        return null;
      }
    }
    return rows;
  }

  private static boolean addRow(List<List<RexLiteral>> rows, List<? extends RexNode> row, List<RelDataType> types,
      RexBuilder rexBuilder) {
    List<RexLiteral> literals = new ArrayList<>(row.size());
    for (int i = 0; i < row.size(); i++) {
      RexLiteral literal = literal(row.get(i), types.get(i), rexBuilder);
      if (literal == null) {
        return false;
      }
      literals.add(literal);
    }
    rows.add(literals);
    return true;
  }

  /**
   * {@code node}, a literal or a cast of one, as a literal of {@code type}; null unless the
   * conversion is exact and certain: numbers that fit without rounding, strings, booleans, or
   * the same type.
   */
  private static RexLiteral literal(RexNode node, RelDataType type, RexBuilder rexBuilder) {
    RexNode operand = node;
    while (operand instanceof RexCall cast && cast.getKind() == SqlKind.CAST) {
      operand = cast.getOperands().get(0);
    }
    if (!(operand instanceof RexLiteral literal)) {
      return null;
    }
    if (literal.isNull()) {
      return type.isNullable() ? (RexLiteral) rexBuilder.makeNullLiteral(type) : null;
    }
    RelDataType from = literal.getType();
    Object value = literal.getValue();
    if (SqlTypeUtil.isNumeric(from) && (SqlTypeUtil.isDecimal(type) || SqlTypeUtil.isIntType(type))) {
      value = exactNumber(literal.getValueAs(BigDecimal.class), type);
      if (value == null) {
        return null;
      }
    } else if (!(SqlTypeUtil.isNumeric(from) && SqlTypeUtil.isApproximateNumeric(type)
        || SqlTypeUtil.inCharFamily(from) && SqlTypeUtil.inCharFamily(type)
        || from.getFamily() == SqlTypeFamily.BOOLEAN && type.getFamily() == SqlTypeFamily.BOOLEAN
        || SqlTypeUtil.equalSansNullability(from, type))) {
      return null;
    }
    RexNode converted = rexBuilder.makeLiteral(value, type, false);
    return converted instanceof RexLiteral result ? result : null;
  }

  /**
   * {@code number} as an exact value of the decimal or integer {@code type}, or null when the
   * conversion would round or overflow (left to Calcite's casts, which truncate or fail).
   */
  private static BigDecimal exactNumber(BigDecimal number, RelDataType type) {
    if (number == null) {
      return null;
    }
    int scale = SqlTypeUtil.isDecimal(type) ? type.getScale() : 0;
    BigDecimal scaled;
    try {
      scaled = number.setScale(scale, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException rounds) {
      return null;
    }
    if (SqlTypeUtil.isDecimal(type)) {
      return scaled.precision() - scaled.scale() <= type.getPrecision() - scale ? scaled : null;
    }
    BigDecimal max = BigDecimal.valueOf(switch (type.getSqlTypeName()) {
      case TINYINT -> Byte.MAX_VALUE;
      case SMALLINT -> Short.MAX_VALUE;
      case INTEGER -> Integer.MAX_VALUE;
      default -> Long.MAX_VALUE;
    });
    return scaled.abs().compareTo(max) <= 0 ? scaled : null;
  }

  private static ImmutableList<ImmutableList<RexLiteral>> toImmutable(List<List<RexLiteral>> rows) {
    return rows.stream().map(ImmutableList::copyOf).collect(ImmutableList.toImmutableList());
  }
}
