package io.deltasql.parser.node;

import java.util.List;
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

/** {@code CHECKPOINT name}: writes a checkpoint of the table's latest version now. */
public final class SqlCheckpoint extends SqlDdl {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CHECKPOINT", SqlKind.OTHER_DDL) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlCheckpoint(pos, (SqlIdentifier) operands[0]);
        }
      };

  private final SqlIdentifier table;

  SqlCheckpoint(SqlParserPos pos, SqlIdentifier table) {
    super(OPERATOR, pos);
    this.table = table;
  }

  /** The table's name, possibly qualified by its schema. */
  public SqlIdentifier table() {
    return table;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(table);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CHECKPOINT");
    table.unparse(writer, 0, 0);
  }
}
