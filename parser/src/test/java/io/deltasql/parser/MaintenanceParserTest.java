package io.deltasql.parser;

import static io.deltasql.parser.ParserFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.parser.node.SqlCheckpoint;
import io.deltasql.parser.node.SqlDescribeHistory;
import io.deltasql.parser.node.SqlOptimize;
import io.deltasql.parser.node.SqlShowSchemas;
import io.deltasql.parser.node.SqlShowTables;
import io.deltasql.parser.node.SqlVacuum;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlDescribeTable;
import org.apache.calcite.sql.SqlKind;
import org.junit.jupiter.api.Test;

/** Introspection (DESCRIBE HISTORY, SHOW) and maintenance (OPTIMIZE, VACUUM, ...). */
class MaintenanceParserTest {

  @Test void describeHistory() {
    sql("describe history t").ok("DESCRIBE HISTORY `T`");
    sql("describe history s.t limit 10").ok("DESCRIBE HISTORY `S`.`T` LIMIT 10");
    final SqlDescribeHistory describe =
        sql("describe history s.t limit 10").node(SqlDescribeHistory.class);
    assertEquals(List.of("S", "T"), describe.table().names);
    assertEquals(OptionalInt.of(10), describe.limit());
    assertEquals(SqlKind.OTHER, describe.getKind());
    assertEquals(OptionalInt.empty(),
        sql("describe history t").node(SqlDescribeHistory.class).limit());
  }

  @Test void describeOfATableCalledHistoryIsCalcites() {
    sql("describe history").ok("DESCRIBE TABLE `HISTORY`");
    sql("describe history.t").ok("DESCRIBE TABLE `HISTORY`.`T`");
    sql("describe table history").ok("DESCRIBE TABLE `HISTORY`");
    sql("describe table history c").ok("DESCRIBE TABLE `HISTORY` `C`");
    sql("describe history").node(SqlDescribeTable.class);
  }

  @Test void describeHistoryErrors() {
    sql("describe history t limit ^-^1")
        .fails("Encountered \"-\" at line 1, column 26\\..*");
    sql("describe history t limit ^1.5^")
        .fails("LIMIT 1.5 at line 1, column 26: use a whole number from 0 to 2147483647");
    sql("describe history t limit")
        .fails("Encountered \"<EOF>\" at line 1, column 24\\..*");
  }

  @Test void optimize() {
    sql("optimize t").ok("OPTIMIZE `T`");
    sql("optimize s.t where d >= date '2024-01-01' and region = 'eu'")
        .ok("OPTIMIZE `S`.`T` WHERE `D` >= DATE '2024-01-01' AND `REGION` = 'eu'");
    final SqlOptimize optimize = sql("optimize t where p = 1").node(SqlOptimize.class);
    assertEquals("T", optimize.table().getSimple());
    assertEquals("`P` = 1", optimize.where().orElseThrow().toString());
    assertEquals(Optional.empty(), sql("optimize t").node(SqlOptimize.class).where());
  }

  @Test void vacuum() {
    sql("vacuum t").ok("VACUUM `T`");
    sql("vacuum t retain 168 hours").ok("VACUUM `T` RETAIN 168 HOURS");
    sql("vacuum s.t retain 0.5 hours dry run").ok("VACUUM `S`.`T` RETAIN 0.5 HOURS DRY RUN");
    sql("vacuum t dry run").ok("VACUUM `T` DRY RUN");
    final SqlVacuum vacuum = sql("vacuum t retain 168 hours dry run").node(SqlVacuum.class);
    assertEquals(Optional.of(new BigDecimal(168)), vacuum.retainHours());
    assertTrue(vacuum.dryRun());
    final SqlVacuum plain = sql("vacuum t").node(SqlVacuum.class);
    assertEquals(Optional.empty(), plain.retainHours());
    assertFalse(plain.dryRun());
    assertEquals(SqlKind.OTHER_DDL, plain.getKind());
  }

