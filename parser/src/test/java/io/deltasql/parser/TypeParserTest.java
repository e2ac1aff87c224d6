package io.deltasql.parser;

import static io.deltasql.parser.ParserFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.deltasql.parser.node.SqlColumnDef;
import io.deltasql.parser.node.SqlCreateTable;
import java.util.List;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlCollectionTypeNameSpec;
import org.apache.calcite.sql.SqlMapTypeNameSpec;
import org.apache.calcite.sql.SqlRowTypeNameSpec;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Column types: Calcite's SQL types and Delta's names for them. */
class TypeParserTest {

  /** The spec of the only column of {@code CREATE TABLE t (c type)}. */
  private static SqlTypeNameSpec typeOf(String type) {
    final SqlCreateTable create =
        sql("create table t (c " + type + ")").node(SqlCreateTable.class);
    final SqlColumnDef column = create.columns().get(0);
    return column.dataType().getTypeNameSpec();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "string, STRING, VARCHAR",
      "long, LONG, BIGINT",
      "byte, BYTE, TINYINT",
      "short, SHORT, SMALLINT",
      "timestamp_ntz, TIMESTAMP_NTZ, TIMESTAMP",
      "timestamp_ltz, TIMESTAMP_LTZ, TIMESTAMP_WITH_LOCAL_TIME_ZONE",
  })
  void deltaNamesKeepTheirSpelling(String type, String unparsed, SqlTypeName calciteType) {
    sql("create table t (c " + type + ")")
        .ok("CREATE TABLE `T` (`C` " + unparsed + ")");
    final SqlTypeNameSpec spec = typeOf(type);
    assertInstanceOf(SqlAlienSystemTypeNameSpec.class, spec);
    assertEquals(calciteType.name(), spec.getTypeName().getSimple());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "boolean | BOOLEAN",
      "tinyint | TINYINT",
      "smallint | SMALLINT",
      "int | INTEGER",
      "integer | INTEGER",
      "bigint | BIGINT",
      "float | FLOAT",
      "real | REAL",
      "double | DOUBLE",
      "decimal(10, 2) | DECIMAL(10, 2)",
      "decimal | DECIMAL",
      "date | DATE",
      "timestamp | TIMESTAMP",
      "timestamp with local time zone | TIMESTAMP WITH LOCAL TIME ZONE",
      "varchar(20) | VARCHAR(20)",
      "char(3) | CHAR(3)",
      "binary | BINARY",
      "varbinary | VARBINARY",
  })
  void calciteTypes(String type, String unparsed) {
    sql("create table t (c " + type + ")").ok("CREATE TABLE `T` (`C` " + unparsed + ")");
  }

  @Test void arrays() {
    sql("create table t (a array<int>, b array<array<string>>, c int array)")
        .ok("CREATE TABLE `T` (`A` INTEGER ARRAY, `B` STRING ARRAY ARRAY, "
            + "`C` INTEGER ARRAY)");
    final SqlCollectionTypeNameSpec spec =
        assertInstanceOf(SqlCollectionTypeNameSpec.class, typeOf("array<long>"));
    assertEquals(SqlTypeName.ARRAY.name(), spec.getTypeName().getSimple());
    assertInstanceOf(SqlAlienSystemTypeNameSpec.class, spec.getElementTypeName());
  }

  @Test void maps() {
    sql("create table t (m map<string, array<long>>)")
        .ok("CREATE TABLE `T` (`M` MAP< STRING, LONG ARRAY >)");
    assertInstanceOf(SqlMapTypeNameSpec.class, typeOf("map<int, string>"));
  }

  @Test void structs() {
    sql("create table t (s struct<a: int not null, b string, c: struct<d array<int>>>)")
        .ok("CREATE TABLE `T` (`S` ROW(`A` INTEGER, `B` STRING NULL, "
            + "`C` ROW(`D` INTEGER ARRAY NULL) NULL))");
    final SqlRowTypeNameSpec spec =
        assertInstanceOf(SqlRowTypeNameSpec.class, typeOf("struct<a int, b: string>"));
    assertEquals(List.of("A", "B"),
        spec.getFieldNames().stream().map(n -> n.getSimple()).toList());
    assertEquals(Boolean.TRUE, spec.getFieldTypes().get(0).getNullable());
  }

  @Test void calciteRowTypeFieldsAreNotNullByDefault() {
    sql("create table t (r row(a int, b string null))")
        .ok("CREATE TABLE `T` (`R` ROW(`A` INTEGER, `B` STRING NULL))");
  }

  @Test void deltaNamesWorkInCasts() {
    sql("select cast(x as string), cast(y as long), cast(z as array<int>) from t")
        .ok("SELECT CAST(`X` AS STRING), CAST(`Y` AS LONG), CAST(`Z` AS INTEGER ARRAY)\n"
            + "FROM `T`");
  }

  @Test void typeErrors() {
    sql("create table t (a ^array^<>)")
        .fails("Encountered \"array <>\" at line 1, column 19\\..*");
    sql("create table t (a struct^<>^)")
        .fails("Encountered \"<>\" at line 1, column 25\\..*");
    sql("create table t (a array<int^)^")
        .fails("Encountered \"\\)\" at line 1, column 28\\..*\">\".*");
    sql("create table t (a map<string^>^)")
        .fails("Encountered \">\" at line 1, column 29\\..*");
    sql("create table t (a decimal(^x^))")
        .fails("Encountered \"x\" at line 1, column 27\\..*");
  }
}
