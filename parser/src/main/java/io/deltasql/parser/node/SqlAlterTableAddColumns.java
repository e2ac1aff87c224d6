package io.deltasql.parser.node;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code ALTER TABLE name ADD [COLUMN] column} and
 * {@code ALTER TABLE name ADD COLUMNS (column, ...)}: new columns at the end of the schema.
 */
public final class SqlAlterTableAddColumns extends SqlDdl {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("ALTER TABLE", SqlKind.ALTER_TABLE) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlAlterTableAddColumns(pos, (SqlIdentifier) operands[0],
              (SqlNodeList) operands[1]);
        }
      };

  private final SqlIdentifier name;
  private final SqlNodeList columns;

  SqlAlterTableAddColumns(SqlParserPos pos, SqlIdentifier name, SqlNodeList columns) {
    super(OPERATOR, pos);
    this.name = name;
    this.columns = columns;
  }

  /** The table's name, possibly qualified by its schema. */
  public SqlIdentifier name() {
    return name;
  }

  /** The new columns, in order; at least one. */
  public List<SqlColumnDef> columns() {
    return NodeSupport.listOf(columns, SqlColumnDef.class);
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(name, columns);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER TABLE");
    name.unparse(writer, 0, 0);
    if (columns.size() == 1) {
      writer.keyword("ADD COLUMN");
      columns.get(0).unparse(writer, 0, 0);
    } else {
      writer.keyword("ADD COLUMNS");
      NodeSupport.unparseList(writer, columns);
    }
  }
}
