package io.deltasql.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.driver.cli.SqlScript.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How scripts are cut into statements, and when the shell has a whole statement. */
class SqlScriptTest {
  private static List<String> sqls(String script) {
    return SqlScript.split(script).stream().map(Statement::sql).toList();
  }

  @Test
  void splitsAtSemicolonsOutsideStringsIdentifiersAndComments() {
    assertEquals(List.of("select 'a;b', 'it''s;' from t", "select \"odd;name\" from u", "select 3"),
        sqls("select 'a;b', 'it''s;' from t;\nselect \"odd;name\" from u ; select 3"));
    assertEquals(List.of("select 1 -- not the end;\n+ 1", "select /* ; */ 2"),
        sqls("select 1 -- not the end;\n+ 1;\nselect /* ; */ 2;"));
  }

  @Test
  void skipsEmptyStatementsAndLeadingComments() {
    assertEquals(List.of("select 1"), sqls("-- heading; with a semicolon\n/* block;\n comment */\n;;\nselect 1;\n-- trailing\n"));
    assertEquals(List.of(), sqls("  \n-- only a comment\n/* and another */ ;"));
  }

  @Test
  void numbersStatementsAndTheLinesWhereTheyStart() {
    List<Statement> statements = SqlScript.split("-- header\n\nselect 1;\n/* two\nlines */ select\n  2;select 'x\ny';\nselect 4");
    assertEquals(List.of(1, 2, 3, 4), statements.stream().map(Statement::number).toList());
    assertEquals(List.of(3, 5, 6, 8), statements.stream().map(Statement::line).toList());
    assertEquals("select 2", statements.get(1).excerpt());
  }

  @Test
  void completeWhenNothingIsLeftOpen() {
    assertTrue(SqlScript.complete(""));
    assertTrue(SqlScript.complete("select 1;"));
    assertTrue(SqlScript.complete("select 1; -- done"));
    assertTrue(SqlScript.complete("select ';'; /* c */"));
    assertFalse(SqlScript.complete("select 1"));
    assertFalse(SqlScript.complete("select 1; select"));
    assertFalse(SqlScript.complete("select 'a;"));
    assertFalse(SqlScript.complete("select \"a;"));
    assertFalse(SqlScript.complete("select 1 /* ; "));
    assertFalse(SqlScript.complete("select 1 -- ;"));
  }
}
