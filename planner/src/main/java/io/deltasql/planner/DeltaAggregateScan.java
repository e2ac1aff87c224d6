package io.deltasql.planner;

import io.deltasql.core.data.Aggregation;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.util.BuiltInMethod;

/**
 * A grouped aggregate computed inside the scan of a Delta table: one row per group, from the
 * files' pages, without a row per record ({@link DeltaTable#aggregate}). The planner puts it in
 * place of an aggregate over an unfiltered scan when every grouping column and function is one
 * the scan computes ({@link DeltaRules#AGGREGATE_SCAN}); its rows are the aggregate's.
 */
final class DeltaAggregateScan extends TableScan implements EnumerableRel {
  private final Aggregation aggregation;
  private final RelDataType rowType;

  DeltaAggregateScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, Aggregation aggregation,
      RelDataType rowType) {
    super(cluster, traits, List.of(), table);
    this.aggregation = aggregation;
    this.rowType = rowType;
  }

  /** The aggregate {@code aggregation} over {@code table}, its rows typed {@code rowType}. */
  static DeltaAggregateScan of(RelOptCluster cluster, RelOptTable table, Aggregation aggregation,
      RelDataType rowType) {
    return new DeltaAggregateScan(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE), table, aggregation,
        rowType);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new DeltaAggregateScan(getCluster(), traitSet, getTable(), aggregation, rowType);
  }

  @Override
  public RelDataType deriveRowType() {
    return rowType;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw)
        .item("group", aggregation.groupBy())
        .item("aggregates", aggregation.calls());
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    boolean single = getRowType().getFieldCount() == 1;
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
        single ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY);
    Expression table = implementor.stash(getTable().unwrap(DeltaTable.class), DeltaTable.class);
    Expression rows = Expressions.call(table,
        Types.lookupMethod(DeltaTable.class, "aggregate", DataContext.class, Aggregation.class),
        DataContext.ROOT, implementor.stash(aggregation, Aggregation.class));
    if (single) {
      rows = Expressions.call(BuiltInMethod.SLICE0.method, rows);
    }
    return implementor.result(physType, Blocks.toBlock(rows));
  }
}
