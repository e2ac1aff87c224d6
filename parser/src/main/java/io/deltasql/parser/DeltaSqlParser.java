package io.deltasql.parser;

import io.deltasql.parser.impl.DeltaSqlParserImpl;
import java.util.Objects;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of deltasql's SQL parser: every statement text, however malformed or
 * hostile, either parses or fails with a {@link SqlParseException} that has a position
 * (which the SQL layer reports as SQLState {@code 42601}).
 *
 * <p>Calcite's generated parser is recursive descent: a statement nested deeply enough
 * (thousands of parentheses or subqueries) exhausts the thread's stack. That
 * {@link StackOverflowError} is caught here and turned into a parse error at the start of
 * the statement: the stack is unwound by then and the parser holds no shared state, so
 * nothing is left broken, and a client cannot take a connection's thread down with one
 * statement. Any other unchecked exception escaping the generated parser (a literal its
 * node factory rejects, say) becomes a parse error too.
 */
public final class DeltaSqlParser {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaSqlParser.class);

  /** The parser configuration: Calcite's defaults with deltasql's grammar. */
  public static final SqlParser.Config CONFIG = SqlParser.config().withParserFactory(DeltaSqlParserImpl.FACTORY);

  private DeltaSqlParser() {}

  /** Parses one statement. */
  public static SqlNode parseStatement(String sql) throws SqlParseException {
    return parse(sql, SqlParser::parseStmt);
  }

  /** Parses a script of statements separated by semicolons. */
  public static SqlNodeList parseScript(String sql) throws SqlParseException {
    return parse(sql, SqlParser::parseStmtList);
  }

  private static <T> T parse(String sql, Parse<T> parse) throws SqlParseException {
    Objects.requireNonNull(sql, "sql");
    try {
      return parse.run(SqlParser.create(sql, CONFIG));
    } catch (SqlParseException e) {
      throw positioned(sql, e);
    } catch (StackOverflowError e) {
      throw tooDeep(sql, e);
    } catch (RuntimeException e) {
      throw unexpected(sql, e);
    }
  }

  /** One of {@link SqlParser}'s entry points. */
  @FunctionalInterface
  private interface Parse<T> {
    T run(SqlParser parser) throws SqlParseException;
  }

  /**
   * Calcite's parser turns every throwable of the generated code into a
   * {@link SqlParseException}, without a position (or a message) when it was not a parse
   * error: a {@link StackOverflowError}, or an index error on an empty statement. Those get
   * a position and a message here.
   */
  private static SqlParseException positioned(String sql, SqlParseException e) {
    if (e.getPos() != null) {
      return e;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StackOverflowError overflow) {
        return tooDeep(sql, overflow);
      }
    }
    if (sql.isBlank()) {
      return new SqlParseException("Empty statement: there is nothing to parse.", new SqlParserPos(1, 1), null,
          null, e);
    }
    LOG.debug("parse error without a position message={} length={}", e.getMessage(), sql.length());
    return new SqlParseException("Cannot parse the statement: " + (e.getMessage() == null ? e.getCause()
        : e.getMessage()), new SqlParserPos(1, 1), null, null, e);
  }

  private static SqlParseException tooDeep(String sql, StackOverflowError e) {
    LOG.warn("statement nested too deeply to parse length={}", sql.length());
    return new SqlParseException("Statement is nested too deeply to parse (" + sql.length()
        + " characters): simplify it, e.g. fewer nested parentheses or subqueries.",
        new SqlParserPos(1, 1), null, null, e);
  }

  private static SqlParseException unexpected(String sql, RuntimeException e) {
    LOG.debug("parser failed with exception={} length={}", e.getClass().getName(), sql.length());
    SqlParserPos pos = e instanceof CalciteContextException c && c.getPosLine() > 0
        ? new SqlParserPos(c.getPosLine(), c.getPosColumn(), c.getEndPosLine(), c.getEndPosColumn())
        : new SqlParserPos(1, 1);
    return new SqlParseException("Cannot parse the statement: " + e.getMessage(), pos, null, null, e);
  }
}
