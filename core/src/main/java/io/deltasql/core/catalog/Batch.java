package io.deltasql.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A prepared statement whose rows are sent in JDBC batches of a fixed size. */
final class Batch implements AutoCloseable {
  private final PreparedStatement statement;
  private final int size;
  private int pending;
  private long rows;

  Batch(Connection connection, String sql, int size) throws SQLException {
    this.statement = connection.prepareStatement(sql);
    this.size = size;
  }

  /** The statement to bind the next row on. */
  PreparedStatement statement() {
    return statement;
  }

  /** Adds the bound row; sends the batch when it is full. */
  void add() throws SQLException {
    statement.addBatch();
    rows++;
    if (++pending >= size) {
      flush();
    }
  }

  /** Sends the rows not yet sent. */
  void flush() throws SQLException {
    if (pending > 0) {
      statement.executeBatch();
      pending = 0;
    }
  }

  long rows() {
    return rows;
  }

  @Override
  public void close() throws SQLException {
    statement.close();
  }
}
