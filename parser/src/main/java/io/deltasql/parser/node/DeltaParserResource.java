package io.deltasql.parser.node;

import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.runtime.Resources;
import org.apache.calcite.runtime.Resources.BaseMessage;
import org.apache.calcite.runtime.Resources.ExInst;

/**
 * Every message of the Delta grammar that JavaCC does not write itself, in the style of
 * Calcite's {@code CalciteResource}. Each names the input at fault and where it is, as
 * JavaCC's own messages do ("Encountered ... at line 1, column 17"); the parser also
 * sets that position on the {@code SqlParseException}.
 *
 * <p>{@code MessageFormat} syntax: a literal quote is written twice.
 */
public interface DeltaParserResource {

  /** The messages, with their {@link BaseMessage} texts. */
  DeltaParserResource RESOURCE = Resources.create(DeltaParserResource.class);

  @BaseMessage("CREATE TABLE {0} at line {1,number,#}, column {2,number,#} needs a column "
      + "list, AS query, or the LOCATION of an existing Delta table")
  ExInst<CalciteException> createTableWithoutDefinition(String table, int line, int column);

  @BaseMessage("CREATE TABLE {0} has a column list and, at line {1,number,#}, column "
      + "{2,number,#}, AS query; the query gives the columns, so remove the list")
  ExInst<CalciteException> createTableColumnsAndQuery(String table, int line, int column);

  @BaseMessage("{0} at line {1,number,#}, column {2,number,#} needs the name of a table, "
      + "such as {0} my_table")
  ExInst<CalciteException> tableNameExpected(String statement, int line, int column);

  @BaseMessage("{0} at line {1,number,#}, column {2,number,#} needs a character string "
      + "literal, such as ''text''")
  ExInst<CalciteException> characterStringExpected(String clause, int line, int column);

  @BaseMessage("TBLPROPERTIES value {0} at line {1,number,#}, column {2,number,#}: use a "
      + "string, a number, TRUE or FALSE")
  ExInst<CalciteException> illegalTablePropertyValue(String value, int line, int column);

  @BaseMessage("TBLPROPERTIES key {0} at line {1,number,#}, column {2,number,#} is given "
      + "twice; give each key once")
  ExInst<CalciteException> duplicateTableProperty(String key, int line, int column);

  @BaseMessage("{0} {1} at line {2,number,#}, column {3,number,#}: use a whole number from "
      + "{4,number,#} to {5,number,#}")
  ExInst<CalciteException> wholeNumberExpected(String clause, String value, int line,
      int column, long min, long max);

  @BaseMessage("VACUUM RETAIN {0} HOURS at line {1,number,#}, column {2,number,#}: the "
      + "retention must be 0 hours or more")
  ExInst<CalciteException> negativeRetention(String value, int line, int column);
}
