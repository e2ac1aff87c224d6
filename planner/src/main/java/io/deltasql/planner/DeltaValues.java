package io.deltasql.planner;

import com.google.common.collect.ImmutableList;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Primitive;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexLiteral;

/**
 * A {@code VALUES} list too long to compile row by row (see {@link LiteralRows}): its rows are
 * converted to Java values while planning and handed to the generated code as one object
 * ({@link EnumerableRelImplementor#stash}), so the code's size does not grow with the rows.
 */
final class DeltaValues extends Values implements EnumerableRel {
  private final List<Object[]> rows;

  private DeltaValues(RelOptCluster cluster, RelDataType rowType, ImmutableList<ImmutableList<RexLiteral>> tuples,
      RelTraitSet traits, List<Object[]> rows) {
    super(cluster, rowType, tuples, traits);
    this.rows = rows;
  }

  /** The Enumerable form of {@code values}, or null if a literal has no Java value deltasql can hand over. */
  static DeltaValues of(Values values) {
    JavaTypeFactory types = (JavaTypeFactory) values.getCluster().getTypeFactory();
    List<Class<?>> classes = new ArrayList<>();
    for (var field : values.getRowType().getFieldList()) {
      Type type = types.getJavaClass(field.getType());
      if (!(type instanceof Class<?> c)) {
        return null;
      }
      classes.add(Primitive.box(c));
    }
    List<Object[]> rows = new ArrayList<>(values.getTuples().size());
    for (List<RexLiteral> tuple : values.getTuples()) {
      Object[] row = new Object[tuple.size()];
      for (int i = 0; i < row.length; i++) {
        RexLiteral literal = tuple.get(i);
        try {
          row[i] = literal.isNull() ? null : literal.getValueAs(classes.get(i));
        } catch (RuntimeException notConvertible) {
          return null;
        }
        if (row[i] == null && !literal.isNull()) {
          return null;
        }
      }
      rows.add(row);
    }
    return new DeltaValues(values.getCluster(), values.getRowType(), values.getTuples(),
        values.getTraitSet().replace(EnumerableConvention.INSTANCE), List.copyOf(rows));
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new DeltaValues(getCluster(), getRowType(), tuples, traitSet, rows);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY);
    // A row of one column is its value alone (the format PhysTypeImpl chooses for it).
    List<?> records = physType.getFormat() == JavaRowFormat.SCALAR ? rows.stream().map(row -> row[0]).toList()
        : rows;
    Expression stashed = implementor.stash(records, List.class);
    BlockBuilder builder = new BlockBuilder();
    builder.add(Expressions.return_(null, Expressions.call(Linq4j.class, "asEnumerable", stashed)));
    return implementor.result(physType, builder.toBlock());
  }
}
