package io.deltasql.parser.node;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code SHOW SCHEMAS}: a query (it returns rows), so its kind is {@link SqlKind#OTHER},
 * not DDL.
 */
public final class SqlShowSchemas extends SqlCall {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW SCHEMAS", SqlKind.OTHER) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlShowSchemas(pos);
        }
      };

  SqlShowSchemas(SqlParserPos pos) {
    super(pos);
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of();
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW SCHEMAS");
  }
}
