package io.deltasql.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class IsolationLevelTest {
  @Test
  void defaultIsReadCommitted() {
    assertEquals(IsolationLevel.READ_COMMITTED, IsolationLevel.DEFAULT);
    assertEquals(IsolationLevel.READ_COMMITTED, TxnFixtures.txn().isolationLevel());
  }

  @ParameterizedTest
  @EnumSource(IsolationLevel.class)
  void jdbcAndSqlNamesRoundTrip(IsolationLevel level) {
    assertEquals(level, IsolationLevel.fromJdbc(level.jdbcLevel()));
    assertEquals(level, IsolationLevel.fromSqlName(level.sqlName()));
  }

  @Test
  void jdbcConstants() {
    assertEquals(Connection.TRANSACTION_READ_COMMITTED, IsolationLevel.READ_COMMITTED.jdbcLevel());
    assertEquals(Connection.TRANSACTION_REPEATABLE_READ, IsolationLevel.REPEATABLE_READ.jdbcLevel());
    assertEquals(Connection.TRANSACTION_SERIALIZABLE, IsolationLevel.SERIALIZABLE.jdbcLevel());
    assertEquals(IsolationLevel.READ_COMMITTED, IsolationLevel.fromJdbc(Connection.TRANSACTION_READ_UNCOMMITTED));
  }

  @Test
  void transactionNoneIsNotSupportedAndUnknownLevelsAreInvalid() {
    assertEquals(SqlState.FEATURE_NOT_SUPPORTED,
        assertThrows(DeltaException.class, () -> IsolationLevel.fromJdbc(Connection.TRANSACTION_NONE)).state());
    DeltaException e = assertThrows(DeltaException.class, () -> IsolationLevel.fromJdbc(3));
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
    assertTrue(e.getMessage().contains("'3'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
      "read committed, READ_COMMITTED",
      "READ_COMMITTED, READ_COMMITTED",
      "'  Repeatable   Read ', REPEATABLE_READ",
      "serializable, SERIALIZABLE",
      "READ UNCOMMITTED, READ_COMMITTED"
  })
  void sqlNamesAreMatchedLeniently(String name, IsolationLevel expected) {
    assertEquals(expected, IsolationLevel.fromSqlName(name));
  }

  @Test
  void unknownSqlNamesAndNullAreInvalid() {
    DeltaException e = assertThrows(DeltaException.class, () -> IsolationLevel.fromSqlName("snapshot"));
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
    assertTrue(e.getMessage().contains("snapshot"));
    assertEquals(SqlState.INVALID_PARAMETER_VALUE,
        assertThrows(DeltaException.class, () -> IsolationLevel.fromSqlName(null)).state());
  }

  @Test
  void pinningAndReadValidation() {
    assertFalse(IsolationLevel.READ_COMMITTED.pinsSnapshot());
    assertTrue(IsolationLevel.REPEATABLE_READ.pinsSnapshot());
    assertTrue(IsolationLevel.SERIALIZABLE.pinsSnapshot());
    assertFalse(IsolationLevel.REPEATABLE_READ.validatesReads());
    assertTrue(IsolationLevel.SERIALIZABLE.validatesReads());
  }
}
