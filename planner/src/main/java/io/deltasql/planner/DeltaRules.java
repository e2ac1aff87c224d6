package io.deltasql.planner;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.logical.LogicalTableModify;

/** The planner rules of Delta tables, added to every deltasql statement's planner. */
public final class DeltaRules {
  private DeltaRules() {}

  /** {@code INSERT} into a Delta table as {@link DeltaTableModify}. */
  public static final RelOptRule TABLE_MODIFY = ConverterRule.Config.INSTANCE
      .withConversion(LogicalTableModify.class,
          (LogicalTableModify modify) -> modify.getTable().unwrap(DeltaTable.class) != null
              && modify.getOperation() == TableModify.Operation.INSERT,
          Convention.NONE, EnumerableConvention.INSTANCE, "DeltaTableModifyRule")
      .withRuleFactory(TableModifyRule::new)
      .toRule(TableModifyRule.class);

  /** Every rule. */
  public static final List<RelOptRule> RULES = List.of(TABLE_MODIFY);

  /** Converts a logical INSERT into a Delta table. */
  static final class TableModifyRule extends ConverterRule {
    TableModifyRule(Config config) {
      super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
      LogicalTableModify modify = (LogicalTableModify) rel;
      RelNode input = convert(modify.getInput(), modify.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE));
      return new DeltaTableModify(modify.getCluster(), DeltaTableModify.traits(modify), modify.getTable(),
          modify.getCatalogReader(), input);
    }
  }
}
