package io.deltasql.planner;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.tools.Program;

/**
 * {@code AVG} of integers as Delta (Spark) computes it: each value is taken as a DOUBLE and the
 * DOUBLE sum is divided by the count, so the average of a BIGINT column never overflows (Calcite
 * would reduce it to the checked BIGINT sum of {@link CheckedArithmetic} and raise 22003 past
 * {@code Long.MAX_VALUE}). Its type is DOUBLE ({@link DeltaTypeSystem#deriveAvgAggType}).
 *
 * <p>Runs before Calcite's planning: in an aggregate, the integer argument of an {@code AVG} is
 * replaced by a DOUBLE cast of it, projected as a new column of the aggregate's input. A
 * windowed {@code AVG(x) OVER (...)} is expanded by Calcite while converting the statement, before
 * this runs: {@link WindowedAverages} makes that expansion sum DOUBLE values.
 */
final class Averages {
  /** The rewrite as a planning program. */
  static final Program PROGRAM = (planner, rel, traits, materializations, lattices) -> rewrite(rel);

  private Averages() {}

  /** {@code rel} and its inputs with every integer {@code AVG} taken over DOUBLE values. */
  static RelNode rewrite(RelNode rel) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        return visited instanceof Aggregate aggregate ? averageDoubles(aggregate) : visited;
      }
    });
  }

  /** The aggregate with each integer {@code AVG} over a DOUBLE column appended to its input. */
  private static RelNode averageDoubles(Aggregate aggregate) {
    RelNode input = aggregate.getInput();
    List<RelDataTypeField> fields = input.getRowType().getFieldList();
    RexBuilder rexBuilder = aggregate.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (RelDataTypeField field : fields) {
      projects.add(rexBuilder.makeInputRef(input, field.getIndex()));
      names.add(field.getName());
    }
    List<AggregateCall> calls = new ArrayList<>();
    for (AggregateCall call : aggregate.getAggCallList()) {
      if (call.getAggregation().getKind() != SqlKind.AVG || call.getArgList().size() != 1
          || !integer(fields.get(call.getArgList().get(0)).getType())) {
        calls.add(call);
        continue;
      }
      int argument = call.getArgList().get(0);
      projects.add(asDouble(rexBuilder, rexBuilder.makeInputRef(input, argument)));
      names.add(fields.get(argument).getName() + "$double");
      calls.add(AggregateCall.create(call.getParserPosition(), call.getAggregation(), call.isDistinct(),
          call.isApproximate(), call.ignoreNulls(), call.rexList, List.of(projects.size() - 1), call.filterArg,
          call.distinctKeys, call.getCollation(), call.getType(), call.getName()));
    }
    if (projects.size() == fields.size()) {
      return aggregate;
    }
    RelNode doubles = LogicalProject.create(input, List.of(), projects, names, java.util.Set.of());
    return aggregate.copy(aggregate.getTraitSet(), doubles, aggregate.getGroupSet(), aggregate.getGroupSets(), calls);
  }

  private static RexNode asDouble(RexBuilder rexBuilder, RexNode value) {
    RelDataType type = rexBuilder.getTypeFactory().createTypeWithNullability(
        rexBuilder.getTypeFactory().createSqlType(SqlTypeName.DOUBLE), value.getType().isNullable());
    return rexBuilder.makeCast(type, value);
  }

  private static boolean integer(RelDataType type) {
    return SqlTypeUtil.isIntType(type);
  }
}
