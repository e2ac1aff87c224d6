package io.deltasql.parser.node;

import java.util.List;
import java.util.OptionalLong;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Time travel to a version in a {@code FROM} clause: {@code t VERSION AS OF n}, where
 * {@code n} is a version number or a dynamic parameter ({@code ?}).
 *
 * <p>{@code t TIMESTAMP AS OF ts} needs no node of its own: it parses to Calcite's
 * {@link org.apache.calcite.sql.SqlSnapshot}, exactly as {@code t FOR SYSTEM_TIME AS OF
 * ts} does. Calcite's validator knows only timestamps there, so this node is for the
 * planner to resolve (to the table at that version) before validation.
 */
public final class SqlVersionAsOf extends SqlCall {
  /** The operator of every {@code VERSION AS OF} call. */
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("VERSION AS OF", SqlKind.OTHER) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlVersionAsOf(pos, operands[0], operands[1]);
        }
      };

  private final SqlNode tableRef;
  private final SqlNode version;

  SqlVersionAsOf(SqlParserPos pos, SqlNode tableRef, SqlNode version) {
    super(pos);
    this.tableRef = tableRef;
    this.version = version;
  }

  /** The table: a (possibly qualified) identifier, possibly with table hints. */
  public SqlNode tableRef() {
    return tableRef;
  }

  /** The version: a non-negative integer literal or a dynamic parameter. */
  public SqlNode version() {
    return version;
  }

  /** The version number, unless it is a dynamic parameter. */
  public OptionalLong versionNumber() {
    return version instanceof SqlLiteral literal
        ? OptionalLong.of(literal.longValue(true))
        : OptionalLong.empty();
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return List.of(tableRef, version);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    tableRef.unparse(writer, 0, 0);
    writer.keyword("VERSION AS OF");
    version.unparse(writer, 0, 0);
  }
}
