package io.deltasql.parser.node;

import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code OPTIMIZE name [WHERE condition]}: compacts the table's small files, in the
 * partitions that {@code condition} selects (all of them without {@code WHERE}).
 */
public final class SqlOptimize extends SqlDdl {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("OPTIMIZE", SqlKind.OTHER_DDL) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlOptimize(pos, (SqlIdentifier) operands[0], operands[1]);
        }
      };

  private final SqlIdentifier table;
  private final SqlNode where;

  SqlOptimize(SqlParserPos pos, SqlIdentifier table, SqlNode where) {
    super(OPERATOR, pos);
    this.table = table;
    this.where = where;
  }

  /** The table's name, possibly qualified by its schema. */
  public SqlIdentifier table() {
    return table;
  }

  /** The condition of {@code WHERE}, on partition columns. */
  public Optional<SqlNode> where() {
    return Optional.ofNullable(where);
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(table, where);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("OPTIMIZE");
    table.unparse(writer, 0, 0);
    if (where != null) {
      writer.keyword("WHERE");
      where.unparse(writer, 0, 0);
    }
  }
}
