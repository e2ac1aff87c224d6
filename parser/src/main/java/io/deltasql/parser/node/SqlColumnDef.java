package io.deltasql.parser.node;

import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
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
 * A column of {@code CREATE TABLE} or {@code ALTER TABLE ... ADD COLUMN}:
 * {@code name type [NOT NULL] [COMMENT 'text']}.
 *
 * <p>Columns are nullable unless {@code NOT NULL} is written, as in Delta.
 */
public final class SqlColumnDef extends SqlCall {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("COLUMN_DEF", SqlKind.COLUMN_DECL) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlColumnDef(pos, (SqlIdentifier) operands[0],
              (SqlDataTypeSpec) operands[1], (SqlLiteral) operands[2]);
        }
      };

  private final SqlIdentifier name;
  private final SqlDataTypeSpec dataType;
  private final SqlLiteral comment;

  SqlColumnDef(SqlParserPos pos, SqlIdentifier name, SqlDataTypeSpec dataType,
      SqlLiteral comment) {
    super(pos);
    this.name = name;
    this.dataType = dataType;
    this.comment = comment;
  }

  /** The column's name, a simple identifier. */
  public SqlIdentifier name() {
    return name;
  }

  /** The column's type as written; {@link SqlDataTypeSpec#getNullable()} is set. */
  public SqlDataTypeSpec dataType() {
    return dataType;
  }

  /** Whether the column accepts nulls: true unless {@code NOT NULL} was written. */
  public boolean isNullable() {
    return !Boolean.FALSE.equals(dataType.getNullable());
  }

  /** The text of {@code COMMENT '...'}, if written. */
  public Optional<String> comment() {
    return Optional.ofNullable(comment).map(NodeSupport::stringOf);
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, dataType, comment);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    name.unparse(writer, 0, 0);
    dataType.unparse(writer, 0, 0);
    if (!isNullable()) {
      writer.keyword("NOT NULL");
    }
    if (comment != null) {
      writer.keyword("COMMENT");
      comment.unparse(writer, 0, 0);
    }
  }
}
