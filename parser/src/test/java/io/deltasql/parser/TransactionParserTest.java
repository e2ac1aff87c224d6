package io.deltasql.parser;

import static io.deltasql.parser.ParserFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.parser.node.IsolationLevel;
import io.deltasql.parser.node.SqlBeginTransaction;
import io.deltasql.parser.node.SqlCommit;
import io.deltasql.parser.node.SqlRollback;
import java.sql.Connection;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNodeList;
import org.junit.jupiter.api.Test;

/** BEGIN MULTI and its synonyms, COMMIT and ROLLBACK. */
class TransactionParserTest {

  @Test void beginMulti() {
    sql("begin multi").ok("BEGIN MULTI");
    final SqlBeginTransaction begin = sql("begin multi").node(SqlBeginTransaction.class);
    assertTrue(begin.multi());
    assertEquals(Optional.empty(), begin.isolationLevel());
    assertEquals(OptionalInt.empty(), begin.priority());
    assertEquals(SqlKind.OTHER_DDL, begin.getKind());
  }

  @Test void beginMultiWithIsolationLevels() {
    sql("begin multi isolation level read committed")
        .ok("BEGIN MULTI ISOLATION LEVEL READ COMMITTED");
    sql("begin multi isolation level repeatable read")
        .ok("BEGIN MULTI ISOLATION LEVEL REPEATABLE READ");
    sql("begin multi isolation level serializable")
        .ok("BEGIN MULTI ISOLATION LEVEL SERIALIZABLE");
    assertEquals(Optional.of(IsolationLevel.REPEATABLE_READ),
        sql("begin multi isolation level repeatable read").node(SqlBeginTransaction.class)
            .isolationLevel());
  }

  @Test void beginMultiWithPriority() {
    sql("begin multi priority 10").ok("BEGIN MULTI PRIORITY 10");
    sql("begin multi isolation level serializable priority -1")
        .ok("BEGIN MULTI ISOLATION LEVEL SERIALIZABLE PRIORITY -1");
    final SqlBeginTransaction begin =
        sql("begin multi isolation level serializable priority -1")
            .node(SqlBeginTransaction.class);
    assertEquals(Optional.of(IsolationLevel.SERIALIZABLE), begin.isolationLevel());
    assertEquals(OptionalInt.of(-1), begin.priority());
  }

  @Test void synonymsStartTheSameTransaction() {
    sql("begin").ok("START TRANSACTION");
    sql("begin transaction").ok("START TRANSACTION");
    sql("begin work isolation level serializable")
        .ok("START TRANSACTION ISOLATION LEVEL SERIALIZABLE");
    sql("start transaction").ok("START TRANSACTION");
    sql("start transaction isolation level read committed priority 3")
        .ok("START TRANSACTION ISOLATION LEVEL READ COMMITTED PRIORITY 3");
    assertFalse(sql("start transaction").node(SqlBeginTransaction.class).multi());
  }

  @Test void isolationLevelsMapToJdbc() {
    assertEquals(Connection.TRANSACTION_READ_COMMITTED, IsolationLevel.READ_COMMITTED.jdbcLevel());
    assertEquals(Connection.TRANSACTION_REPEATABLE_READ,
        IsolationLevel.REPEATABLE_READ.jdbcLevel());
    assertEquals(Connection.TRANSACTION_SERIALIZABLE, IsolationLevel.SERIALIZABLE.jdbcLevel());
  }

  @Test void commitAndRollback() {
    sql("commit").ok("COMMIT");
    sql("commit work").ok("COMMIT");
    sql("rollback").ok("ROLLBACK");
    sql("rollback work").ok("ROLLBACK");
    assertEquals(SqlKind.COMMIT, sql("commit").node(SqlCommit.class).getKind());
    assertEquals(SqlKind.ROLLBACK, sql("rollback").node(SqlRollback.class).getKind());
  }

  @Test void multiTableScript() {
    final SqlNodeList statements = sql("BEGIN MULTI ISOLATION LEVEL SERIALIZABLE;\n"
        + "INSERT INTO dim VALUES (1, 'a');\n"
        + "DELETE FROM fact WHERE dim_id = 1;\n"
        + "COMMIT;").script();
    assertEquals(4, statements.size());
    assertInstanceOf(SqlBeginTransaction.class, statements.get(0));
    assertInstanceOf(SqlInsert.class, statements.get(1));
    assertInstanceOf(SqlDelete.class, statements.get(2));
    assertInstanceOf(SqlCommit.class, statements.get(3));
  }

  @Test void transactionErrors() {
    sql("begin multi isolation level ^bogus^")
        .fails("Encountered \"bogus\" at line 1, column 29\\..*Was expecting one of:.*"
            + "\"READ\".*\"REPEATABLE\".*\"SERIALIZABLE\".*");
    sql("begin multi isolation level read ^uncommitted^")
        .fails("Encountered \"uncommitted\" at line 1, column 34\\..*\"COMMITTED\".*");
    sql("begin multi isolation ^serializable^")
        .fails("Encountered \"serializable\" at line 1, column 23\\..*\"LEVEL\".*");
    sql("begin multi priority ^high^")
        .fails("Encountered \"high\" at line 1, column 22\\..*");
    sql("begin multi priority ^1.5^")
        .fails("PRIORITY 1.5 at line 1, column 22: use a whole number from -2147483648 to "
            + "2147483647");
    sql("begin multi priority ^3000000000^")
        .fails("PRIORITY 3000000000 at line 1, column 22: use a whole number.*");
    sql("begin multi priority 1 ^isolation^ level serializable")
        .fails("Encountered \"isolation\" at line 1, column 24\\..*");
    sql("^start^ multi").fails("Encountered \"start multi\" at line 1, column 1\\..*");
    sql("commit ^transaction^").fails("Encountered \"transaction\" at line 1, column 8\\..*");
  }
}
