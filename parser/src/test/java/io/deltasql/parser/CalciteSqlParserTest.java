package io.deltasql.parser;

import static io.deltasql.parser.ParserFixture.sql;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.parser.impl.DeltaSqlParserImpl;
import java.io.StringReader;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ordinary Calcite SQL still parses as before, and the keywords that deltasql adds are
 * not reserved: tables and columns may still be called HISTORY, LOCATION, ...
 */
class CalciteSqlParserTest {

  @Test void selectWithJoins() {
    sql("select d.name, sum(f.amount) as total from fact f "
        + "join dim d on f.dim_id = d.id left join other o using (id) "
        + "where f.d > date '2024-01-01' group by d.name having count(*) > 1 "
        + "order by total desc limit 10")
        .ok("SELECT `D`.`NAME`, SUM(`F`.`AMOUNT`) AS `TOTAL`\n"
            + "FROM `FACT` AS `F`\n"
            + "INNER JOIN `DIM` AS `D` ON `F`.`DIM_ID` = `D`.`ID`\n"
            + "LEFT JOIN `OTHER` AS `O` USING (`ID`)\n"
            + "WHERE `F`.`D` > DATE '2024-01-01'\n"
            + "GROUP BY `D`.`NAME`\n"
            + "HAVING COUNT(*) > 1\n"
            + "ORDER BY `TOTAL` DESC\n"
            + "FETCH NEXT 10 ROWS ONLY");
  }

  @Test void withAndSubqueries() {
    sql("with x as (select a from t) select * from x where a in (select b from u)")
        .ok("WITH `X` AS (SELECT `A`\nFROM `T`) SELECT *\n"
            + "FROM `X`\nWHERE `A` IN (SELECT `B`\nFROM `U`)");
  }

  @Test void insert() {
    sql("insert into s.t values (1, 'a'), (2, null)")
        .ok("INSERT INTO `S`.`T`\nVALUES ROW(1, 'a'),\nROW(2, NULL)");
    sql("insert into t (a, b) select x, y from u")
        .ok("INSERT INTO `T` (`A`, `B`)\nSELECT `X`, `Y`\nFROM `U`");
  }

  @Test void update() {
    sql("update t set a = a + 1, b = 'x' where c is null")
        .ok("UPDATE `T` SET `A` = `A` + 1, `B` = 'x'\nWHERE `C` IS NULL");
  }

  @Test void delete() {
    sql("delete from t where a = 1").ok("DELETE FROM `T`\nWHERE `A` = 1");
  }

  @Test void merge() {
    sql("merge into t using s on t.id = s.id "
        + "when matched then update set v = s.v "
        + "when not matched then insert (id, v) values (s.id, s.v)")
        .ok("MERGE INTO `T`\n"
            + "USING `S`\n"
            + "ON `T`.`ID` = `S`.`ID`\n"
            + "WHEN MATCHED THEN UPDATE SET `V` = `S`.`V`\n"
            + "WHEN NOT MATCHED THEN INSERT (`ID`, `V`) VALUES ROW(`S`.`ID`, `S`.`V`)");
  }

  @Test void explainAndDescribe() {
    sql("explain plan for select * from t")
        .ok("EXPLAIN PLAN INCLUDING ATTRIBUTES WITH IMPLEMENTATION FOR\nSELECT *\nFROM `T`");
    sql("describe t").ok("DESCRIBE TABLE `T`");
  }

  @Test void calciteErrorsKeepTheirPositions() {
    sql("select * from t where").fails("Encountered \"<EOF>\" at line 1, column 21\\..*");
    sql("select * from t order ^x^").fails("Encountered \"x\" at line 1, column 23\\..*\"BY\".*");
  }

  /** Every keyword that deltasql adds (config.fmpp's nonReservedKeywordsToAdd). */
  @ParameterizedTest
  @ValueSource(strings = {"BYTE", "CHECKPOINT", "COLUMNS", "COMMENT", "DRY", "HISTORY", "IF",
      "LOCATION", "LONG", "MULTI", "OPTIMIZE", "PARTITIONED", "PRIORITY", "RETAIN", "RUN",
      "SCHEMAS", "SHORT", "STRING", "STRUCT", "TABLES", "TBLPROPERTIES", "TIMESTAMP_LTZ",
      "TIMESTAMP_NTZ", "VACUUM"})
  void addedKeywordsAreNotReserved(String keyword) {
    final SqlAbstractParserImpl.Metadata metadata =
        DeltaSqlParserImpl.FACTORY.getParser(new StringReader("")).getMetadata();
    assertTrue(metadata.isKeyword(keyword), keyword);
    assertFalse(metadata.isReservedWord(keyword), keyword);
    assertTrue(metadata.isNonReservedKeyword(keyword), keyword);
    final String id = keyword.toLowerCase(java.util.Locale.ROOT);
    final String q = "`" + keyword + "`";
    sql("select " + id + ", t." + id + " from " + id + " as t where " + id + " > 0")
        .ok("SELECT " + q + ", `T`." + q + "\nFROM " + q + " AS `T`\nWHERE " + q + " > 0");
    sql("create table " + id + " (" + id + " int)")
        .ok("CREATE TABLE " + q + " (" + q + " INTEGER)");
    sql("insert into " + id + " (" + id + ") values (1)")
        .ok("INSERT INTO " + q + " (" + q + ")\nVALUES ROW(1)");
    sql("drop table " + id).ok("DROP TABLE " + q);
  }

  @Test void existingNonReservedWordsThatDeltaUsesStayNonReserved() {
    sql("select version, hours, level, isolation, cascade, transaction, work, add from t")
        .ok("SELECT `VERSION`, `HOURS`, `LEVEL`, `ISOLATION`, `CASCADE`, `TRANSACTION`, "
            + "`WORK`, `ADD`\nFROM `T`");
  }
}
