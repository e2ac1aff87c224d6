package io.deltasql.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.tools.Program;

/**
 * {@code AVG} as Delta (Spark) computes it. Of integers: each value is taken as a DOUBLE and the
 * DOUBLE sum is divided by the count, so the average of a BIGINT column never overflows (Calcite
 * would reduce it to the checked BIGINT sum of {@link CheckedArithmetic} and raise 22003 past
 * {@code Long.MAX_VALUE}); its type is DOUBLE ({@link DeltaTypeSystem#deriveAvgAggType}). Of
 * DECIMALs: the exact sum over the count, rounded to the average's scale ({@link DecimalAverage}).
 *
 * <p>Runs before Calcite's planning: in an aggregate, the integer argument of an {@code AVG} is
 * replaced by a DOUBLE cast of it, projected as a new column of the aggregate's input; a DECIMAL
 * {@code AVG} is replaced by the {@code $SUM0} and {@code COUNT} of its argument, and a projection
 * above the aggregate divides them. A windowed {@code AVG(x) OVER (...)} is expanded by Calcite
 * while converting the statement, before this runs: {@link WindowedAverages} makes that
 * expansion sum DOUBLE values, or divide a DECIMAL sum exactly.
 */
final class Averages {
  /** The rewrite as a planning program. */
  static final Program PROGRAM = (planner, rel, traits, materializations, lattices) -> rewrite(rel);

  private Averages() {}

  /** {@code rel} and its inputs with every integer {@code AVG} taken over DOUBLE values, every DECIMAL one exact. */
  static RelNode rewrite(RelNode rel) {
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        return visited instanceof Aggregate aggregate ? exactDecimals(averageDoubles(aggregate)) : visited;
      }
    });
  }

  /** The aggregate with each integer {@code AVG} over a DOUBLE column appended to its input. */
  private static Aggregate averageDoubles(Aggregate aggregate) {
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
      if (!average(call, fields, SqlTypeUtil::isIntType)) {
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
    RelNode doubles = LogicalProject.create(input, List.of(), projects, names, Set.of());
    return aggregate.copy(aggregate.getTraitSet(), doubles, aggregate.getGroupSet(), aggregate.getGroupSets(), calls);
  }

  /**
   * The aggregate with each DECIMAL {@code AVG} replaced by the {@code $SUM0} and {@code COUNT} of
   * its argument, under a projection of the aggregate's columns that divides them exactly. The
   * sum is {@code $SUM0} (0 for no value), not {@code SUM}, which Calcite would later reduce to
   * {@code CASE WHEN COUNT = 0 THEN NULL ELSE $SUM0 END}: {@link DecimalAverage} gives NULL for a
   * count of 0 by itself.
   */
  private static RelNode exactDecimals(Aggregate aggregate) {
    RelNode input = aggregate.getInput();
    List<RelDataTypeField> fields = input.getRowType().getFieldList();
    if (aggregate.getAggCallList().stream().noneMatch(call -> average(call, fields, SqlTypeUtil::isDecimal))) {
      return aggregate;
    }
    int groupCount = aggregate.getGroupCount();
    List<AggregateCall> calls = new ArrayList<>();
    List<int[]> columns = new ArrayList<>(); // per call: its column, or its sum's and count's columns
    for (AggregateCall call : aggregate.getAggCallList()) {
      if (!average(call, fields, SqlTypeUtil::isDecimal)) {
        columns.add(new int[] {groupCount + calls.size()});
        calls.add(call);
        continue;
      }
      columns.add(new int[] {groupCount + calls.size(), groupCount + calls.size() + 1});
      calls.add(derived(call, SqlStdOperatorTable.SUM0, aggregate));
      calls.add(derived(call, SqlStdOperatorTable.COUNT, aggregate));
    }
    Aggregate sums = aggregate.copy(aggregate.getTraitSet(), input, aggregate.getGroupSet(),
        aggregate.getGroupSets(), calls);
    RexBuilder rexBuilder = aggregate.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>();
    for (int key = 0; key < groupCount; key++) {
      projects.add(rexBuilder.makeInputRef(sums, key));
    }
    for (int i = 0; i < columns.size(); i++) {
      int[] column = columns.get(i);
      projects.add(column.length == 1 ? rexBuilder.makeInputRef(sums, column[0])
          : DecimalAverage.of(rexBuilder, aggregate.getAggCallList().get(i).getType(),
              rexBuilder.makeInputRef(sums, column[0]), rexBuilder.makeInputRef(sums, column[1])));
    }
    return LogicalProject.create(sums, List.of(), projects, aggregate.getRowType().getFieldNames(), Set.of());
  }

  /** {@code function} ($SUM0 or COUNT) over the rows and argument of {@code average}, typed as Calcite derives it. */
  private static AggregateCall derived(AggregateCall average, SqlAggFunction function, Aggregate aggregate) {
    return AggregateCall.create(average.getParserPosition(), function, average.isDistinct(), average.isApproximate(),
        average.ignoreNulls(), average.rexList, average.getArgList(), average.filterArg, average.distinctKeys,
        average.getCollation(), aggregate.getGroupCount(), aggregate.getInput(), null, null);
  }

  /** Whether {@code call} is an {@code AVG} of one argument whose type {@code argumentType} accepts. */
  private static boolean average(AggregateCall call, List<RelDataTypeField> fields,
      Predicate<RelDataType> argumentType) {
    return call.getAggregation().getKind() == SqlKind.AVG && call.getArgList().size() == 1
        && argumentType.test(fields.get(call.getArgList().get(0)).getType());
  }

  private static RexNode asDouble(RexBuilder rexBuilder, RexNode value) {
    RelDataType type = rexBuilder.getTypeFactory().createTypeWithNullability(
        rexBuilder.getTypeFactory().createSqlType(SqlTypeName.DOUBLE), value.getType().isNullable());
    return rexBuilder.makeCast(type, value);
  }
}
