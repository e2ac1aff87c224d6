package io.deltasql.core.txn;

import io.deltasql.core.errors.DeltaException;
import java.sql.Connection;
import java.util.Locale;

/**
 * How much a multi-table transaction sees of concurrent commits (DESIGN.md, "Isolation
 * levels"). Every read is a consistent cut across tables; the levels differ in how long
 * a cut lasts and what is checked at commit.
 */
public enum IsolationLevel {
  /** Each statement reads the latest committed cut. The default. */
  READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED, "READ COMMITTED"),
  /** The cut is pinned at the transaction's first read, for the whole transaction. */
  REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ, "REPEATABLE READ"),
  /**
   * Pinned snapshots plus commit-time validation that nothing the transaction read was
   * changed by a concurrent commit.
   */
  SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE, "SERIALIZABLE");

  /** The level of a transaction that does not ask for one. */
  public static final IsolationLevel DEFAULT = READ_COMMITTED;

  private final int jdbcLevel;
  private final String sqlName;

  IsolationLevel(int jdbcLevel, String sqlName) {
    this.jdbcLevel = jdbcLevel;
    this.sqlName = sqlName;
  }

  /** The {@code Connection.TRANSACTION_*} constant of this level. */
  public int jdbcLevel() {
    return jdbcLevel;
  }

  /** The level as SQL spells it, e.g. {@code REPEATABLE READ}. */
  public String sqlName() {
    return sqlName;
  }

  /** Whether the transaction keeps reading the cut of its first read. */
  public boolean pinsSnapshot() {
    return this != READ_COMMITTED;
  }

  /** Whether reads are validated at commit (and take shared locks). */
  public boolean validatesReads() {
    return this == SERIALIZABLE;
  }

  /**
   * The level of a JDBC {@code Connection.TRANSACTION_*} constant. READ UNCOMMITTED is
   * served as READ COMMITTED, as PostgreSQL does: deltasql never shows uncommitted data,
   * and a stronger level than asked for is allowed by the SQL standard.
   *
   * @throws DeltaException {@code 0A000} for {@code TRANSACTION_NONE}, {@code 22023} for a
   *     value that is no JDBC isolation level
   */
  public static IsolationLevel fromJdbc(int level) {
    switch (level) {
      case Connection.TRANSACTION_READ_UNCOMMITTED:
      case Connection.TRANSACTION_READ_COMMITTED:
        return READ_COMMITTED;
      case Connection.TRANSACTION_REPEATABLE_READ:
        return REPEATABLE_READ;
      case Connection.TRANSACTION_SERIALIZABLE:
        return SERIALIZABLE;
      case Connection.TRANSACTION_NONE:
        throw TxnErrors.transactionsRequired();
      default:
        throw TxnErrors.unknownIsolationLevel(Integer.toString(level));
    }
  }

  /**
   * The level of an SQL name such as {@code REPEATABLE READ}, matched case-insensitively;
   * underscores and runs of spaces count as one space ({@code read_committed} works).
   * {@code READ UNCOMMITTED} is served as READ COMMITTED (see {@link #fromJdbc}).
   *
   * @throws DeltaException {@code 22023} for any other name
   */
  public static IsolationLevel fromSqlName(String name) {
    Checks.notNull(name, "isolation level");
    String normal = name.trim().replace('_', ' ').replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    if (normal.equals("READ UNCOMMITTED")) {
      return READ_COMMITTED;
    }
    for (IsolationLevel level : values()) {
      if (level.sqlName.equals(normal)) {
        return level;
      }
    }
    throw TxnErrors.unknownIsolationLevel(name);
  }
}
