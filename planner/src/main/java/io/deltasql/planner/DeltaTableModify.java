package io.deltasql.planner;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.ParameterExpression;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.util.BuiltInMethod;

/**
 * {@code INSERT} into a Delta table in Calcite's enumerable convention: the input's rows, as
 * {@code Object[]}, go to {@link DeltaDml#insert}, which returns the row count.
 */
public final class DeltaTableModify extends TableModify implements EnumerableRel {
  DeltaTableModify(RelOptCluster cluster, RelTraitSet traits, RelOptTable table,
      Prepare.CatalogReader catalogReader, RelNode input) {
    super(cluster, traits, table, catalogReader, input, Operation.INSERT, null, null, false);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new DeltaTableModify(getCluster(), traitSet, getTable(), getCatalogReader(), sole(inputs));
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder();
    Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
    Expression child = builder.append("child", input.block);
    PhysType inputType = input.physType;
    ParameterExpression row = Expressions.parameter(inputType.getJavaRowType(), "row");
    List<Expression> values = new ArrayList<>();
    for (int i = 0; i < inputType.getRowType().getFieldCount(); i++) {
      values.add(Expressions.box(inputType.fieldReference(row, i)));
    }
    Expression arrays = builder.append("rows", Expressions.call(child, BuiltInMethod.SELECT.method,
        Expressions.lambda(Function1.class, Expressions.newArrayInit(Object.class, values), row)));
    DeltaTable table = getTable().unwrap(DeltaTable.class);
    builder.add(Expressions.return_(null, Expressions.call(DeltaDml.class, "insert",
        implementor.getRootExpression(), Expressions.constant(table.info().tableId()), arrays,
        Expressions.constant(readsNoTable(getInput())))));
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
        pref == Prefer.ARRAY ? JavaRowFormat.ARRAY : JavaRowFormat.SCALAR);
    return implementor.result(physType, builder.toBlock());
  }

  /**
   * Whether {@code input} computes its rows from literals and parameters only (values,
   * projections, filters, unions of them): no table, table function or other source is read,
   * so the rows of a batch's parameter sets may be held and written together.
   */
  static boolean readsNoTable(RelNode input) {
    if (!(input instanceof Values || input instanceof Calc || input instanceof Project || input instanceof Filter
        || input instanceof Union)) {
      return false;
    }
    for (RelNode child : input.getInputs()) {
      if (!readsNoTable(child)) {
        return false;
      }
    }
    return true;
  }

  /** The convention this node is in. */
  static RelTraitSet traits(RelNode input) {
    return input.getTraitSet().replace(EnumerableConvention.INSTANCE);
  }
}
