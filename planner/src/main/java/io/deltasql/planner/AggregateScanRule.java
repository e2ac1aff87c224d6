package io.deltasql.planner;

import io.deltasql.core.data.Aggregation;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.adapter.enumerable.EnumerableAggregate;
import org.apache.calcite.adapter.enumerable.EnumerableInterpreter;
import org.apache.calcite.interpreter.Bindables.BindableTableScan;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilderFactory;
import org.apache.calcite.rel.core.RelFactories;

/**
 * Replaces an aggregate over an unfiltered scan of a Delta table by a {@link DeltaAggregateScan},
 * which computes it from the files' pages. It applies to Calcite's physical plan (it runs after
 * Calcite's planning, see {@link DeltaRules#AGGREGATE_SCAN}) when the aggregate groups by plain
 * columns (none, data or partition columns of the types {@link Aggregation#canGroupBy} accepts)
 * and every call is {@code COUNT(*)}, {@code COUNT(column)}, {@code SUM}, {@code $SUM0},
 * {@code MIN} or {@code MAX} of a column as {@link Aggregation#canApply} accepts, not
 * {@code DISTINCT}, without {@code FILTER} or {@code WITHIN GROUP}, typed as the scan computes
 * it. Any other aggregate, and any scan with a filter, keeps Calcite's plan.
 */
final class AggregateScanRule extends RelRule<AggregateScanRule.Config> {
  /** An aggregate over a projected scan ({@code EnumerableInterpreter} over {@code BindableTableScan}). */
  static final AggregateScanRule OVER_PROJECTED_SCAN = new Config(RelFactories.LOGICAL_BUILDER,
      "DeltaAggregateScanRule(projected)",
      b0 -> b0.operand(EnumerableAggregate.class).oneInput(b1 -> b1.operand(EnumerableInterpreter.class)
          .oneInput(b2 -> b2.operand(BindableTableScan.class).noInputs()))).toRule();

  /** An aggregate over a scan of every column ({@link DeltaTableScan}). */
  static final AggregateScanRule OVER_FULL_SCAN = new Config(RelFactories.LOGICAL_BUILDER,
      "DeltaAggregateScanRule(full)",
      b0 -> b0.operand(EnumerableAggregate.class).oneInput(b1 -> b1.operand(DeltaTableScan.class).noInputs()))
      .toRule();

  private AggregateScanRule(Config config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Aggregate aggregate = call.rel(0);
    TableScan scan = call.rel(call.getRelList().size() - 1);
    int[] projects;
    if (scan instanceof BindableTableScan bindable) {
      if (!bindable.filters.isEmpty() || bindable.projects.size() != scan.getRowType().getFieldCount()) {
        return;
      }
      projects = bindable.projects.toIntArray();
    } else {
      projects = new int[scan.getRowType().getFieldCount()];
      for (int i = 0; i < projects.length; i++) {
        projects[i] = i;
      }
    }
    RelOptTable table = scan.getTable();
    DeltaTable delta = table.unwrap(DeltaTable.class);
    if (delta == null || delta.isTagged()) {
      return;
    }
    aggregation(aggregate, delta.schema(), projects).ifPresent(aggregation ->
        call.transformTo(DeltaAggregateScan.of(aggregate.getCluster(), table, aggregation, aggregate.getRowType())));
  }

  /** The aggregate as the scan computes it, or empty if it cannot. */
  private static Optional<Aggregation> aggregation(Aggregate aggregate, StructType schema, int[] projects) {
    if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
      return Optional.empty();
    }
    List<String> groupBy = new ArrayList<>();
    for (int field : aggregate.getGroupSet()) {
      DataType type = schema.fields().get(projects[field]).type();
      if (!Aggregation.canGroupBy(type)) {
        return Optional.empty();
      }
      groupBy.add(schema.fields().get(projects[field]).name());
    }
    List<Aggregation.Call> calls = new ArrayList<>();
    for (AggregateCall call : aggregate.getAggCallList()) {
      Optional<Aggregation.Call> pushed = call(call, aggregate.getInput().getRowType(), schema, projects);
      if (pushed.isEmpty()) {
        return Optional.empty();
      }
      calls.add(pushed.get());
    }
    return Optional.of(new Aggregation(groupBy, calls));
  }

  private static Optional<Aggregation.Call> call(AggregateCall call, RelDataType input, StructType schema,
      int[] projects) {
    if (call.isDistinct() || call.isApproximate() || call.filterArg >= 0 || !call.rexList.isEmpty()
        || !call.getCollation().getFieldCollations().isEmpty() || call.getArgList().size() > 1) {
      return Optional.empty();
    }
    Aggregation.Function function = switch (call.getAggregation().getKind()) {
      case COUNT -> call.getArgList().isEmpty() ? Aggregation.Function.COUNT_ROWS : Aggregation.Function.COUNT;
      case SUM -> Aggregation.Function.SUM;
      case SUM0 -> Aggregation.Function.SUM0;
      case MIN -> Aggregation.Function.MIN;
      case MAX -> Aggregation.Function.MAX;
      default -> null;
    };
    if (function == null || call.getArgList().isEmpty() != (function == Aggregation.Function.COUNT_ROWS)) {
      return Optional.empty();
    }
    if (function == Aggregation.Function.COUNT_ROWS) {
      return Optional.of(Aggregation.Call.countRows());
    }
    int field = call.getArgList().get(0);
    DataType type = schema.fields().get(projects[field]).type();
    SqlTypeName argument = input.getFieldList().get(field).getType().getSqlTypeName();
    SqlTypeName expected = switch (function) {
      case COUNT -> SqlTypeName.BIGINT;
      case SUM, SUM0 -> argument == SqlTypeName.DOUBLE ? SqlTypeName.DOUBLE : SqlTypeName.BIGINT;
      default -> argument;
    };
    if (!Aggregation.canApply(function, type) || call.getType().getSqlTypeName() != expected) {
      return Optional.empty();
    }
    return Optional.of(Aggregation.Call.of(function, schema.fields().get(projects[field]).name()));
  }

  /** The rule's configuration: its operands. */
  record Config(RelBuilderFactory relBuilderFactory, String description, OperandTransform operandSupplier)
      implements RelRule.Config {
    @Override
    public AggregateScanRule toRule() {
      return new AggregateScanRule(this);
    }

    @Override
    public Config withRelBuilderFactory(RelBuilderFactory factory) {
      return new Config(factory, description, operandSupplier);
    }

    @Override
    public Config withDescription(String description) {
      return new Config(relBuilderFactory, description, operandSupplier);
    }

    @Override
    public Config withOperandSupplier(OperandTransform transform) {
      return new Config(relBuilderFactory, description, transform);
    }
  }
}
