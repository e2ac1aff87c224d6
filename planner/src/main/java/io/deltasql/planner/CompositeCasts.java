package io.deltasql.planner;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

/**
 * Rewrites casts to structured types before Calcite plans a statement. Calcite's generated code
 * cannot cast a ROW with a NULL field (it unboxes the NULL), nor an array or map of structs or
 * of arrays (it does not compile). Such casts arise wherever a value meets a column of a
 * struct, array or map type, above all in {@code INSERT ... VALUES (ROW(...), ARRAY[...])}.
 *
 * <p>A cast of a value constructor becomes the constructor of cast elements, down to scalar
 * casts Calcite implements. A cast of any other structured value (a column of another table,
 * say) keeps its value and only takes the type: its elements already have the right Java
 * representation but for nullability and names, and a value written to a Delta table is
 * converted strictly, element by element, by {@link SqlValues#toDelta}.
 */
final class CompositeCasts extends RexShuttle {
  /**
   * Runs the rewrite, folds literal rows ({@link LiteralRows}), then Calcite's standard program
   * and the aggregates computed in Delta scans ({@link DeltaRules#AGGREGATE_SCAN}); integer
   * {@code ABS} and {@code SUM} checked before and after it ({@link CheckedArithmetic}), integer
   * {@code AVG} over DOUBLE values before it ({@link Averages}).
   */
  static final Program PROGRAM = Programs.sequence(
      (planner, rel, traits, materializations, lattices) -> rewrite(rel), CheckedArithmetic.ABS, Averages.PROGRAM,
      LiteralRows.MERGE, Programs.standard(), DeltaRules.AGGREGATE_SCAN, CheckedArithmetic.SUM);

  private final RexBuilder rexBuilder;

  private CompositeCasts(RexBuilder rexBuilder) {
    this.rexBuilder = rexBuilder;
  }

  /** {@code rel} and its inputs with every structured cast rewritten. */
  static RelNode rewrite(RelNode rel) {
    CompositeCasts casts = new CompositeCasts(rel.getCluster().getRexBuilder());
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        return super.visit(other).accept(casts);
      }
    });
  }

  @Override
  public RexNode visitCall(RexCall call) {
    RexNode visited = super.visitCall(call);
    if (visited instanceof RexCall cast && cast.getKind() == SqlKind.CAST && structured(cast.getType())) {
      return castTo(cast.getOperands().get(0), cast.getType());
    }
    return visited;
  }

  private RexNode castTo(RexNode value, RelDataType type) {
    if (value.getType().equals(type)) {
      return value;
    }
    if (!structured(type)) {
      return rexBuilder.makeAbstractCast(type, value, false);
    }
    if (value instanceof RexLiteral literal && literal.isNull()) {
      return rexBuilder.makeNullLiteral(type);
    }
    if (value instanceof RexCall call) {
      List<RexNode> operands = call.getOperands();
      switch (call.getKind()) {
        case CAST:
          return castTo(operands.get(0), type);
        case ROW:
          if (type.isStruct() && type.getFieldCount() == operands.size()) {
            List<RexNode> fields = new ArrayList<>();
            for (int i = 0; i < operands.size(); i++) {
              fields.add(castTo(operands.get(i), type.getFieldList().get(i).getType()));
            }
            return rexBuilder.makeCall(type, SqlStdOperatorTable.ROW, fields);
          }
          break;
        case ARRAY_VALUE_CONSTRUCTOR:
          if (type.getComponentType() != null) {
            List<RexNode> elements = new ArrayList<>();
            for (RexNode element : operands) {
              elements.add(castTo(element, type.getComponentType()));
            }
            return rexBuilder.makeCall(type, SqlStdOperatorTable.ARRAY_VALUE_CONSTRUCTOR, elements);
          }
          break;
        case MAP_VALUE_CONSTRUCTOR:
          if (type.getKeyType() != null && type.getValueType() != null) {
            List<RexNode> entries = new ArrayList<>();
            for (int i = 0; i < operands.size(); i++) {
              entries.add(castTo(operands.get(i), i % 2 == 0 ? type.getKeyType() : type.getValueType()));
            }
            return rexBuilder.makeCall(type, SqlStdOperatorTable.MAP_VALUE_CONSTRUCTOR, entries);
          }
          break;
        default:
          break;
      }
    }
    return rexBuilder.makeReinterpretCast(type, value, rexBuilder.makeLiteral(false));
  }

  /**
   * Whether a cast to {@code type} is one Calcite cannot generate: a struct, or a collection
   * holding structs or collections.
   */
  static boolean structured(RelDataType type) {
    if (type.isStruct()) {
      return true;
    }
    RelDataType component = type.getComponentType();
    if (component != null) {
      return collection(component) || structured(component);
    }
    RelDataType key = type.getKeyType();
    RelDataType value = type.getValueType();
    return key != null && value != null
        && (collection(key) || collection(value) || structured(key) || structured(value));
  }

  private static boolean collection(RelDataType type) {
    return type.getComponentType() != null || type.getKeyType() != null;
  }
}
