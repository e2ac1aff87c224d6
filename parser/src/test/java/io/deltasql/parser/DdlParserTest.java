package io.deltasql.parser;

import static io.deltasql.parser.ParserFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.parser.node.SqlAlterTableAddColumns;
import io.deltasql.parser.node.SqlColumnDef;
import io.deltasql.parser.node.SqlCreateSchema;
import io.deltasql.parser.node.SqlCreateTable;
import io.deltasql.parser.node.SqlDropSchema;
import io.deltasql.parser.node.SqlDropTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlSelect;
import org.junit.jupiter.api.Test;

/** CREATE, ALTER and DROP of tables and schemas. */
class DdlParserTest {

  @Test void createTableWithColumns() {
    sql("create table t (id bigint not null, name string)")
        .ok("CREATE TABLE `T` (`ID` BIGINT NOT NULL, `NAME` STRING)");
  }

  @Test void createTableWithEveryOption() {
    final String sql = "create table if not exists s.t (\n"
        + "  id bigint not null comment 'the key',\n"
        + "  d date null,\n"
        + "  v double)\n"
        + "partitioned by (d)\n"
        + "location 's3://bucket/s/t'\n"
        + "tblproperties ('delta.appendOnly' = 'true', 'delta.checkpointInterval' = 5,\n"
        + "  'delta.enableChangeDataFeed' = false)";
    sql(sql).ok("CREATE TABLE IF NOT EXISTS `S`.`T` (`ID` BIGINT NOT NULL COMMENT 'the key', "
        + "`D` DATE, `V` DOUBLE) PARTITIONED BY (`D`) LOCATION 's3://bucket/s/t' "
        + "TBLPROPERTIES ('delta.appendOnly' = 'true', 'delta.checkpointInterval' = 5, "
        + "'delta.enableChangeDataFeed' = FALSE)");

    final SqlCreateTable create = sql(sql).node(SqlCreateTable.class);
    assertEquals(SqlKind.CREATE_TABLE, create.getKind());
    assertEquals(List.of("S", "T"), create.name().names);
    assertTrue(create.ifNotExists());
    assertFalse(create.getReplace());
    assertEquals(SqlCreateTable.Mode.COLUMNS, create.mode());
    assertEquals(List.of("ID", "D", "V"),
        create.columns().stream().map(c -> c.name().getSimple()).toList());
    final SqlColumnDef id = create.columns().get(0);
    assertFalse(id.isNullable());
    assertEquals(Optional.of("the key"), id.comment());
    assertEquals("BIGINT", id.dataType().getTypeName().getSimple());
    assertTrue(create.columns().get(1).isNullable());
    assertEquals(Optional.empty(), create.columns().get(2).comment());
    assertEquals(List.of("D"),
        create.partitionedBy().stream().map(SqlIdentifier::getSimple).toList());
    assertEquals(Optional.of("s3://bucket/s/t"), create.location());
    assertEquals(Map.of("delta.appendOnly", "true", "delta.checkpointInterval", "5",
        "delta.enableChangeDataFeed", "false"), create.properties());
    assertEquals(List.of("delta.appendOnly", "delta.checkpointInterval",
        "delta.enableChangeDataFeed"), List.copyOf(create.properties().keySet()));
    assertEquals(Optional.empty(), create.query());
  }

  @Test void createTableAsQuery() {
    final String sql = "create table t partitioned by (p) tblproperties ('k' = 'v') as\n"
        + "select p, count(*) as c from u group by p";
    sql(sql).ok("CREATE TABLE `T` PARTITIONED BY (`P`) TBLPROPERTIES ('k' = 'v') AS\n"
        + "SELECT `P`, COUNT(*) AS `C`\n"
        + "FROM `U`\n"
        + "GROUP BY `P`");
    final SqlCreateTable create = sql(sql).node(SqlCreateTable.class);
    assertEquals(SqlCreateTable.Mode.AS_QUERY, create.mode());
    assertEquals(List.of(), create.columns());
    assertTrue(create.query().orElseThrow() instanceof SqlSelect);
  }

  @Test void createTableAsQueryWithLocation() {
    sql("create table t location '/lake/t' as select * from u")
        .ok("CREATE TABLE `T` LOCATION '/lake/t' AS\nSELECT *\nFROM `U`");
  }

