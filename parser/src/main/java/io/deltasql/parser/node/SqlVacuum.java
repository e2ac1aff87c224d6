package io.deltasql.parser.node;

import java.math.BigDecimal;
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
 * {@code VACUUM name [RETAIN n HOURS] [DRY RUN]}: deletes the data files that no version
 * younger than the retention period references; {@code DRY RUN} only lists them.
 */
public final class SqlVacuum extends SqlDdl {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("VACUUM", SqlKind.OTHER_DDL) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlVacuum(pos, (SqlIdentifier) operands[0], (SqlLiteral) operands[1],
              NodeSupport.flag(operands[2]));
        }
      };

  private final SqlIdentifier table;
  private final SqlLiteral retainHours;
  private final boolean dryRun;

  SqlVacuum(SqlParserPos pos, SqlIdentifier table, SqlLiteral retainHours, boolean dryRun) {
    super(OPERATOR, pos);
    this.table = table;
    this.retainHours = retainHours;
    this.dryRun = dryRun;
  }

  /** The table's name, possibly qualified by its schema. */
  public SqlIdentifier table() {
    return table;
  }

  /** The retention of {@code RETAIN n HOURS}, 0 or more; absent for the table's default. */
  public Optional<BigDecimal> retainHours() {
    return Optional.ofNullable(retainHours).map(SqlLiteral::bigDecimalValue);
  }

  /** Whether {@code DRY RUN} was written: list the files, delete nothing. */
  public boolean dryRun() {
    return dryRun;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(table, retainHours, NodeSupport.flag(dryRun));
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("VACUUM");
    table.unparse(writer, 0, 0);
    if (retainHours != null) {
      writer.keyword("RETAIN");
      retainHours.unparse(writer, 0, 0);
      writer.keyword("HOURS");
    }
    if (dryRun) {
      writer.keyword("DRY RUN");
    }
  }
}
