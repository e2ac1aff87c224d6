package io.deltasql.parser.node;

import java.util.List;
import java.util.OptionalInt;
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
 * {@code DESCRIBE HISTORY name [LIMIT n]}: the table's versions, newest first, at most
 * {@code n} of them. A query (it returns rows), so its kind is {@link SqlKind#OTHER}.
 *
 * <p>{@code DESCRIBE history} alone still describes a table called {@code history}
 * (Calcite's {@code SqlDescribeTable}).
 */
public final class SqlDescribeHistory extends SqlCall {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("DESCRIBE HISTORY", SqlKind.OTHER) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlDescribeHistory(pos, (SqlIdentifier) operands[0],
              (SqlLiteral) operands[1]);
        }
      };

  private final SqlIdentifier table;
  private final SqlLiteral limit;

  SqlDescribeHistory(SqlParserPos pos, SqlIdentifier table, SqlLiteral limit) {
    super(pos);
    this.table = table;
    this.limit = limit;
  }

  /** The table's name, possibly qualified by its schema. */
  public SqlIdentifier table() {
    return table;
  }

  /** The {@code LIMIT}: how many of the newest versions to list; absent for all. */
  public OptionalInt limit() {
    return limit == null ? OptionalInt.empty() : OptionalInt.of(limit.intValue(true));
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(table, limit);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DESCRIBE HISTORY");
    table.unparse(writer, 0, 0);
    if (limit != null) {
      writer.keyword("LIMIT");
      limit.unparse(writer, 0, 0);
    }
  }
}
