package io.deltasql.parser.node;

import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
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
 * {@code SHOW TABLES [IN | FROM schema]}: a query (it returns rows), so its kind is
 * {@link SqlKind#OTHER}, not DDL.
 */
public final class SqlShowTables extends SqlCall {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("SHOW TABLES", SqlKind.OTHER) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlShowTables(pos, (SqlIdentifier) operands[0]);
        }
      };

  private final SqlIdentifier schema;

  SqlShowTables(SqlParserPos pos, SqlIdentifier schema) {
    super(pos);
    this.schema = schema;
  }

  /** The schema of {@code IN schema}; absent for the connection's default schema. */
  public Optional<SqlIdentifier> schema() {
    return Optional.ofNullable(schema);
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(schema);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW TABLES");
    if (schema != null) {
      writer.keyword("IN");
      schema.unparse(writer, 0, 0);
    }
  }
}
