package io.deltasql.parser;

import static io.deltasql.parser.ParserFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.deltasql.parser.node.SqlVersionAsOf;
import java.util.OptionalLong;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSnapshot;
import org.junit.jupiter.api.Test;

/** {@code VERSION AS OF}, {@code TIMESTAMP AS OF} and {@code FOR SYSTEM_TIME AS OF}. */
class TimeTravelParserTest {

  private static SqlSelect select(String sql) {
    return sql(sql).node(SqlSelect.class);
  }

  @Test void versionAsOf() {
    sql("select * from t version as of 3")
        .ok("SELECT *\nFROM `T` VERSION AS OF 3");
    final SqlVersionAsOf from =
        assertInstanceOf(SqlVersionAsOf.class, select("select * from s.t version as of 3")
            .getFrom());
    assertEquals(SqlKind.OTHER, from.getKind());
    assertEquals(SqlVersionAsOf.OPERATOR, from.getOperator());
    assertEquals(OptionalLong.of(3), from.versionNumber());
    assertEquals("S.T", assertInstanceOf(SqlIdentifier.class, from.tableRef()).toString());
  }

  @Test void versionAsOfParameter() {
    sql("select * from t version as of ?").ok("SELECT *\nFROM `T` VERSION AS OF ?");
    final SqlVersionAsOf from = assertInstanceOf(SqlVersionAsOf.class,
        select("select * from t version as of ?").getFrom());
    assertInstanceOf(SqlDynamicParam.class, from.version());
    assertEquals(OptionalLong.empty(), from.versionNumber());
  }

  @Test void versionAsOfWithAliasAndJoin() {
    sql("select a.x from a version as of 1 as a join b version as of 2 b on a.x = b.x")
        .ok("SELECT `A`.`X`\n"
            + "FROM `A` VERSION AS OF 1 AS `A`\n"
            + "INNER JOIN `B` VERSION AS OF 2 AS `B` ON `A`.`X` = `B`.`X`");
    final SqlJoin join = assertInstanceOf(SqlJoin.class,
        select("select * from a version as of 1 as x join b on true").getFrom());
    final SqlBasicCall as = assertInstanceOf(SqlBasicCall.class, join.getLeft());
    assertEquals(SqlKind.AS, as.getKind());
    assertInstanceOf(SqlVersionAsOf.class, as.operand(0));
  }

  @Test void timestampAsOfIsCalcitesSnapshot() {
    sql("select * from t timestamp as of '2024-06-01 12:00:00'")
        .ok("SELECT *\nFROM `T` FOR SYSTEM_TIME AS OF '2024-06-01 12:00:00'");
    sql("select * from t timestamp as of timestamp '2024-06-01 12:00:00' x")
        .ok("SELECT *\nFROM `T` FOR SYSTEM_TIME AS OF TIMESTAMP '2024-06-01 12:00:00' AS `X`");
    sql("select * from t timestamp as of ?")
        .ok("SELECT *\nFROM `T` FOR SYSTEM_TIME AS OF ?");
    sql("select * from t timestamp as of current_timestamp - interval '1' day")
        .ok("SELECT *\nFROM `T` FOR SYSTEM_TIME AS OF CURRENT_TIMESTAMP - INTERVAL '1' DAY");
    final SqlSnapshot snapshot = assertInstanceOf(SqlSnapshot.class,
        select("select * from t timestamp as of '2024-06-01'").getFrom());
    assertEquals("'2024-06-01'", snapshot.getPeriod().toString());
    assertEquals(sql("select * from t for system_time as of '2024-06-01'")
        .node(SqlSelect.class).getFrom().toString(), snapshot.toString());
  }

  @Test void forSystemTimeAsOfStillWorks() {
    sql("select * from t for system_time as of timestamp '2024-06-01 00:00:00'")
        .ok("SELECT *\nFROM `T` FOR SYSTEM_TIME AS OF TIMESTAMP '2024-06-01 00:00:00'");
  }

  @Test void timeTravelInDmlSources() {
    sql("insert into t select * from t version as of 5")
        .ok("INSERT INTO `T`\nSELECT *\nFROM `T` VERSION AS OF 5");
    sql("merge into t using u version as of 5 as u on t.id = u.id "
        + "when matched then update set v = u.v")
        .ok("MERGE INTO `T`\n"
            + "USING `U` VERSION AS OF 5 AS `U`\n"
            + "ON `T`.`ID` = `U`.`ID`\n"
            + "WHEN MATCHED THEN UPDATE SET `V` = `U`.`V`");
    sql("create table c as select * from t timestamp as of '2024-06-01'")
        .ok("CREATE TABLE `C` AS\nSELECT *\nFROM `T` FOR SYSTEM_TIME AS OF '2024-06-01'");
  }

  @Test void aliasCalledVersionOrTimestampStillWorks() {
    sql("select version.x from t version").ok("SELECT `VERSION`.`X`\nFROM `T` AS `VERSION`");
    sql("select * from t as version").ok("SELECT *\nFROM `T` AS `VERSION`");
  }

  @Test void timeTravelErrors() {
    sql("select * from t version as of ^-1^")
        .fails("VERSION AS OF -1 at line 1, column 31: use a whole number from 0 to "
            + "9223372036854775807");
    sql("select * from t version as of ^1.5^")
        .fails("VERSION AS OF 1.5 at line 1, column 31: use a whole number.*");
    sql("select * from t version as of ^99999999999999999999^")
        .fails("VERSION AS OF 99999999999999999999 at line 1, column 31: use a whole number.*");
    sql("select * from t version as of ^'3'^")
        .fails("Encountered \"\\\\'3\\\\'\" at line 1, column 31\\..*");
    sql("select * from t timestamp as of")
        .fails("Encountered \"<EOF>\" at line 1, column 31\\..*");
    sql("select * from t as x ^version^ as of 1")
        .fails("Encountered \"version\" at line 1, column 22\\..*");
  }
}
