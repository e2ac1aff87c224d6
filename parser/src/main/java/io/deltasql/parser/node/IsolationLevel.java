package io.deltasql.parser.node;

import java.sql.Connection;

/** The isolation levels that {@code BEGIN ... ISOLATION LEVEL} names. */
public enum IsolationLevel {
  /** Each statement reads the latest committed cut of all the tables it reads. */
  READ_COMMITTED("READ COMMITTED", Connection.TRANSACTION_READ_COMMITTED),
  /** The cut is pinned at the transaction's first read, for the whole transaction. */
  REPEATABLE_READ("REPEATABLE READ", Connection.TRANSACTION_REPEATABLE_READ),
  /** A pinned cut plus commit-time validation of everything the transaction read. */
  SERIALIZABLE("SERIALIZABLE", Connection.TRANSACTION_SERIALIZABLE);

  private final String sql;
  private final int jdbcLevel;

  IsolationLevel(String sql, int jdbcLevel) {
    this.sql = sql;
    this.jdbcLevel = jdbcLevel;
  }

  /** The level as written in SQL, such as {@code REPEATABLE READ}. */
  public String sql() {
    return sql;
  }

  /** The matching {@code java.sql.Connection.TRANSACTION_*} constant. */
  public int jdbcLevel() {
    return jdbcLevel;
  }
}
