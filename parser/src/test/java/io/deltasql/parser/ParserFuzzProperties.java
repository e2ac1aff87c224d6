package io.deltasql.parser;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.deltasql.parser.impl.DeltaSqlParserImplConstants;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.calcite.sql.parser.SqlParseException;

/**
 * Malformed and hostile SQL: token soup from the grammar's own tokens, huge identifiers,
 * deep nesting, unterminated strings and comments, NUL and other odd characters in valid
 * statements. Each either parses or fails with a {@link SqlParseException} with a position;
 * never another exception, never an {@link Error}. Failing inputs go to
 * {@code parser-corpus/} ({@link ParserCorpusTest}).
 */
class ParserFuzzProperties {
  /** Statements of the grammar, to damage. */
  static final List<String> VALID = List.of(
      "select d.name, sum(f.amount) as total from fact f join dim d on f.k = d.k group by d.name having sum(f.amount) > 10",
      "with x as (select a from t) select * from x where a in (select b from u)",
      "insert into s.t values (1, 'a'), (2, null)",
      "update t set a = a + 1, b = 'x' where c is null",
      "merge into t using s on t.id = s.id when matched then update set a = s.a when not matched then insert (id) values (s.id)",
      "create table t (id bigint not null, name string comment 'it''s') partitioned by (name) location '/lake/t'"
          + " tblproperties ('delta.appendOnly' = 'true')",
      "create or replace table t location '/x' as select * from u",
      "alter table t add columns (c int, d struct<x: int, y: array<string>>)",
      "drop table if exists s.t",
      "select * from t version as of 3",
      "select * from t timestamp as of timestamp '2024-01-01 00:00:00'",
      "describe history t limit 5",
      "optimize t where p = 1",
      "vacuum t retain 168 hours dry run",
      "checkpoint t",
      "begin multi isolation level serializable priority 5",
      "commit",
      "rollback",
      "select cast(x as decimal(38, 10)), interval '1' day, x'0aff', 1e308, -.5 from t order by 1 desc nulls last"
          + " limit 10 offset 2");

  @Property(tries = 150)
  void tokenSoup(@ForAll("soup") String sql) {
    assertParsesOrFailsWithPosition(sql);
  }

  @Property(tries = 200)
  void damagedStatements(@ForAll("damaged") String sql) {
    assertParsesOrFailsWithPosition(sql);
  }

  @Property(tries = 20)
  void deepNesting(@ForAll("nested") String sql) {
    assertParsesOrFailsWithPosition(sql);
  }

  @Property(tries = 10)
  void hugeIdentifiers(@ForAll("huge") String sql) {
    assertParsesOrFailsWithPosition(sql);
  }

  /** The contract: a tree, or a {@link SqlParseException} with a position; anything else fails the test. */
  static void assertParsesOrFailsWithPosition(String sql) {
    check(sql, "statement", () -> assertNotNull(DeltaSqlParser.parseStatement(sql)));
    check(sql, "script", () -> assertNotNull(DeltaSqlParser.parseScript(sql)));
  }

  private static void check(String sql, String as, ParseCall call) {
    try {
      call.run();
    } catch (SqlParseException e) {
      assertNotNull(e.getPos(), () -> "no position for " + as + ": " + abbreviate(sql));
      assertNotNull(e.getMessage(), () -> "no message for " + as + ": " + abbreviate(sql));
    } catch (Throwable t) {
      throw new AssertionError(t.getClass().getName() + " instead of SqlParseException for " + as + ": "
          + abbreviate(sql), t);
    }
  }

  @FunctionalInterface
  private interface ParseCall {
    void run() throws SqlParseException;
  }

  static String abbreviate(String sql) {
    String printable = sql.replace("\u0000", "\\0");
    return printable.length() <= 300 ? printable : printable.substring(0, 300) + "…(" + sql.length() + " chars)";
  }

  /** The grammar's fixed tokens (keywords and punctuation), from the generated parser. */
  static List<String> grammarTokens() {
    List<String> tokens = new ArrayList<>();
    for (String image : DeltaSqlParserImplConstants.tokenImage) {
      if (image.length() > 2 && image.startsWith("\"") && image.endsWith("\"")) {
        tokens.add(image.substring(1, image.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\"));
      }
    }
    return tokens;
  }

  @Provide
  Arbitrary<String> soup() {
    Arbitrary<String> token = Arbitraries.oneOf(
        Arbitraries.of(grammarTokens()),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
        Arbitraries.of("'x'", "'", "\"", "\"q\"", "`b`", "1", "-1", "1.5e10", "x'0'", "?", "(", ")", ",", ";", "*",
            "/*", "*/", "--", "\n", "\u0000", "{fn", "}", "[", "]", "::", "=>", "$1", "@", "#"));
    return token.list().ofMinSize(1).ofMaxSize(40).map(l -> String.join(" ", l));
  }

  @Provide
  Arbitrary<String> damaged() {
    Arbitrary<String> odd = Arbitraries.of("\u0000", "'", "\"", "`", "/*", "--", "\\", "\u2028", "\uD800", "\uDFFF",
        "\uFFFF", "\u00A0", "😀", "\r", "\t", "(", ")", ";", "e", "..", "U&'", "N'", "_utf8'");
    return Combinators.combine(Arbitraries.of(VALID), Arbitraries.integers().between(0, 1000),
        Arbitraries.integers().between(0, 3), odd, Arbitraries.integers().between(0, 30)).as((sql, at, how, s, len) -> {
          int i = at % (sql.length() + 1);
          return switch (how) {
            case 0 -> sql.substring(0, i) + s + sql.substring(i);               // insert
            case 1 -> sql.substring(0, i);                                      // cut short (unterminated)
            case 2 -> sql.substring(0, i) + s + sql.substring(Math.min(sql.length(), i + len)); // replace
            default -> sql.substring(0, i) + sql.substring(i, Math.min(sql.length(), i + len)).repeat(50)
                + sql.substring(Math.min(sql.length(), i + len));               // repeat a slice
          };
        });
  }

  @Provide
  Arbitrary<String> nested() {
    Arbitrary<Integer> depth = Arbitraries.integers().between(1, 8_000);
    return Combinators.combine(Arbitraries.integers().between(0, 5), depth).as((kind, n) -> switch (kind) {
      case 0 -> "select " + "(".repeat(n) + "1" + ")".repeat(n);
      case 1 -> "select * from " + "(select * from ".repeat(n) + "t" + ")".repeat(n);
      case 2 -> "select " + "f(".repeat(n) + "1" + ")".repeat(n);
      case 3 -> "select " + "not ".repeat(n) + "true";
      case 4 -> "select " + "case when a then ".repeat(n) + "1" + " end".repeat(n);
      default -> "select " + "(".repeat(n) + "1";                               // unbalanced
    });
  }

  @Provide
  Arbitrary<String> huge() {
    return Combinators.combine(Arbitraries.integers().between(1_000, 40_000), Arbitraries.integers().between(0, 3))
        .as((n, kind) -> switch (kind) {
          case 0 -> "select " + "a".repeat(n) + " from t";
          case 1 -> "select \"" + "b".repeat(n) + "\" from t";
          case 2 -> "select '" + "c".repeat(n) + "'";
          default -> "select 1" + "0".repeat(n);
        });
  }
}
