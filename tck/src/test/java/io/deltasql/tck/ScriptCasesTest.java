package io.deltasql.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.deltasql.core.testing.CatalogBackend;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cases a script run reports: one per check, failed only where the output differs, none for
 * a block skipped by its condition, so the tck summary's counts mean what they say.
 */
class ScriptCasesTest {
  private static final String SCRIPT = """
      !use default
      !set outputformat mysql
      create table t (id int);
      (0 rows modified)

      !update
      # wrong on purpose: one row is inserted
      insert into t values (1);
      (2 rows modified)

      !update
      !if (nestedValues) {
      select count(*) as n from t;
      +---+
      | N |
      +---+
      | 9 |
      +---+
      (1 row)

      !ok
      !}
      select count(*) as n from t;
      +---+
      | n |
      +---+
      | 1 |
      +---+
      (1 row)

      !ok
      """;

  @Test
  void eachCheckIsACaseAndOnlyTheWrongOneFails() {
    ScriptRunner.Result result;
    try (Lakes lake = Lakes.fresh(CatalogBackend.H2, "cases")) {
      result = ScriptRunner.runText("cases.iq", SCRIPT, new WithoutNestedValues(lake));
    }
    assertFalse(result.passed(), result.actual());
    assertEquals(List.of(
        new ScriptRunner.Case(3, "create table t (id int);", true),
        new ScriptRunner.Case(8, "insert into t values (1);", false),
        new ScriptRunner.Case(23, "select count(*) as n from t;", true)), result.cases(), result.actual());
  }

  @Test
  void outputWithFewerChecksFailsTheCasesFromTheFirstDifference() {
    String expected = "select 1;\n!ok\nselect 2;\n!ok\nselect 3;\n!ok\n";
    String actual = "select 1;\n!ok\nselect 2;\nboom\n";
    assertEquals(List.of(
        new ScriptRunner.Case(1, "select 1;", true),
        new ScriptRunner.Case(3, "select 2;", false),
        new ScriptRunner.Case(5, "select 3;", false)), ScriptRunner.cases(expected, actual, c -> true));
  }

  /** A lake whose {@code nestedValues} condition is false, as through the server. */
  private record WithoutNestedValues(Lakes lake) implements ScriptTarget {
    @Override
    public Connection connect(String name) throws SQLException {
      return lake.connect(name);
    }

    @Override
    public Optional<Path> warehouse() {
      return lake.warehouse();
    }

    @Override
    public Map<String, Boolean> conditions() {
      return Map.of("nestedValues", false);
    }
  }
}