  @Test void vacuumOfTablesCalledRetainOrDry() {
    sql("vacuum retain").ok("VACUUM `RETAIN`");
    sql("vacuum dry").ok("VACUUM `DRY`");
    sql("vacuum retain retain 1 hours dry run").ok("VACUUM `RETAIN` RETAIN 1 HOURS DRY RUN");
    sql("vacuum dry.retain dry run").ok("VACUUM `DRY`.`RETAIN` DRY RUN");
  }

  @Test void vacuumErrors() {
    sql("vacuum t retain ^-1^ hours")
        .fails("VACUUM RETAIN -1 HOURS at line 1, column 17: the retention must be 0 hours "
            + "or more");
    sql("vacuum t retain 1 ^days^")
        .fails("Encountered \"days\" at line 1, column 19\\..*\"HOURS\".*");
    sql("vacuum t retain ^hours^")
        .fails("Encountered \"hours\" at line 1, column 17\\..*");
    sql("vacuum t dry").fails("Encountered \"<EOF>\" at line 1, column 12\\..*\"RUN\".*");
    sql("vacuum t dry run ^retain^ 1 hours")
        .fails("Encountered \"retain\" at line 1, column 18\\..*");
    sql("^vacuum^ retain 1 hours")
        .fails("VACUUM at line 1, column 1 needs the name of a table, such as VACUUM my_table");
    sql("^vacuum^ dry run").fails("VACUUM at line 1, column 1 needs the name of a table.*");
    sql("vacuum").fails("Encountered \"<EOF>\" at line 1, column 6\\..*");
  }

  @Test void checkpoint() {
    sql("checkpoint s.t").ok("CHECKPOINT `S`.`T`");
    final SqlCheckpoint checkpoint = sql("checkpoint t").node(SqlCheckpoint.class);
    assertEquals("T", checkpoint.table().getSimple());
    assertEquals(SqlKind.OTHER_DDL, checkpoint.getKind());
  }

  @Test void tableNameMissing() {
    sql("^optimize^ where p = 1")
        .fails("OPTIMIZE at line 1, column 1 needs the name of a table, such as OPTIMIZE "
            + "my_table");
    sql("^checkpoint^").fails("CHECKPOINT at line 1, column 1 needs the name of a table.*");
    sql("describe history t ^t2^").fails("Encountered \"t2\" at line 1, column 20\\..*");
  }

  @Test void callIsCalcites() {
    sql("call reconcile()").ok("CALL `RECONCILE`()");
    sql("call verify('s.t')").ok("CALL `VERIFY`('s.t')");
    sql("call verify(t)").ok("CALL `VERIFY`(`T`)");
    final SqlBasicCall call = sql("call verify('t')").node(SqlBasicCall.class);
    assertEquals(SqlKind.PROCEDURE_CALL, call.getKind());
  }

  @Test void callErrors() {
    sql("call reconcile").fails("Encountered \"<EOF>\" at line 1, column 14\\..*\"\\(\".*");
  }

  @Test void showTables() {
    sql("show tables").ok("SHOW TABLES");
    sql("show tables in s").ok("SHOW TABLES IN `S`");
    sql("show tables from s").ok("SHOW TABLES IN `S`");
    assertEquals(Optional.empty(), sql("show tables").node(SqlShowTables.class).schema());
    assertEquals("S",
        sql("show tables in s").node(SqlShowTables.class).schema().orElseThrow().getSimple());
  }

  @Test void showSchemas() {
    sql("show schemas").ok("SHOW SCHEMAS");
    assertEquals(SqlKind.OTHER, sql("show schemas").node(SqlShowSchemas.class).getKind());
  }

  @Test void showErrors() {
    sql("show tables in").fails("Encountered \"<EOF>\" at line 1, column 14\\..*");
    sql("^show^ views").fails("Encountered \"show views\" at line 1, column 1\\..*");
  }
}