  @Test void createTableImportsExistingTable() {
    final String sql = "create table if not exists t location '/data/existing'";
    sql(sql).ok("CREATE TABLE IF NOT EXISTS `T` LOCATION '/data/existing'");
    final SqlCreateTable create = sql(sql).node(SqlCreateTable.class);
    assertEquals(SqlCreateTable.Mode.IMPORT, create.mode());
    assertEquals(Optional.of("/data/existing"), create.location());
    assertEquals(List.of(), create.partitionedBy());
    assertEquals(Map.of(), create.properties());
  }

  @Test void createTableWithLocationAndColumns() {
    sql("create table t (a int) location '/x'")
        .ok("CREATE TABLE `T` (`A` INTEGER) LOCATION '/x'");
  }

  @Test void createTableStringsMayBeContinuedAndEscaped() {
    sql("create table t location '/lake/'\n'it''s'")
        .ok("CREATE TABLE `T` LOCATION '/lake/it''s'");
    sql("create table t (a int comment 'it''s') tblproperties ('k' = 'a''b')")
        .ok("CREATE TABLE `T` (`A` INTEGER COMMENT 'it''s') TBLPROPERTIES ('k' = 'a''b')");
  }

  @Test void createOrReplaceTableIsKeptForThePlanner() {
    sql("create or replace table t (a int)")
        .ok("CREATE OR REPLACE TABLE `T` (`A` INTEGER)");
    assertTrue(sql("create or replace table t (a int)").node(SqlCreateTable.class)
        .getReplace());
  }

  @Test void createTableErrors() {
    sql("create table ^(^a int)")
        .fails("Encountered \"\\(\" at line 1, column 14\\..*");
    sql("create table t (a int) partitioned by ^a^")
        .fails("Encountered \"a\" at line 1, column 39\\..*Was expecting:.*\"\\(\".*");
    sql("create table t (a int) partitioned by (^)^")
        .fails("Encountered \"\\)\" at line 1, column 40\\..*");
    sql("create table t (^)^")
        .fails("Encountered \"\\)\" at line 1, column 17\\..*");
    sql("create table t (a ^,^ b int)")
        .fails("Encountered \",\" at line 1, column 19\\..*");
    sql("create table ^s.t^")
        .fails("CREATE TABLE S.T at line 1, column 14 needs a column list, AS query, or the "
            + "LOCATION of an existing Delta table");
    sql("create table t (a int) as ^select^ 1")
        .fails("CREATE TABLE T has a column list and, at line 1, column 27, AS query; the "
            + "query gives the columns, so remove the list");
    sql("create table t location ^x'00'^")
        .fails("LOCATION at line 1, column 25 needs a character string literal, such as "
            + "'text'");
    sql("create table t (a int comment ^x'00'^)")
        .fails("COMMENT at line 1, column 31 needs a character string literal.*");
    sql("create table t location '/x' tblproperties (^k^ = 'v')")
        .fails("Encountered \"k\" at line 1, column 45\\..*<QUOTED_STRING>.*");
    sql("create table t location '/x' tblproperties ('k' = ^null^)")
        .fails("TBLPROPERTIES value NULL at line 1, column 51: use a string, a number, TRUE "
            + "or FALSE");
    sql("create table t location '/x' tblproperties ('k' = 1, ^'k'^ = 2)")
        .fails("TBLPROPERTIES key 'k' at line 1, column 54 is given twice; give each key "
            + "once");
    sql("create table t location '/x' tblproperties (^x'01'^ = 'v')")
        .fails("TBLPROPERTIES key at line 1, column 45 needs a character string literal.*");
    sql("create table t (a int) partitioned by (a) ^partitioned^ by (a)")
        .fails("(?s)Encountered \"partitioned\" at line 1, column 43\\..*");
    sql("create table t (a int) location '/x' ^partitioned^ by (a)")
        .fails("Encountered \"partitioned\" at line 1, column 38\\..*");
  }

  @Test void dropTable() {
    sql("drop table t").ok("DROP TABLE `T`");
    sql("drop table if exists s.t").ok("DROP TABLE IF EXISTS `S`.`T`");
    final SqlDropTable drop = sql("drop table if exists s.t").node(SqlDropTable.class);
    assertEquals(SqlKind.DROP_TABLE, drop.getKind());
    assertTrue(drop.ifExists());
    assertEquals(List.of("S", "T"), drop.name().names);
    assertFalse(sql("drop table t").node(SqlDropTable.class).ifExists());
  }

