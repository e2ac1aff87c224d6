package io.deltasql.parser.node;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code DROP SCHEMA [IF EXISTS] name [CASCADE | RESTRICT]}. Without {@code CASCADE}
 * (that is, {@code RESTRICT}, the default) only an empty schema may be dropped.
 */
public final class SqlDropSchema extends SqlDrop {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("DROP SCHEMA", SqlKind.DROP_SCHEMA) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlDropSchema(pos, NodeSupport.flag(operands[0]),
              (SqlIdentifier) operands[1], NodeSupport.flag(operands[2]));
        }
      };

  private final SqlIdentifier name;
  private final boolean cascade;

  SqlDropSchema(SqlParserPos pos, boolean ifExists, SqlIdentifier name, boolean cascade) {
    super(OPERATOR, pos, ifExists);
    this.name = name;
    this.cascade = cascade;
  }

  /** The schema's name. */
  public SqlIdentifier name() {
    return name;
  }

  /** Whether {@code IF EXISTS} was written. */
  public boolean ifExists() {
    return ifExists;
  }

  /** Whether {@code CASCADE} was written: drop the schema's tables too. */
  public boolean cascade() {
    return cascade;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(NodeSupport.flag(ifExists), name, NodeSupport.flag(cascade));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP SCHEMA");
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, 0, 0);
    if (cascade) {
      writer.keyword("CASCADE");
    }
  }
}
