package io.deltasql.planner;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.adapter.enumerable.EnumerableTableScanRule;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.logical.LogicalTableModify;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

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

  /**
   * Full scans of Delta tables as {@link DeltaTableScan}; every other table as Calcite's own
   * {@code EnumerableTableScanRule} would (it replaces that rule).
   */
  public static final RelOptRule TABLE_SCAN = EnumerableTableScanRule.DEFAULT_CONFIG
      .withRuleFactory(TableScanRule::new)
      .toRule(TableScanRule.class);

  /**
   * Aggregates over unfiltered scans of Delta tables computed in the scan
   * ({@link AggregateScanRule}), rewriting Calcite's physical plan.
   */
  public static final Program AGGREGATE_SCAN = Programs.of(HepProgram.builder()
      .addRuleInstance(AggregateScanRule.OVER_PROJECTED_SCAN)
      .addRuleInstance(AggregateScanRule.OVER_FULL_SCAN)
      .build(), true, DefaultRelMetadataProvider.INSTANCE);

  /** Every rule of the cost-based planning. */
  public static final List<RelOptRule> RULES = List.of(TABLE_MODIFY, TABLE_SCAN);

  /** Adds the rules to {@code planner}, in place of the Calcite rules they replace. */
  public static void register(RelOptPlanner planner) {
    planner.removeRule(EnumerableRules.ENUMERABLE_TABLE_SCAN_RULE);
    planner.removeRule(EnumerableRules.ENUMERABLE_VALUES_RULE);
    RULES.forEach(planner::addRule);
    LiteralRows.RULES.forEach(planner::addRule);
  }

  /** Converts a logical table scan, a Delta table's as {@link DeltaTableScan}. */
  static final class TableScanRule extends EnumerableTableScanRule {
    TableScanRule(Config config) {
      super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
      LogicalTableScan scan = (LogicalTableScan) rel;
      if (scan.getTable().unwrap(DeltaTable.class) != null) {
        return DeltaTableScan.of(scan.getCluster(), scan.getTable());
      }
      return super.convert(rel);
    }
  }

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