  @Test void dropTableErrors() {
    sql("drop table").fails("Encountered \"<EOF>\" at line 1, column 10\\..*");
    sql("drop table if exists").fails("Encountered \"<EOF>\" at line 1, column 20\\..*");
    sql("drop table t ^cascade^").fails("Encountered \"cascade\" at line 1, column 14\\..*");
  }

  @Test void alterTableAddColumn() {
    sql("alter table t add column c string not null comment 'new'")
        .ok("ALTER TABLE `T` ADD COLUMN `C` STRING NOT NULL COMMENT 'new'");
    sql("alter table s.t add c int").ok("ALTER TABLE `S`.`T` ADD COLUMN `C` INTEGER");
    sql("alter table t add columns (c int)").ok("ALTER TABLE `T` ADD COLUMN `C` INTEGER");
    final SqlAlterTableAddColumns alter =
        sql("alter table t add column c int not null").node(SqlAlterTableAddColumns.class);
    assertEquals(SqlKind.ALTER_TABLE, alter.getKind());
    assertEquals("T", alter.name().getSimple());
    assertEquals(1, alter.columns().size());
    assertFalse(alter.columns().get(0).isNullable());
  }

  @Test void alterTableAddColumns() {
    final String sql = "alter table t add columns (c int, d array<string> comment 'tags')";
    sql(sql).ok("ALTER TABLE `T` ADD COLUMNS (`C` INTEGER, `D` STRING ARRAY COMMENT 'tags')");
    final SqlAlterTableAddColumns alter = sql(sql).node(SqlAlterTableAddColumns.class);
    assertEquals(List.of("C", "D"),
        alter.columns().stream().map(c -> c.name().getSimple()).toList());
  }

  @Test void alterTableAddColumnCalledColumns() {
    sql("alter table t add columns int").ok("ALTER TABLE `T` ADD COLUMN `COLUMNS` INTEGER");
  }

  @Test void alterTableErrors() {
    sql("alter table add ^column^ a int")
        .fails("Encountered \"column\" at line 1, column 17\\..*");
    sql("alter table t add column").fails("Encountered \"<EOF>\" at line 1, column 24\\..*");
    sql("alter table t add columns (^)^").fails("Encountered \"\\)\" at line 1, column 28\\..*");
    sql("alter table t ^drop^ column a").fails("Encountered \"drop\" at line 1, column 15\\..*");
  }

  @Test void createSchema() {
    sql("create schema s").ok("CREATE SCHEMA `S`");
    sql("create schema if not exists s").ok("CREATE SCHEMA IF NOT EXISTS `S`");
    final SqlCreateSchema create =
        sql("create schema if not exists s").node(SqlCreateSchema.class);
    assertEquals(SqlKind.CREATE_SCHEMA, create.getKind());
    assertTrue(create.ifNotExists());
    assertEquals("S", create.name().getSimple());
  }

  @Test void dropSchema() {
    sql("drop schema s").ok("DROP SCHEMA `S`");
    sql("drop schema s restrict").ok("DROP SCHEMA `S`");
    sql("drop schema if exists s cascade").ok("DROP SCHEMA IF EXISTS `S` CASCADE");
    final SqlDropSchema drop = sql("drop schema if exists s cascade").node(SqlDropSchema.class);
    assertEquals(SqlKind.DROP_SCHEMA, drop.getKind());
    assertTrue(drop.ifExists());
    assertTrue(drop.cascade());
    assertFalse(sql("drop schema s").node(SqlDropSchema.class).cascade());
  }

  @Test void schemaErrors() {
    sql("create ^schema^").fails("Encountered \"schema <EOF>\" at line 1, column 8\\..*");
    sql("drop schema s ^purge^").fails("Encountered \"purge\" at line 1, column 15\\..*");
  }

  @Test void everyDdlStatementIsOfADdlKind() {
    for (String sql : List.of("create table t (a int)", "create table t location '/x'",
        "drop table t", "alter table t add column b int", "create schema s",
        "drop schema s")) {
      assertTrue(SqlKind.DDL.contains(sql(sql).node(org.apache.calcite.sql.SqlNode.class)
          .getKind()), sql);
    }
  }
}
