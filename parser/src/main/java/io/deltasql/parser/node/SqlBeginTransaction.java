package io.deltasql.parser.node;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * Starts a transaction that may read and write several tables and commits them
 * atomically:
 *
 * <pre>
 * BEGIN MULTI [ISOLATION LEVEL level] [PRIORITY n]
 * BEGIN [TRANSACTION | WORK] [ISOLATION LEVEL level] [PRIORITY n]
 * START TRANSACTION [ISOLATION LEVEL level] [PRIORITY n]
 * </pre>
 *
 * <p>All three spellings start the same kind of transaction; {@link #multi()} only
 * records which one was written. {@code PRIORITY} orders deadlock victims: the lowest
 * priority loses.
 */
public final class SqlBeginTransaction extends SqlDdl {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("BEGIN", SqlKind.OTHER_DDL) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlBeginTransaction(pos, NodeSupport.flag(operands[0]),
              (SqlLiteral) operands[1], (SqlLiteral) operands[2]);
        }
      };

  private final boolean multi;
  private final SqlLiteral isolation;
  private final SqlLiteral priority;

  SqlBeginTransaction(SqlParserPos pos, boolean multi, SqlLiteral isolation,
      SqlLiteral priority) {
    super(OPERATOR, pos);
    this.multi = multi;
    this.isolation = isolation;
    this.priority = priority;
  }

  /** Whether it was written {@code BEGIN MULTI} (rather than a synonym). */
  public boolean multi() {
    return multi;
  }

  /** The {@code ISOLATION LEVEL}; absent for the connection's own level. */
  public Optional<IsolationLevel> isolationLevel() {
    return Optional.ofNullable(isolation).map(l -> l.getValueAs(IsolationLevel.class));
  }

  /** The {@code PRIORITY}; absent for the default. */
  public OptionalInt priority() {
    return priority == null ? OptionalInt.empty() : OptionalInt.of(priority.intValue(true));
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(NodeSupport.flag(multi), isolation, priority);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(multi ? "BEGIN MULTI" : "START TRANSACTION");
    isolationLevel().ifPresent(level -> {
      writer.keyword("ISOLATION LEVEL");
      writer.keyword(level.sql());
    });
    if (priority != null) {
      writer.keyword("PRIORITY");
      priority.unparse(writer, 0, 0);
    }
  }
}
