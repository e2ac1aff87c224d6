package io.deltasql.planner;

import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.EnumerableTableScan;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.util.BuiltInMethod;
import java.util.List;
import java.util.Objects;

/**
 * A full scan of a Delta table in Calcite's enumerable convention. Unlike
 * {@link EnumerableTableScan} it hands the table's rows on as they are: {@link SqlValues}
 * already gives every column the representation the generated code expects, while Calcite's
 * own scan re-copies array columns element by element and cannot compile that copy for arrays
 * of structs or of arrays.
 */
final class DeltaTableScan extends EnumerableTableScan {
  DeltaTableScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table) {
    super(cluster, traits, table, Object[].class);
  }

  /** A scan of {@code table} with the traits Calcite's own scan would have. */
  static DeltaTableScan of(RelOptCluster cluster, RelOptTable table) {
    return new DeltaTableScan(cluster, EnumerableTableScan.create(cluster, table).getTraitSet(), table);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new DeltaTableScan(getCluster(), traitSet, getTable());
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    boolean single = getRowType().getFieldCount() == 1;
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
        single ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY);
    // Calcite's expression for a ProjectableFilterableTable: Schemas.enumerable(table, root).
    Expression rows = Objects.requireNonNull(getTable().getExpression(Enumerable.class), "table expression");
    if (single) {
      rows = Expressions.call(BuiltInMethod.SLICE0.method, rows);
    }
    return implementor.result(physType, Blocks.toBlock(rows));
  }
}
