package io.deltasql.parser.node;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code CREATE SCHEMA [IF NOT EXISTS] name}. {@code OR REPLACE} is parsed and kept
 * ({@link #getReplace()}) for the planner to refuse.
 */
public final class SqlCreateSchema extends SqlCreate {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE SCHEMA", SqlKind.CREATE_SCHEMA) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlCreateSchema(pos, NodeSupport.flag(operands[0]),
              NodeSupport.flag(operands[1]), (SqlIdentifier) operands[2]);
        }
      };

  private final SqlIdentifier name;

  SqlCreateSchema(SqlParserPos pos, boolean replace, boolean ifNotExists,
      SqlIdentifier name) {
    super(OPERATOR, pos, replace, ifNotExists);
    this.name = name;
  }

  /** The schema's name. */
  public SqlIdentifier name() {
    return name;
  }

  /** Whether {@code IF NOT EXISTS} was written. */
  public boolean ifNotExists() {
    return ifNotExists;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(NodeSupport.flag(getReplace()), NodeSupport.flag(ifNotExists), name);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    if (getReplace()) {
      writer.keyword("OR REPLACE");
    }
    writer.keyword("SCHEMA");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
  }
}
