package io.deltasql.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A read-only system table: fixed columns, rows computed at each scan. Values are in Calcite's
 * representation (TIMESTAMP as {@code Long} milliseconds).
 */
final class SysTable extends AbstractTable implements ScannableTable {
  /** A column of a system table. */
  record Column(String name, SqlTypeName type, boolean nullable) {}

  private final List<Column> columns;
  private final Function<DataContext, List<Object[]>> rows;

  private SysTable(List<Column> columns, Function<DataContext, List<Object[]>> rows) {
    this.columns = columns;
    this.rows = rows;
  }

  static Builder builder() {
    return new Builder();
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder builder = typeFactory.builder();
    for (Column column : columns) {
      if (column.type() == SqlTypeName.TIMESTAMP) {
        builder.add(column.name(), column.type(), DeltaTypes.TIMESTAMP_PRECISION).nullable(column.nullable());
      } else {
        builder.add(column.name(), column.type()).nullable(column.nullable());
      }
    }
    return builder.build();
  }

  @Override
  public Schema.TableType getJdbcTableType() {
    return Schema.TableType.SYSTEM_TABLE;
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    return Linq4j.asEnumerable(rows.apply(root));
  }

  /** Columns, then the rows' supplier. */
  static final class Builder {
    private final List<Column> columns = new ArrayList<>();

    Builder column(String name, SqlTypeName type) {
      columns.add(new Column(name, type, false));
      return this;
    }

    Builder nullable(String name, SqlTypeName type) {
      columns.add(new Column(name, type, true));
      return this;
    }

    SysTable rows(Supplier<List<Object[]>> rows) {
      return new SysTable(List.copyOf(columns), root -> rows.get());
    }

    /** Rows computed from the execution's context (procedures that run queries). */
    SysTable rows(Function<DataContext, List<Object[]>> rows) {
      return new SysTable(List.copyOf(columns), rows);
    }
  }
}
