package io.deltasql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.parser.impl.DeltaSqlParserImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.StringAndPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.Litmus;

/**
 * A fluent parser fixture in the style of Calcite's {@code SqlParserTest}:
 * {@code sql("...").ok("expected unparse")} and {@code sql("... ^bad^ ...").fails("regex")},
 * where the carets mark where the error must be reported (and are not part of the SQL).
 */
final class ParserFixture {
  static final SqlParser.Config CONFIG =
      SqlParser.config().withParserFactory(DeltaSqlParserImpl.FACTORY);

  private final StringAndPos sap;

  private ParserFixture(String sql) {
    this.sap = StringAndPos.of(sql);
  }

  /** A fixture for one statement. */
  static ParserFixture sql(String sql) {
    return new ParserFixture(sql);
  }

  /**
   * Parses the statement, checks that it unparses to {@code expected}, and that the
   * unparsed text parses again to an equal tree (that unparsing round-trips).
   */
  ParserFixture ok(String expected) {
    final SqlNode node = parse(sap.sql);
    assertEquals(expected, node.toString(), () -> "unparse of " + sap.sql);
    final String again = node.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
    final SqlNode reparsed = parse(again);
    assertEquals(expected, reparsed.toString(), () -> "unparse of re-parsed " + again);
    assertTrue(node.equalsDeep(reparsed, Litmus.IGNORE),
        () -> "re-parsed tree differs: " + again);
    final SqlNode copy = node.accept(new DeepCopy());
    assertEquals(expected, copy.toString(), "unparse of a deep copy");
    assertTrue(node.equalsDeep(copy, Litmus.IGNORE), "deep copy differs");
    return this;
  }

  /** Parses the statement and returns its tree, which must be of {@code type}. */
  <T extends SqlNode> T node(Class<T> type) {
    return assertInstanceOf(type, parse(sap.sql));
  }

  /** Parses the statements of a script, separated by semicolons. */
  SqlNodeList script() {
    try {
      return SqlParser.create(sap.sql, CONFIG).parseStmtList();
    } catch (SqlParseException e) {
      throw new AssertionError("cannot parse " + sap.sql + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that parsing fails with a message matching {@code messageRegex} (in full,
   * across lines) and, if the SQL has carets, at the position they mark.
   */
  ParserFixture fails(String messageRegex) {
    final SqlParseException e = assertThrows(SqlParseException.class,
        () -> SqlParser.create(sap.sql, CONFIG).parseStmt(), () -> "parsed " + sap.sql);
    assertTrue(e.getMessage().matches("(?s)" + messageRegex),
        () -> "message of " + sap.sql + " was:\n" + e.getMessage());
    if (sap.pos != null) {
      final SqlParserPos actual = e.getPos();
      assertNotNull(actual, () -> "no position for " + sap.sql);
      assertEquals(sap.pos.getLineNum(), actual.getLineNum(), "error line");
      assertEquals(sap.pos.getColumnNum(), actual.getColumnNum(), "error column");
    }
    return this;
  }

  /**
   * Copies every call of a tree through its operator's {@code createCall}, as a
   * rewriting {@link SqlShuttle} does, to check that each node class rebuilds itself.
   */
  private static final class DeepCopy extends SqlShuttle {
    @Override public SqlNode visit(SqlCall call) {
      final CallCopyingArgHandler handler = new CallCopyingArgHandler(call, true);
      call.getOperator().acceptCall(this, call, false, handler);
      final SqlNode copy = handler.result();
      assertEquals(call.getClass(), copy.getClass(), () -> "copy of " + call);
      return copy;
    }
  }

  private static SqlNode parse(String sql) {
    try {
      return SqlParser.create(sql, CONFIG).parseStmt();
    } catch (SqlParseException e) {
      throw new AssertionError("cannot parse " + sql + ": " + e.getMessage(), e);
    }
  }
}
