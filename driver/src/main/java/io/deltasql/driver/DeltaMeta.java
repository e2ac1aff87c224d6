package io.deltasql.driver;

import io.deltasql.core.txn.IsolationLevel;
import io.deltasql.planner.DeltaPrepare;
import io.deltasql.planner.DeltaSession;
import io.deltasql.planner.Sessions;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteMetaBridge;
import org.apache.calcite.jdbc.CalciteSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calcite's meta with deltasql's transactions: {@code commit}, {@code rollback} and the
 * connection's auto-commit, isolation and read-only settings go to the connection's
 * {@link DeltaSession}; every failure leaves as a {@link java.sql.SQLException} with its
 * SQLState ({@link JdbcErrors}), including the {@link ExceptionInInitializerError} of a generated
 * class whose constant (a bad {@code CAST('x' AS DATE)}) fails when it is first run.
 */
final class DeltaMeta extends CalciteMetaBridge {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaMeta.class);

  DeltaMeta(AvaticaConnection connection) {
    super(connection);
    // Calcite's meta starts its properties at auto-commit off; a deltasql connection starts in
    // auto-commit (its session does, and JDBC asks it of a new connection).
    connProps.setAutoCommit(true);
    connProps.setDirty(false);
  }

  /** The connection's session (attached when the connection was initialised, after this meta). */
  private DeltaSession session() {
    return Sessions.of(((CalciteConnection) connection).getRootSchema());
  }

  /** No catalogs: tables are named {@code schema.table} (Calcite's root has no name). */
  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return createEmptyResultSet(MetaCatalog.class);
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    refreshSchemas();
    return super.getSchemas(ch, catalog, schemaPattern);
  }

  @Override
  public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      List<String> typeList) {
    refreshSchemas();
    return withoutHiddenTables(super.getTables(ch, catalog, schemaPattern, tableNamePattern, typeList));
  }

  @Override
  public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      Pat columnNamePattern) {
    refreshSchemas();
    return super.getColumns(ch, catalog, schemaPattern, tableNamePattern, columnNamePattern);
  }

  /** Tables of hidden names ({@code $rows$t}, {@code $v3$t}) are the planner's, not the user's. */
  private MetaResultSet withoutHiddenTables(MetaResultSet tables) {
    if (tables.firstFrame == null) {
      return tables;
    }
    List<Object> rows = new java.util.ArrayList<>();
    for (Object row : tables.firstFrame.rows) {
      if (!(row instanceof org.apache.calcite.avatica.MetaImpl.MetaTable table && table.tableName.startsWith("$"))) {
        rows.add(row);
      }
    }
    return MetaResultSet.create(tables.connectionId, tables.statementId, tables.ownStatement, tables.signature,
        Frame.create(tables.firstFrame.offset, tables.firstFrame.done, rows));
  }

  /** Schemas created or dropped since the last statement (by any connection) show up. */
  private void refreshSchemas() {
    try {
      DeltaPrepare.attachSchemas(session(), CalciteSchema.from(((CalciteConnection) connection).getRootSchema()));
    } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public void commit(ConnectionHandle ch) {
    try {
      session().commit();
    } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    try {
      session().rollback();
    } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
    try {
      if (props.isAutoCommit() != null) {
        session().setAutoCommit(props.isAutoCommit());
      }
      // Remote clients sync TRANSACTION_NONE (0) as "not set": it changes nothing.
      if (props.getTransactionIsolation() != null && props.getTransactionIsolation() != java.sql.Connection.TRANSACTION_NONE) {
        session().setIsolation(IsolationLevel.fromJdbc(props.getTransactionIsolation()));
      }
      if (props.isReadOnly() != null) {
        session().setReadOnly(props.isReadOnly());
      }
      return super.connectionSync(ch, props);
    } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    try {
      return super.prepare(ch, sql, maxRowCount);
    } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
      PrepareCallback callback) throws NoSuchStatementException {
    try {
      return super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame, callback);
    } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    try {
      return super.prepareAndExecuteBatch(h, sqlCommands);
    } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  /**
   * A prepared statement's batch. A DML batch in auto-commit is one transaction
   * ({@link DeltaSession#beginBatch}): every parameter set is staged, then one commit, so a
   * 10-set INSERT makes one new version; if a set or the commit fails nothing of the batch is
   * committed. Inside a transaction the sets just stage in it. The rows of an
   * {@code INSERT … VALUES} batch are held until its last set ({@link DeltaSession#bufferInserts})
   * and written as one data file per table and partition, not one per set. A failure is a
   * {@link BatchUpdateException} with the failure's SQLState whose update counts are those of
   * the sets executed before the failing one (so their number tells which set failed), or,
   * when the commit failed, {@link java.sql.Statement#EXECUTE_FAILED} for every set.
   */
  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    DeltaSession session = session();
    Signature signature;
    boolean atomic;
    try {
      signature = preparedSignature(h);
      boolean dml = signature != null && signature.statementType != null && signature.statementType.canUpdate()
          && !parameterValues.isEmpty();
      atomic = dml && session.beginBatch();
      if (dml) {
        session.bufferInserts();
      }
    } catch (RuntimeException e) {
      throw JdbcErrors.rethrow(e);
    }
    long[] counts = new long[parameterValues.size()];
    int done = 0;
    try {
      for (List<TypedValue> values : parameterValues) {
        ExecuteResult result = super.execute(h, Parameters.bind(signature, values), -1);
        counts[done++] = result.resultSets.size() == 1 ? result.resultSets.get(0).updateCount : -1;
      }
    } catch (SQLException | RuntimeException | ExceptionInInitializerError | StackOverflowError
        | NoSuchStatementException e) {
      if (atomic) {
        rollbackQuietly(session);
      } else if (flushOrRollBack(session) != null) {
        throw batchFailure(e, Arrays.copyOf(counts, 0), " (parameter set " + (done + 1) + " of " + counts.length
            + "; writing the sets before it failed too: the transaction was rolled back)");
      }
      throw batchFailure(e, Arrays.copyOf(counts, done), atomic
          ? " (parameter set " + (done + 1) + " of " + counts.length + "; the batch ran as one transaction: "
              + "none of its sets was committed)"
          : " (parameter set " + (done + 1) + " of " + counts.length + ")");
    }
    if (!atomic) {
      RuntimeException failure = flushOrRollBack(session);
      if (failure != null) {
        long[] failed = new long[counts.length];
        Arrays.fill(failed, Statement.EXECUTE_FAILED);
        throw batchFailure(failure, failed, " (writing the batch of " + counts.length
            + " parameter sets: the transaction was rolled back)");
      }
    } else {
      try {
        session.commit();
      } catch (RuntimeException e) {
        long[] failed = new long[counts.length];
        Arrays.fill(failed, Statement.EXECUTE_FAILED);
        throw batchFailure(e, failed, " (committing the batch of " + counts.length + " parameter sets: none of "
            + "them was committed)");
      }
    }
    return new ExecuteBatchResult(counts);
  }

  /**
   * A batch inside a transaction: its buffered rows are written and staged there (after a
   * failing set, those of the sets before it, as without buffering). If writing them fails, the
   * sets reported as executed would be missing from the transaction, so it is rolled back.
   *
   * @return null if the rows were staged, else why not
   */
  private static RuntimeException flushOrRollBack(DeltaSession session) {
    try {
      session.flushInserts();
      return null;
    } catch (RuntimeException e) {
      LOG.warn("writing a batch's inserts failed; rolling back its transaction reason={}", e.getMessage());
      rollbackQuietly(session);
      return e;
    }
  }

  private static void rollbackQuietly(DeltaSession session) {
    try {
      session.rollback();
    } catch (RuntimeException e) {
      LOG.warn("rollback of a failed batch failed reason={}", e.getMessage());
    }
  }

  /** The failure as JDBC's batch exception, undeclared (Avatica hands it on as the cause of its own). */
  private static RuntimeException batchFailure(Throwable failure, long[] counts, String where) {
    SQLException e = JdbcErrors.toSqlException(failure);
    return JdbcErrors.sneakyThrow(new BatchUpdateException(e.getMessage() + where, e.getSQLState(), e.getErrorCode(),
        counts, e));
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    try {
      return super.execute(h, Parameters.bind(preparedSignature(h), parameterValues), maxRowsInFirstFrame);
    } catch (SQLException | RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
      // Avatica wraps this one (a prepared statement's execution) and keeps only its SQLState.
      throw JdbcErrors.keepingState(e);
    }
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) throws NoSuchStatementException {
    try {
      return super.fetch(h, offset, fetchMaxRowCount);
    } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  /** Rows whose failures, when the result set reads them, carry their SQLState too. */
  @Override
  public Iterable<Object> createIterable(StatementHandle handle, QueryState state, Signature signature,
      List<TypedValue> parameters, Frame firstFrame) {
    Iterable<Object> rows;
    try {
      rows = super.createIterable(handle, state, signature, parameters, firstFrame);
    } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
      throw JdbcErrors.rethrow(e);
    }
    return () -> {
      Iterator<Object> it = rows.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          try {
            return it.hasNext();
          } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
            throw JdbcErrors.rethrow(e);
          }
        }

        @Override
        public Object next() {
          try {
            return it.next();
          } catch (RuntimeException | ExceptionInInitializerError | StackOverflowError e) {
            throw JdbcErrors.rethrow(e);
          }
        }
      };
    };
  }
}
